using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// Writes explicit seeded Jacobian rows of the layers from <c>firstLayer</c> on: row (e − firstRow)·c + r of
/// <c>rows</c> (stride <c>stride</c>) gets the derivatives of seed r of example e, the parameter at index i in column
/// i − <c>columnShift</c>. The caller clears the rows first. Used for the full GGN (all layers, square-root seeds) and
/// the last-layer posterior (its layer only, shifted to column 0).
/// </summary>
internal unsafe struct RowsVisitor<T>(T* rows, int stride, int firstRow, int firstLayer, int columnShift) : IFactorVisitor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _start;

    public void Begin(int start, int n, ReadOnlySpan<T> outputs) => _start = start - firstRow;

    public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
    {
        if (layer.Index < firstLayer) return;
        var shifted = layer with
        {
            WeightOffset = layer.WeightOffset - columnShift,
            BiasOffset = layer.HasBias ? layer.BiasOffset - columnShift : -1,
        };
        LayerRules.JacobianRows(shifted, input, factors, n, c, new Span<T>(rows + (long)_start * c * stride, n * c * stride), stride);
    }

    public void End() { }
}
