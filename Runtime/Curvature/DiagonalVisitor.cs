using System;
using System.Buffers;
using System.Numerics;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Sums Σₑ Σᵣ (∂ seed r of example e / ∂θ)² into a per-worker double P-vector, layer by layer
/// (<see cref="LayerRules.AccumulateDiagonal{T}"/>): the diagonal GGN for square-root Hessian seeds, the empirical
/// Fisher's diagonal for residual seeds. The sums and the layer scratch are pooled arrays, so a pass over a data set
/// leaves no garbage behind: call <see cref="Release"/> once the sums have been read.
/// </summary>
internal struct DiagonalVisitor<T> : IFactorVisitor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _diagonal;
    private readonly int _parameters;
    private T[] _scratch;

    public DiagonalVisitor(int parameters)
    {
        _parameters = parameters;
        _diagonal = ArrayPool<double>.Shared.Rent(parameters);
        Array.Clear(_diagonal, 0, parameters);
        _scratch = [];
    }

    /// <summary>This worker's sums, [P].</summary>
    public readonly ReadOnlySpan<double> Diagonal => _diagonal.AsSpan(0, _parameters);

    public readonly void Begin(int start, int n, ReadOnlySpan<T> outputs) { }

    public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
    {
        int size = LayerRules.DiagonalScratch(layer, n, c);
        if (_scratch.Length < size)
        {
            if (_scratch.Length > 0) ArrayPool<T>.Shared.Return(_scratch);
            _scratch = ArrayPool<T>.Shared.Rent(size);
        }
        LayerRules.AccumulateDiagonal(layer, input, factors, n, c, _scratch, _diagonal.AsSpan(0, _parameters));
    }

    public readonly void End() { }

    /// <summary>Returns the pooled sums and scratch; the visitor must not be used afterwards.</summary>
    public void Release()
    {
        if (_scratch.Length > 0) ArrayPool<T>.Shared.Return(_scratch);
        _scratch = [];
        ArrayPool<double>.Shared.Return(_diagonal);
    }
}
