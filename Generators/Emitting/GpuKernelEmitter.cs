using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// Emits the Gpu part: an ILGPU kernel computing one example's forward pass per thread. It follows ILGPU's kernel
/// rules (static, value-type and ArrayView parameters only, no exceptions) and calls the same Runtime op structs'
/// scalar members as the CPU path, so both run one math specification.
/// </summary>
internal static class GpuKernelEmitter
{
    public static string Emit(NetworkSpec spec)
    {
        var w = new SourceWriter();
        string t = Literals.Type(spec.Element);
        // Flatten and dropout (evaluation mode) move no data; identity activations do nothing.
        var layers = spec.Layers.Where(l => l.Kind switch
        {
            LayerKind.Activation => l.Activation != OpKind.Identity,
            LayerKind.Flatten or LayerKind.Dropout => false,
            _ => true,
        }).ToList();
        int maxWidth = layers.Max(l => l.OutputWidth);
        string view = $"global::ILGPU.ArrayView<{t}>";
        using (FileHeader.Open(w, spec, $"ILGPU forward kernel of {spec.TypeName}: one thread per example."))
        {
            w.Line("/// <summary>Scratch elements the GPU forward kernel needs per example (two ping-pong buffers).</summary>");
            w.Line($"public const int GpuScratchPerExample = {Literals.Int(2 * maxWidth)};");
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// The forward pass of example <paramref name=\"example\"/> as an ILGPU kernel: reads inputs [batch, InputSize],");
            w.Line("/// writes outputs [batch, OutputSize], using scratch [batch, GpuScratchPerExample]. Load it once per accelerator.");
            w.Line("/// </summary>");
            using (w.Block($"public static void GpuForward(global::ILGPU.Index1D example, {view} parameters, {view} inputs, {view} scratch, {view} outputs)"))
            {
                w.Line("long e = example;");
                w.Line($"long input = e * {Literals.Int(spec.InputSize)};");
                w.Line($"long output = e * {Literals.Int(spec.OutputSize)};");
                w.Line($"long buffer0 = e * {Literals.Int(2 * maxWidth)};");
                w.Line($"long buffer1 = buffer0 + {Literals.Int(maxWidth)};");
                for (int i = 0; i < layers.Count; i++)
                {
                    var layer = layers[i];
                    (string srcView, string src) = i == 0 ? ("inputs", "input") : ("scratch", $"buffer{(i - 1) % 2}");
                    (string dstView, string dst) = i == layers.Count - 1 ? ("outputs", "output") : ("scratch", $"buffer{i % 2}");
                    w.Line();
                    if (layer.Kind == LayerKind.Conv2D)
                    {
                        EmitConv(w, spec, layer, srcView, src, dstView, dst);
                    }
                    else if (layer.Kind is LayerKind.MaxPool2D or LayerKind.AvgPool2D)
                    {
                        EmitPool(w, spec, layer, srcView, src, dstView, dst);
                    }
                    else if (layer.Kind == LayerKind.Dense)
                    {
                        w.Line($"// layer {layer.ModuleIndex}: Dense {layer.InputWidth} -> {layer.OutputWidth}");
                        using (w.Block($"for (int o = 0; o < {Literals.Int(layer.OutputWidth)}; o++)"))
                        {
                            w.Line(layer.Bias
                                ? $"{t} sum = parameters[{Literals.Int(layer.BiasOffset)} + o];"
                                : $"{t} sum = {Literals.Zero(spec.Element)};");
                            w.Line($"long row = {Literals.Int(layer.ParameterOffset)} + (long)o * {Literals.Int(layer.InputWidth)};");
                            w.Line($"for (int i = 0; i < {Literals.Int(layer.InputWidth)}; i++) sum += parameters[row + i] * {srcView}[{src} + i];");
                            w.Line($"{dstView}[{dst} + o] = sum;");
                        }
                    }
                    else
                    {
                        w.Line($"// layer {layer.ModuleIndex}: {OpTable.DisplayName(layer.Activation)}");
                        w.Line($"for (int o = 0; o < {Literals.Int(layer.OutputWidth)}; o++) {dstView}[{dst} + o] = {OpTable.TypeOf(layer.Activation)}.Value({srcView}[{src} + o]);");
                    }
                }
            }
        }
        return w.ToString();
    }

    /// <summary>A direct convolution: one output pixel at a time, taps in the padding skipped.</summary>
    private static void EmitConv(SourceWriter w, NetworkSpec spec, LayerSpec layer, string srcView, string src, string dstView, string dst)
    {
        var g = layer.Spatial!;
        string t = Literals.Type(spec.Element);
        w.Line($"// layer {layer.ModuleIndex}: {SpatialEmitter.Describe(layer)})");
        using (w.Block($"for (int o = 0; o < {Literals.Int(g.OutChannels)}; o++)"))
        using (w.Block($"for (int oy = 0; oy < {Literals.Int(g.OutHeight)}; oy++)"))
        using (w.Block($"for (int ox = 0; ox < {Literals.Int(g.OutWidth)}; ox++)"))
        {
            w.Line(layer.Bias
                ? $"{t} sum = parameters[{Literals.Int(layer.BiasOffset)} + o];"
                : $"{t} sum = {Literals.Zero(spec.Element)};");
            using (w.Block($"for (int ch = 0; ch < {Literals.Int(g.InChannels)}; ch++)"))
            using (w.Block($"for (int ky = 0; ky < {Literals.Int(g.KernelHeight)}; ky++)"))
            {
                w.Line($"int iy = oy * {Literals.Int(g.StrideHeight)} - {Literals.Int(g.PaddingHeight)} + ky * {Literals.Int(g.DilationHeight)};");
                w.Line($"if (iy < 0 || iy >= {Literals.Int(g.InHeight)}) continue;");
                using (w.Block($"for (int kx = 0; kx < {Literals.Int(g.KernelWidth)}; kx++)"))
                {
                    w.Line($"int ix = ox * {Literals.Int(g.StrideWidth)} - {Literals.Int(g.PaddingWidth)} + kx * {Literals.Int(g.DilationWidth)};");
                    w.Line($"if (ix < 0 || ix >= {Literals.Int(g.InWidth)}) continue;");
                    w.Line($"sum += parameters[{Literals.Int(layer.ParameterOffset)} + ((o * {Literals.Int(g.InChannels)} + ch) * {Literals.Int(g.KernelHeight)} + ky) * {Literals.Int(g.KernelWidth)} + kx]"
                        + $" * {srcView}[{src} + (ch * {Literals.Int(g.InHeight)} + iy) * {Literals.Int(g.InWidth)} + ix];");
                }
            }
            w.Line($"{dstView}[{dst} + (o * {Literals.Int(g.OutHeight)} + oy) * {Literals.Int(g.OutWidth)} + ox] = sum;");
        }
    }

    /// <summary>Max (first maximum, NaN wins, as on the CPU) or average pooling, one window at a time.</summary>
    private static void EmitPool(SourceWriter w, NetworkSpec spec, LayerSpec layer, string srcView, string src, string dstView, string dst)
    {
        var g = layer.Spatial!;
        string t = Literals.Type(spec.Element);
        bool max = layer.Kind == LayerKind.MaxPool2D;
        w.Line($"// layer {layer.ModuleIndex}: {SpatialEmitter.Describe(layer)}");
        using (w.Block($"for (int ch = 0; ch < {Literals.Int(g.InChannels)}; ch++)"))
        using (w.Block($"for (int oy = 0; oy < {Literals.Int(g.OutHeight)}; oy++)"))
        using (w.Block($"for (int ox = 0; ox < {Literals.Int(g.OutWidth)}; ox++)"))
        {
            w.Line($"long window = {src} + (ch * {Literals.Int(g.InHeight)} + oy * {Literals.Int(g.StrideHeight)}) * {Literals.Int(g.InWidth)} + ox * {Literals.Int(g.StrideWidth)};");
            w.Line(max ? $"{t} value = {srcView}[window];" : $"{t} value = {Literals.Zero(spec.Element)};");
            using (w.Block($"for (int ky = 0; ky < {Literals.Int(g.KernelHeight)}; ky++)"))
            using (w.Block($"for (int kx = 0; kx < {Literals.Int(g.KernelWidth)}; kx++)"))
            {
                w.Line($"{t} v = {srcView}[window + ky * {Literals.Int(g.InWidth)} + kx];");
                w.Line(max ? $"if (v > value || ({t}.IsNaN(v) && !{t}.IsNaN(value))) value = v;" : "value += v;");
            }
            string result = max ? "value" : $"value / {Literals.Int(g.KernelHeight * g.KernelWidth)}";
            w.Line($"{dstView}[{dst} + (ch * {Literals.Int(g.OutHeight)} + oy) * {Literals.Int(g.OutWidth)} + ox] = {result};");
        }
    }
}
