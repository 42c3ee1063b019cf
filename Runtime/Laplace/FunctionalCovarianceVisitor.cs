using System;
using System.Numerics;
using System.Numerics.Tensors;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// Accumulates the per-example functional covariance J(xₑ) Σ J(xₑ)ᵀ ([m, c, c] for c seeds per example) of a covariance
/// that is block-diagonal over layers, each block diagonal in a (possibly rotated) basis — a diagonal or isotropic Σ, or
/// a KFAC posterior in its eigenbasis — without forming any Jacobian of a dense layer: with ã [n, cols] and factors
/// B [n, c, out] (both rotated into the block's basis), tₑ,ₒ = Σᵢ ãₑ,ᵢ² Sₒ,ᵢ is one GEMM and
/// covₑ[k, l] += Σₒ Bₑ,ₖ,ₒ Bₑ,ₗ,ₒ tₑ,ₒ. Other layer kinds use their explicit rows. The destination is zeroed by the caller;
/// workers write disjoint examples.
/// </summary>
internal unsafe struct FunctionalCovarianceVisitor<T>(double* destination, LayerVariances?[] layers) : IFactorVisitor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _start;
    private double[] _a = [], _rotated = [], _t = [], _b = [], _bRotated = [], _weighted = [];
    private T[] _rows = [];

    public void Begin(int start, int n, ReadOnlySpan<T> outputs) => _start = start;

    public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
    {
        var v = layers[layer.Index];
        if (v is null) return;
        if (layer.Kind != ParametrizedLayerKind.Dense)
        {
            ExplicitLayer(layer, v, input, factors, n, c);
            return;
        }
        int inW = layer.InputSize, outW = layer.OutputSize, cols = layer.AugmentedColumns;
        Ensure(ref _a, n * cols);
        for (int e = 0; e < n; e++)
        {
            for (int i = 0; i < inW; i++) _a[e * cols + i] = double.CreateTruncating(input[e * inW + i]);
            if (layer.HasBias) _a[e * cols + inW] = 1.0;
        }
        double[] a = _a;
        if (v.Right is not null)
        {
            Ensure(ref _rotated, n * cols);
            Gemm.Multiply(false, false, n, cols, cols, 1.0, _a, cols, v.Right, cols, 0.0, _rotated, cols);
            a = _rotated;
        }
        Ensure(ref _t, n * outW);
        if (v.Variances is null)
        {
            for (int e = 0; e < n; e++)
            {
                ReadOnlySpan<double> ae = a.AsSpan(e * cols, cols);
                _t.AsSpan(e * outW, outW).Fill(v.Shared * TensorPrimitives.SumOfSquares(ae));
            }
        }
        else
        {
            Span<double> squares = a.AsSpan(0, n * cols);
            TensorPrimitives.Multiply(squares, squares, squares);
            Gemm.Multiply(false, true, n, outW, cols, 1.0, squares, cols, v.Variances, cols, 0.0, _t, outW);
        }
        int rows = n * c;
        Ensure(ref _b, rows * outW);
        for (int i = 0; i < rows * outW; i++) _b[i] = double.CreateTruncating(factors[i]);
        double[] b = _b;
        if (v.Left is not null)
        {
            Ensure(ref _bRotated, rows * outW);
            Gemm.Multiply(false, false, rows, outW, outW, 1.0, _b, outW, v.Left, outW, 0.0, _bRotated, outW);
            b = _bRotated;
        }
        Ensure(ref _weighted, outW);
        for (int e = 0; e < n; e++)
        {
            double* dst = destination + (long)(_start + e) * c * c;
            ReadOnlySpan<double> te = _t.AsSpan(e * outW, outW);
            for (int k = 0; k < c; k++)
            {
                ReadOnlySpan<double> bk = b.AsSpan((e * c + k) * outW, outW);
                TensorPrimitives.Multiply(bk, te, _weighted.AsSpan(0, outW));
                for (int l = k; l < c; l++)
                {
                    double d = TensorPrimitives.Dot(_weighted.AsSpan(0, outW), b.AsSpan((e * c + l) * outW, outW));
                    dst[k * c + l] += d;
                    if (l != k) dst[l * c + k] += d;
                }
            }
        }
    }

    public void End() { }

    /// <summary>A layer without factored rules: its explicit rows [n·c, layer parameters], weighted by the plain-basis variances.</summary>
    private void ExplicitLayer(in LayerInfo layer, LayerVariances v, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
    {
        if (v.Left is not null || v.Right is not null)
            throw new NotSupportedException($"A rotated (KFAC) covariance is not supported for {layer}.");
        int np = layer.ParameterCount, wc = layer.WeightColumns, cols = layer.AugmentedColumns;
        Ensure(ref _rows, n * c * np);
        Span<T> rows = _rows.AsSpan(0, n * c * np);
        rows.Clear();
        var shifted = layer with { WeightOffset = 0, BiasOffset = layer.HasBias ? layer.WeightCount : -1 };
        LayerRules.JacobianRows(shifted, input, factors, n, c, rows, np);
        Ensure(ref _weighted, np);
        Span<double> s = _weighted.AsSpan(0, np);
        if (v.Variances is null) s.Fill(v.Shared);
        else
        {
            for (int o = 0; o < layer.WeightRows; o++)
            {
                v.Variances.AsSpan(o * cols, wc).CopyTo(s.Slice(o * wc, wc));
                if (layer.HasBias) s[layer.WeightCount + o] = v.Variances[o * cols + wc];
            }
        }
        for (int e = 0; e < n; e++)
        {
            double* dst = destination + (long)(_start + e) * c * c;
            for (int k = 0; k < c; k++)
            {
                for (int l = k; l < c; l++)
                {
                    double d = 0;
                    int rk = (e * c + k) * np, rl = (e * c + l) * np;
                    for (int p = 0; p < np; p++) d += double.CreateTruncating(rows[rk + p]) * s[p] * double.CreateTruncating(rows[rl + p]);
                    dst[k * c + l] += d;
                    if (l != k) dst[l * c + k] += d;
                }
            }
        }
    }

    private static void Ensure<TElement>(ref TElement[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new TElement[length];
    }
}
