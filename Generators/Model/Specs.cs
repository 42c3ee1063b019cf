using Dnn2Gp.Generators.Helpers;

namespace Dnn2Gp.Generators.Model;

/// <summary>
/// One layer after shape inference. <see cref="ModuleIndex"/> is the index the layer has in the equivalent PyTorch
/// <c>nn.Sequential</c> (it names the parameters: <c>{ModuleIndex}.weight</c>). <see cref="ParameterOffset"/> is the
/// offset of its weight in the flat parameter vector (dense layers only).
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    int InputWidth,
    int OutputWidth,
    bool Bias,
    OpKind Activation,
    int ModuleIndex,
    int DenseIndex,
    int ParameterOffset)
{
    public int WeightCount => Kind == LayerKind.Dense ? InputWidth * OutputWidth : 0;

    public int ParameterCount => Kind == LayerKind.Dense ? WeightCount + (Bias ? OutputWidth : 0) : 0;

    public int BiasOffset => ParameterOffset + WeightCount;
}

/// <summary>The likelihood; <see cref="Sigma"/> is used by <see cref="LossKind.Gaussian"/> only.</summary>
internal sealed record LossSpec(LossKind Kind, double Sigma);

/// <summary>The prior: one precision (isotropic) or one per dense layer (layerwise).</summary>
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
    PriorSpec Prior)
{
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
