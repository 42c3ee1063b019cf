using System.Globalization;
using System.Linq;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// The lines the CPU passes emit for the image layers (convolution, max and average pooling) and training-mode dropout:
/// calls into Runtime's <c>Conv2D</c>, <c>Pooling</c> and <c>Dropout</c>, with the layer's geometry from a
/// <c>Geometry{module}</c> field of the Network part. Shared by the Forward, Gradient and Curvature emitters.
/// </summary>
internal static class SpatialEmitter
{
    private const string Cpu = "global::Dnn2Gp.Runtime.Cpu";

    /// <summary>The name of the static geometry field of an image layer.</summary>
    public static string Geometry(LayerSpec layer) => $"Geometry{Literals.Int(layer.ModuleIndex)}";

    /// <summary>The field declaration of an image layer's geometry (Network part).</summary>
    public static string GeometryField(LayerSpec layer)
    {
        var g = layer.Spatial!;
        string values = string.Join(", ", new[]
        {
            g.InChannels, g.InHeight, g.InWidth, g.OutChannels, g.OutHeight, g.OutWidth, g.KernelHeight, g.KernelWidth,
            g.StrideHeight, g.StrideWidth, g.PaddingHeight, g.PaddingWidth, g.DilationHeight, g.DilationWidth,
        }.Select(Literals.Int));
        return $"private static readonly global::Dnn2Gp.Runtime.Curvature.Conv2DGeometry {Geometry(layer)} = new({values});";
    }

    /// <summary>z = W ⋆ x (+ b): <c>Conv2D.Forward</c> on <paramref name="rows"/> images.</summary>
    public static string ConvForward(LayerSpec conv, string parameters, string input, string output, string rows, bool withBias, bool accumulate = false)
    {
        string weight = $"{parameters}.Slice({Literals.Int(conv.ParameterOffset)}, {Literals.Int(conv.WeightCount)})";
        string bias = withBias && conv.Bias ? $"{parameters}.Slice({Literals.Int(conv.BiasOffset)}, {Literals.Int(conv.BiasCount)})" : "default";
        return $"{Cpu}.Conv2D.Forward({Geometry(conv)}, {input}, {weight}, {bias}, {output}, {rows}{(accumulate ? ", accumulate: true" : "")});";
    }

    /// <summary>The weight and bias gradients of a convolution (overwriting the gradient's slices).</summary>
    public static string ConvBackwardWeight(LayerSpec conv, string input, string outputGradient, string rows) =>
        $"{Cpu}.Conv2D.BackwardWeight({Geometry(conv)}, {input}, {outputGradient}, gradient.Slice({Literals.Int(conv.ParameterOffset)}, {Literals.Int(conv.WeightCount)}), " +
        $"{(conv.Bias ? $"gradient.Slice({Literals.Int(conv.BiasOffset)}, {Literals.Int(conv.BiasCount)})" : "default")}, {rows});";

    /// <summary>The input gradient of a convolution for <paramref name="rows"/> rows.</summary>
    public static string ConvBackwardInput(LayerSpec conv, string outputGradient, string inputGradient, string rows) =>
        $"{Cpu}.Conv2D.BackwardInput({Geometry(conv)}, {outputGradient}, parameters.Slice({Literals.Int(conv.ParameterOffset)}, {Literals.Int(conv.WeightCount)}), {inputGradient}, {rows});";

    /// <summary>The forward pass of a pooling layer.</summary>
    public static string PoolForward(LayerSpec pool, string input, string output, string rows) =>
        $"{Cpu}.Pooling.{(pool.Kind == LayerKind.MaxPool2D ? "Max" : "Avg")}Forward({Geometry(pool)}, {input}, {output}, {rows});";

    /// <summary>
    /// The backward pass of a pooling layer for n examples of c rows each: max pooling routes every row through its
    /// example's argmax; average pooling spreads (its n·c rows are independent).
    /// </summary>
    public static string PoolBackward(LayerSpec pool, string input, string outputGradient, string inputGradient, string n, string c) =>
        pool.Kind == LayerKind.MaxPool2D
            ? $"{Cpu}.Pooling.MaxBackward({Geometry(pool)}, {input}, {outputGradient}, {inputGradient}, {n}, {c});"
            : $"{Cpu}.Pooling.AvgBackward({Geometry(pool)}, {outputGradient}, {inputGradient}, {(c == "1" ? n : $"{n} * {c}")});";

    /// <summary>The forward-mode tangent of a pooling layer (its tangent input is <paramref name="tangentInput"/>).</summary>
    public static string PoolTangent(LayerSpec pool, string input, string tangentInput, string tangentOutput, string rows) =>
        pool.Kind == LayerKind.MaxPool2D
            ? $"{Cpu}.Pooling.MaxTangent({Geometry(pool)}, {input}, {tangentInput}, {tangentOutput}, {rows});"
            : $"{Cpu}.Pooling.AvgForward({Geometry(pool)}, {tangentInput}, {tangentOutput}, {rows});";

    /// <summary>The mask of a training-mode dropout step for rows start … start+n−1, then y = x ⊙ mask.</summary>
    public static string[] DropoutForward(LayerSpec dropout, string input, string mask, string output) => new[]
    {
        $"{Cpu}.Dropout.FillMask({mask}, start, n, {Literals.Int(dropout.OutputWidth)}, {Literals.Double(dropout.Rate)}, seed, {Literals.Int(dropout.ModuleIndex)});",
        $"{Cpu}.Dropout.Apply({input}, {mask}, {output});",
    };

    /// <summary>Back through a dropout: d ← d ⊙ mask.</summary>
    public static string DropoutBackward(string mask, string gradient) => $"{Cpu}.Dropout.Apply({gradient}, {mask}, {gradient});";

    /// <summary>"Conv2D 1x28x28 -> 6x24x24 (kernel 5, stride 1, …" and the like, for comments.</summary>
    public static string Describe(LayerSpec layer)
    {
        var g = layer.Spatial!;
        string shapes = $"{g.InChannels}x{g.InHeight}x{g.InWidth} -> {g.OutChannels}x{g.OutHeight}x{g.OutWidth}";
        return layer.Kind switch
        {
            LayerKind.Conv2D => $"Conv2D {shapes} (kernel {Size(g.KernelHeight, g.KernelWidth)}, stride {Size(g.StrideHeight, g.StrideWidth)}, padding {Size(g.PaddingHeight, g.PaddingWidth)}, dilation {Size(g.DilationHeight, g.DilationWidth)}",
            LayerKind.MaxPool2D => $"MaxPool2D {shapes} (kernel {Size(g.KernelHeight, g.KernelWidth)}, stride {Size(g.StrideHeight, g.StrideWidth)})",
            _ => $"AvgPool2D {shapes} (kernel {Size(g.KernelHeight, g.KernelWidth)}, stride {Size(g.StrideHeight, g.StrideWidth)})",
        };
    }

    /// <summary>The PyTorch module's repr, for the architecture comment.</summary>
    public static string PyTorchRepr(LayerSpec layer)
    {
        var g = layer.Spatial;
        return layer.Kind switch
        {
            LayerKind.Conv2D => $"Conv2d({g!.InChannels}, {g.OutChannels}, kernel_size=({g.KernelHeight}, {g.KernelWidth}), stride=({g.StrideHeight}, {g.StrideWidth})" +
                (g.PaddingHeight != 0 || g.PaddingWidth != 0 ? $", padding=({g.PaddingHeight}, {g.PaddingWidth})" : "") +
                (g.DilationHeight != 1 || g.DilationWidth != 1 ? $", dilation=({g.DilationHeight}, {g.DilationWidth})" : "") +
                (layer.Bias ? "" : ", bias=False") + ")",
            LayerKind.MaxPool2D => $"MaxPool2d(kernel_size={g!.KernelHeight}, stride={g.StrideHeight}, padding=0, dilation=1, ceil_mode=False)",
            LayerKind.AvgPool2D => $"AvgPool2d(kernel_size={g!.KernelHeight}, stride={g.StrideHeight}, padding=0)",
            LayerKind.Flatten => "Flatten(start_dim=1, end_dim=-1)",
            LayerKind.Dropout => $"Dropout(p={layer.Rate.ToString("R", CultureInfo.InvariantCulture)}, inplace=False)",
            _ => layer.Kind.ToString(),
        };
    }

    private static string Size(int height, int width) => height == width ? Literals.Int(height) : $"{Literals.Int(height)}x{Literals.Int(width)}";
}
