using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Sums Σₑ Σᵣ (∂ seed r of example e / ∂θ)² into a per-worker double P-vector, layer by layer
/// (<see cref="LayerRules.AccumulateDiagonal{T}"/>): the diagonal GGN for square-root Hessian seeds, the empirical
/// Fisher's diagonal for residual seeds. Its scratch grows to the largest layer's need once and is then reused.
/// </summary>
internal struct DiagonalVisitor<T>(int parameters) : IFactorVisitor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>This worker's sums, [P].</summary>
    public double[] Diagonal { get; } = new double[parameters];

    private T[] _scratch = [];

    public void Begin(int start, int n, ReadOnlySpan<T> outputs) { }

    public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
    {
        int size = LayerRules.DiagonalScratch(layer, n, c);
        if (_scratch.Length < size) _scratch = new T[size];
        LayerRules.AccumulateDiagonal(layer, input, factors, n, c, _scratch, Diagonal);
    }

    public void End() { }
}
