using System;
using System.Buffers;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The explicit-row computations of the dense (full and last-layer) posteriors over the d parameters of the layers
/// from <c>firstLayer</c> on (which start at network parameter <c>offset</c>): the GGN Σ Vᵀ V from blocks of
/// square-root-seeded rows V by a symmetric rank-k update in double, and the predictive covariances and kernels
/// J Σ Jᵀ by triangular solves with the posterior's Cholesky factor on blocks of logit rows. Rows are formed a block at
/// a time (bounded memory), never for the whole data set.
/// </summary>
internal static unsafe class DenseRows<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>About this many row values per block.</summary>
    private const long BlockValues = 4L << 20;

    /// <summary>Σₙ Vₙᵀ Vₙ (d × d, double, symmetric) with Vₙ the rows of the square-root factor of Λₙ times Jₙ (covered layers).</summary>
    public static double[] Ggn(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int n, int firstLayer, int offset, int d)
    {
        int c = OutputFactors.SquareRootCount(TNet.Likelihood, TNet.OutputSize);
        var ggn = new double[(long)d * d];
        int block = (int)Math.Clamp(BlockValues / Math.Max(1L, (long)c * d), 1, Math.Max(1, n));
        T[] rows = ArrayPool<T>.Shared.Rent(block * c * d);
        double[]? converted = typeof(T) == typeof(double) ? null : ArrayPool<double>.Shared.Rent(block * c * d);
        try
        {
            fixed (T* pr = rows)
            {
                for (int start = 0; start < n; start += block)
                {
                    int nb = Math.Min(block, n - start);
                    int count = nb * c * d;
                    rows.AsSpan(0, count).Clear();
                    Fill(parameters, inputs, start, nb, new SquareRootHessianSeed<T>(TNet.Likelihood, TNet.OutputSize), pr, d, firstLayer, offset);
                    ReadOnlySpan<double> v;
                    if (converted is null) v = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(rows.AsSpan(0, count));
                    else
                    {
                        for (int i = 0; i < count; i++) converted[i] = double.CreateTruncating(rows[i]);
                        v = converted.AsSpan(0, count);
                    }
                    SymmetricRankK.Update(true, d, nb * c, 1.0, v, d, 1.0, ggn, d, mirror: false);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rows);
            if (converted is not null) ArrayPool<double>.Shared.Return(converted);
        }
        SymmetricMatrix.MirrorLower(ggn, d);
        return ggn;
    }

    /// <summary>Adds J(xₑ) H⁻¹ J(xₑ)ᵀ [m, K, K] (logits, covered layers) with H = L Lᵀ: ‖L⁻¹ Jₑ,ₖᵀ‖ inner products.</summary>
    public static void FunctionalCovariance(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int m, int firstLayer, int offset,
        DensePrecision precision, Span<double> covariances)
    {
        int k = TNet.OutputSize, d = precision.Dimension;
        int block = (int)Math.Clamp(BlockValues / Math.Max(1L, (long)k * d), 1, Math.Max(1, m));
        T[] rows = ArrayPool<T>.Shared.Rent(block * k * d);
        double[] columns = ArrayPool<double>.Shared.Rent(block * k * d);
        try
        {
            fixed (T* pr = rows)
            {
                for (int start = 0; start < m; start += block)
                {
                    int nb = Math.Min(block, m - start), width = nb * k;
                    Solved(parameters, inputs, start, nb, firstLayer, offset, precision, rows, pr, columns);
                    // cov[e, a, b] = Σ_p Y[p, e·K + a] Y[p, e·K + b].
                    for (int p = 0; p < d; p++)
                    {
                        ReadOnlySpan<double> y = columns.AsSpan(p * width, width);
                        for (int e = 0; e < nb; e++)
                        {
                            Span<double> dst = covariances.Slice((start + e) * k * k, k * k);
                            for (int a = 0; a < k; a++)
                            {
                                double ya = y[e * k + a];
                                for (int b = 0; b < k; b++) dst[a * k + b] += ya * y[e * k + b];
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rows);
            ArrayPool<double>.Shared.Return(columns);
        }
    }

    /// <summary>J(X₁) H⁻¹ J(X₂)ᵀ of the logits over the covered layers, as <paramref name="blocks"/>.</summary>
    public static void Kernel(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2,
        int firstLayer, int offset, DensePrecision precision, KernelBlocks blocks, Span<double> kernel)
    {
        int k = TNet.OutputSize, d = precision.Dimension;
        long needed = (long)m1 * m2 * k * (blocks == KernelBlocks.Full ? k : 1);
        if (kernel.Length != needed)
            throw new ArgumentException($"{TNet.Name}: the {blocks} kernel of {m1:N0} × {m2:N0} inputs needs {needed:N0} values, but 'kernel' has {kernel.Length:N0}.", nameof(kernel));
        var y1 = SolvedAll(parameters, inputs1, m1, firstLayer, offset, precision);
        var y2 = inputs1 == inputs2 && m1 == m2 ? y1 : SolvedAll(parameters, inputs2, m2, firstLayer, offset, precision);
        int w1 = m1 * k, w2 = m2 * k;
        var full = blocks == KernelBlocks.Full ? kernel : new double[(long)w1 * w2];
        Cpu.Gemm.MultiplyParallel(true, false, w1, w2, d, 1.0, y1, w1, y2, w2, 0.0, full, w2);
        if (blocks == KernelBlocks.PerOutput)
        {
            for (int r = 0; r < k; r++)
            {
                for (int i = 0; i < m1; i++)
                {
                    for (int j = 0; j < m2; j++) kernel[(r * m1 + i) * m2 + j] = full[(int)((long)(i * k + r) * w2 + j * k + r)];
                }
            }
        }
    }

    /// <summary>Y = L⁻¹ Rᵀ [d, m·K] for the logit rows R of all <paramref name="m"/> inputs.</summary>
    private static double[] SolvedAll(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int m, int firstLayer, int offset, DensePrecision precision)
    {
        int k = TNet.OutputSize, d = precision.Dimension, width = m * k;
        var rows = new T[(long)width * d];
        var columns = new double[(long)width * d];
        fixed (T* pr = rows)
        {
            Solved(parameters, inputs, 0, m, firstLayer, offset, precision, rows, pr, columns);
        }
        return columns;
    }

    /// <summary>Rows R [nb·K, d] of inputs start … start+nb−1, transposed into <paramref name="columns"/> [d, nb·K] and solved: L⁻¹ Rᵀ.</summary>
    private static void Solved(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int start, int nb, int firstLayer, int offset,
        DensePrecision precision, T[] rows, T* pr, double[] columns)
    {
        int k = TNet.OutputSize, d = precision.Dimension, width = nb * k;
        rows.AsSpan(0, width * d).Clear();
        Fill(parameters, inputs, start, nb, new IdentitySeed<T>(k), pr, d, firstLayer, offset);
        for (int q = 0; q < width; q++)
        {
            for (int p = 0; p < d; p++) columns[p * width + q] = double.CreateTruncating(rows[q * d + p]);
        }
        Triangular.SolveLower(precision.Factor.Lower, d, columns.AsSpan(0, d * width), width, width);
    }

    /// <summary>The seeded rows of inputs start … start+nb−1 into <paramref name="rows"/> (cleared by the caller), row (e − start)·c + r.</summary>
    private static void Fill<TSeed>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int start, int nb, TSeed seed, T* rows, int d, int firstLayer, int offset)
        where TSeed : struct, IOutputSeed<T>
    {
        int dIn = TNet.InputSize;
        var visitors = new RowsVisitor<T>[Curvature<TNet, T>.WorkerCount(nb)];
        for (int w = 0; w < visitors.Length; w++) visitors[w] = new RowsVisitor<T>(rows, d, start, firstLayer, offset);
        Curvature<TNet, T>.Run(parameters, inputs.Slice(start * dIn, nb * dIn), default, nb, seed, visitors, start);
    }
}
