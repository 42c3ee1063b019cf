using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Dispatches a curvature rule to the rules of the layer's kind (<see cref="DenseRules"/>, <see cref="Conv2DRules"/>).
/// Adding a layer kind means one case per rule here and one rules class.
/// </summary>
public static class LayerRules
{
    /// <summary>Scratch elements <see cref="AccumulateDiagonal{T}"/> needs for <paramref name="n"/> examples and c seeds.</summary>
    public static int DiagonalScratch(in LayerInfo layer, int n, int c) => layer.Kind switch
    {
        ParametrizedLayerKind.Dense => DenseRules.DiagonalScratch(layer, n),
        ParametrizedLayerKind.Conv2D => Conv2DRules.DiagonalScratch(layer, n, c),
        _ => throw Unsupported(layer),
    };

    /// <summary>Adds Σₑ Σᵣ (∂ seed r of example e / ∂θ)² over the layer's parameters to the P-vector <paramref name="diagonal"/>.</summary>
    public static void AccumulateDiagonal<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> scratch, Span<double> diagonal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer.Kind)
        {
            case ParametrizedLayerKind.Dense:
                DenseRules.AccumulateDiagonal(layer, input, factors, n, c, scratch, diagonal);
                break;
            case ParametrizedLayerKind.Conv2D:
                Conv2DRules.AccumulateDiagonal(layer, input, factors, n, c, scratch, diagonal);
                break;
            default:
                throw Unsupported(layer);
        }
    }

    /// <summary>Writes the layer's columns of the explicit Jacobian rows (row e·c + r, stride <paramref name="rowStride"/>).</summary>
    public static void JacobianRows<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> rows, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer.Kind)
        {
            case ParametrizedLayerKind.Dense:
                DenseRules.JacobianRows(layer, input, factors, n, c, rows, rowStride);
                break;
            case ParametrizedLayerKind.Conv2D:
                Conv2DRules.JacobianRows(layer, input, factors, n, c, rows, rowStride);
                break;
            default:
                throw Unsupported(layer);
        }
    }

    /// <summary>Scratch elements <see cref="AccumulateKfac{T}"/> needs.</summary>
    public static int KfacScratch(in LayerInfo layer, int n, int c) => layer.Kind switch
    {
        ParametrizedLayerKind.Dense => DenseRules.KfacScratch(layer, n),
        ParametrizedLayerKind.Conv2D => Conv2DRules.KfacScratch(layer, n),
        _ => throw Unsupported(layer),
    };

    /// <summary>Adds the chunk's Kronecker factors A (AugmentedColumns²) and G (WeightRows²) of the layer.</summary>
    public static void AccumulateKfac<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> scratch, Span<double> a, Span<double> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer.Kind)
        {
            case ParametrizedLayerKind.Dense:
                DenseRules.AccumulateKfac(layer, input, factors, n, c, scratch, a, g);
                break;
            case ParametrizedLayerKind.Conv2D:
                Conv2DRules.AccumulateKfac(layer, input, factors, n, c, scratch, a, g);
                break;
            default:
                throw Unsupported(layer);
        }
    }

    private static NotSupportedException Unsupported(in LayerInfo layer) =>
        new($"No curvature rules for {layer.Kind} layers yet ({layer}).");
}
