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
        var layers = spec.Layers.Where(l => l.Kind == LayerKind.Dense || l.Activation != OpKind.Identity).ToList();
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
                    if (layer.Kind == LayerKind.Dense)
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
}
