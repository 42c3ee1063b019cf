using Dnn2Gp.Generators.Helpers;

namespace Dnn2Gp.Generators.Model;

/// <summary>
/// The geometry of a convolution or pooling layer on one NCHW image: input [InChannels, InHeight, InWidth], output
/// [OutChannels, OutHeight, OutWidth], kernel, stride, zero padding and dilation per axis (pooling: same channels,
/// no padding, dilation 1).
/// </summary>
internal sealed record SpatialSpec(
    int InChannels, int InHeight, int InWidth,
    int OutChannels, int OutHeight, int OutWidth,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    int DilationHeight, int DilationWidth)
{
    /// <summary>Elements of one patch: InChannels · KernelHeight · KernelWidth.</summary>
    public int PatchSize => InChannels * KernelHeight * KernelWidth;

    /// <summary>Output positions per channel: OutHeight · OutWidth.</summary>
    public int Positions => OutHeight * OutWidth;
}

/// <summary>
/// One layer after shape inference. <see cref="ModuleIndex"/> is the index the layer has in the equivalent PyTorch
/// <c>nn.Sequential</c> (it names the parameters: <c>{ModuleIndex}.weight</c>). <see cref="ParameterOffset"/> is the
/// offset of its weight in the flat parameter vector (parametrised layers only). <see cref="DenseIndex"/> is the
/// layer's index among the parametrised layers (dense and convolution, -1 for others): its row in the generated
/// <c>Layers</c> table and its precision in a layerwise prior. Widths are per example (C·H·W for images);
/// <see cref="Spatial"/> is the geometry of convolution and pooling layers, <see cref="Rate"/> a dropout's p.
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    int InputWidth,
    int OutputWidth,
    bool Bias,
    OpKind Activation,
    int ModuleIndex,
    int DenseIndex,
    int ParameterOffset,
    SpatialSpec? Spatial = null,
    double Rate = 0.0)
{
    public int WeightCount => Kind switch
    {
        LayerKind.Dense => InputWidth * OutputWidth,
        LayerKind.Conv2D => Spatial!.OutChannels * Spatial.PatchSize,
        _ => 0,
    };

    /// <summary>Bias elements: one per output (dense) or per output channel (convolution); 0 without a bias.</summary>
    public int BiasCount => !Bias ? 0 : Kind switch
    {
        LayerKind.Dense => OutputWidth,
        LayerKind.Conv2D => Spatial!.OutChannels,
        _ => 0,
    };

    public int ParameterCount => IsParametrised ? WeightCount + BiasCount : 0;

    public int BiasOffset => ParameterOffset + WeightCount;

    /// <summary>Whether the layer owns parameters (dense or convolution).</summary>
    public bool IsParametrised => Kind is LayerKind.Dense or LayerKind.Conv2D;

    /// <summary>Multiply-adds (or comparisons) of one example's forward pass through this layer.</summary>
    public long Work => Kind switch
    {
        LayerKind.Dense => WeightCount,
        LayerKind.Conv2D => (long)WeightCount * Spatial!.Positions,
        LayerKind.MaxPool2D or LayerKind.AvgPool2D => (long)OutputWidth * Spatial!.KernelHeight * Spatial.KernelWidth,
        _ => 0,
    };
}

/// <summary>The likelihood; <see cref="Sigma"/> is used by <see cref="LossKind.Gaussian"/> only.</summary>
internal sealed record LossSpec(LossKind Kind, double Sigma);

/// <summary>The prior: one precision (isotropic) or one per parametrised (dense or convolution) layer (layerwise).</summary>
internal sealed record PriorSpec(PriorKind Kind, EquatableArray<double> Precisions);

/// <summary>A containing type of the network record, outermost first (e.g. <c>partial class Outer</c>).</summary>
internal sealed record ParentType(string Keyword, string Name);

/// <summary>Where the record lives: its namespace (empty for the global namespace) and containing types.</summary>
internal sealed record HierarchyInfo(string Namespace, EquatableArray<ParentType> Parents);

/// <summary>
/// Everything the emitters need to know about one declared network, after validation.
/// </summary>
/// <remarks>
/// Immutable and structurally equatable: the incremental pipeline caches on it. Adding a member that breaks
/// structural equality (an ISymbol, a SyntaxNode, a Location, a plain array or list) breaks caching; a test walks
/// this graph and fails on such members.
/// </remarks>
internal sealed record NetworkSpec(
    string TypeName,
    string Keyword,
    HierarchyInfo Hierarchy,
    int InputSize,
    ElementKind Element,
    EquatableArray<LayerSpec> Layers,
    LossSpec Loss,
    PriorSpec Prior,
    EquatableArray<int> InputShape = default)
{
    /// <summary>Whether the input is an image [channels, height, width] (<see cref="InputShape"/> has three sizes).</summary>
    public bool HasImageInput => InputShape.Count == 3;

    /// <summary>Whether any layer is a dropout (the network then has a separate training pass).</summary>
    public bool HasDropout
    {
        get
        {
            foreach (var layer in Layers)
            {
                if (layer.Kind == LayerKind.Dropout) return true;
            }
            return false;
        }
    }

    public int OutputSize => Layers[Layers.Count - 1].OutputWidth;

    public int ParameterCount
    {
        get
        {
            int total = 0;
            foreach (var layer in Layers) total += layer.ParameterCount;
            return total;
        }
    }

    public int TargetSize => Loss.Kind == LossKind.Gaussian ? OutputSize : 1;
}
