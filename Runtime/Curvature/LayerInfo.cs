using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>The kinds of layer that own parameters (the ones every curvature quantity is made of).</summary>
public enum ParametrizedLayerKind
{
    /// <summary>A fully connected layer, PyTorch <c>nn.Linear</c>: z = W a + b, W [out, in].</summary>
    Dense,

    /// <summary>A 2-D convolution, PyTorch <c>nn.Conv2d</c> on NCHW data, W [outChannels, inChannels, kh, kw].</summary>
    Conv2D,
}

/// <summary>
/// The geometry of a 2-D convolution on one example in NCHW layout (all zeros for a dense layer): the input
/// [InChannels, InHeight, InWidth], the kernel, stride, zero padding and dilation, and the output
/// [OutChannels, OutHeight, OutWidth].
/// </summary>
public readonly record struct Conv2DGeometry(
    int InChannels, int InHeight, int InWidth,
    int OutChannels, int OutHeight, int OutWidth,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    int DilationHeight, int DilationWidth)
{
    /// <summary>Elements of one patch (the columns of the unfolded input): InChannels · KernelHeight · KernelWidth.</summary>
    public int PatchSize => InChannels * KernelHeight * KernelWidth;

    /// <summary>Output positions per channel: OutHeight · OutWidth.</summary>
    public int Positions => OutHeight * OutWidth;
}

/// <summary>
/// One parametrised layer of a generated network, as curvature code sees it: where its parameters live in the flat
/// parameter vector (PyTorch order: weight, then bias) and the per-example sizes of the activation it reads
/// (<see cref="InputSize"/>) and of the pre-activation it writes (<see cref="OutputSize"/>).
/// </summary>
/// <remarks>
/// Back-propagated factors handed to an <see cref="IFactorVisitor{T}"/> for this layer are [n, c, OutputSize]: the
/// derivative of each of the c seeded output combinations with respect to this layer's pre-activation. Together with the
/// input activations [n, InputSize] they determine every derivative with respect to the layer's parameters:
/// for a dense layer ∂/∂W[o, i] = factor[o] · input[i] and ∂/∂b[o] = factor[o].
/// </remarks>
public readonly record struct LayerInfo(
    ParametrizedLayerKind Kind,
    int Index,
    int ModuleIndex,
    int InputSize,
    int OutputSize,
    int WeightOffset,
    int WeightCount,
    int BiasOffset,
    Conv2DGeometry Conv)
{
    /// <summary>Whether the layer has a bias (stored right after its weight).</summary>
    public bool HasBias => BiasOffset >= 0;

    /// <summary>Bias elements: the output width of a dense layer, the output channels of a convolution; 0 without bias.</summary>
    public int BiasCount => !HasBias ? 0 : Kind == ParametrizedLayerKind.Dense ? OutputSize : Conv.OutChannels;

    /// <summary>Weight and bias elements.</summary>
    public int ParameterCount => WeightCount + BiasCount;

    /// <summary>Rows of the weight matrix: output units (dense) or output channels (convolution).</summary>
    public int WeightRows => Kind == ParametrizedLayerKind.Dense ? OutputSize : Conv.OutChannels;

    /// <summary>Columns of the weight matrix: input units (dense) or the patch size InChannels·kh·kw (convolution).</summary>
    public int WeightColumns => Kind == ParametrizedLayerKind.Dense ? InputSize : Conv.PatchSize;

    /// <summary>Columns of the bias-augmented weight [W | b]: <see cref="WeightColumns"/> + 1 with a bias.</summary>
    public int AugmentedColumns => WeightColumns + (HasBias ? 1 : 0);

    /// <summary>A dense layer z = W a + b with W [outputs, inputs] at <paramref name="weightOffset"/> and the bias after it.</summary>
    public static LayerInfo Dense(int index, int moduleIndex, int inputs, int outputs, int weightOffset, bool bias) =>
        new(ParametrizedLayerKind.Dense, index, moduleIndex, inputs, outputs, weightOffset, inputs * outputs,
            bias ? weightOffset + inputs * outputs : -1, default);

    /// <summary>A 2-D convolution with the given geometry, W [out, in, kh, kw] at <paramref name="weightOffset"/> and the bias after it.</summary>
    public static LayerInfo Conv2D(int index, int moduleIndex, Conv2DGeometry geometry, int weightOffset, bool bias)
    {
        int inputs = geometry.InChannels * geometry.InHeight * geometry.InWidth;
        int outputs = geometry.OutChannels * geometry.OutHeight * geometry.OutWidth;
        int weights = geometry.OutChannels * geometry.PatchSize;
        return new(ParametrizedLayerKind.Conv2D, index, moduleIndex, inputs, outputs, weightOffset, weights,
            bias ? weightOffset + weights : -1, geometry);
    }

    public override string ToString() => Kind == ParametrizedLayerKind.Dense
        ? string.Create(CultureInfo.InvariantCulture, $"layer {ModuleIndex}: Dense {InputSize} -> {OutputSize}{(HasBias ? "" : ", no bias")}, parameters [{WeightOffset}, {WeightOffset + ParameterCount})")
        : string.Create(CultureInfo.InvariantCulture, $"layer {ModuleIndex}: Conv2D {Conv.InChannels}x{Conv.InHeight}x{Conv.InWidth} -> {Conv.OutChannels}x{Conv.OutHeight}x{Conv.OutWidth}, kernel {Conv.KernelHeight}x{Conv.KernelWidth}{(HasBias ? "" : ", no bias")}, parameters [{WeightOffset}, {WeightOffset + ParameterCount})");
}

/// <summary>The parametrised layers of a network in forward order, with the sizes curvature code plans with.</summary>
public sealed class LayerTable : IReadOnlyList<LayerInfo>
{
    private readonly LayerInfo[] _layers;

    public LayerTable(params LayerInfo[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("A network has at least one parametrised layer.", nameof(layers));
        _layers = (LayerInfo[])layers.Clone();
        int expected = 0;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            if (layer.Index != i) throw new ArgumentException($"Layer {i} has Index {layer.Index}; layers are listed in order.", nameof(layers));
            if (layer.WeightOffset != expected) throw new ArgumentException($"{layer} starts at {layer.WeightOffset}, but the previous layers end at {expected}.", nameof(layers));
            expected += layer.ParameterCount;
            MaxOutputSize = Math.Max(MaxOutputSize, layer.OutputSize);
            MaxInputSize = Math.Max(MaxInputSize, layer.InputSize);
            MaxAugmentedColumns = Math.Max(MaxAugmentedColumns, layer.AugmentedColumns);
            MaxWeightRows = Math.Max(MaxWeightRows, layer.WeightRows);
        }
        ParameterCount = expected;
    }

    /// <summary>The total number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>The largest per-example pre-activation size of any layer.</summary>
    public int MaxOutputSize { get; }

    /// <summary>The largest per-example input activation size of any layer.</summary>
    public int MaxInputSize { get; }

    /// <summary>The largest bias-augmented weight column count of any layer.</summary>
    public int MaxAugmentedColumns { get; }

    /// <summary>The largest weight row count of any layer.</summary>
    public int MaxWeightRows { get; }

    public int Count => _layers.Length;

    public LayerInfo this[int index] => _layers[index];

    /// <summary>The layer that owns parameter <paramref name="parameter"/>.</summary>
    public LayerInfo LayerOf(int parameter)
    {
        foreach (var layer in _layers)
        {
            if (parameter >= layer.WeightOffset && parameter < layer.WeightOffset + layer.ParameterCount) return layer;
        }
        throw new ArgumentOutOfRangeException(nameof(parameter), parameter, $"The network has {ParameterCount} parameters.");
    }

    public IEnumerator<LayerInfo> GetEnumerator() => ((IEnumerable<LayerInfo>)_layers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var layer in _layers) sb.Append(layer).Append('\n');
        return sb.ToString();
    }
}
