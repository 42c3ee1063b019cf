using System;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// The factorisation itself: blocked right-looking Cholesky A = L·Lᵀ of a row-major lower triangle, in place.
/// </summary>
/// <remarks>
/// Each step factors a diagonal block of <see cref="BlockSize"/> columns (by the same blocked loop with
/// <see cref="InnerBlockSize"/>, then row-wise substitution below <see cref="UnblockedOrder"/>), solves the panel
/// below it, L21 = A21·L11⁻ᵀ (<see cref="Triangular.RightLowerTransposed"/>: recursive, GEMM-based, rows on all
/// cores), and subtracts L21·L21ᵀ from the lower triangle of the trailing matrix (<see cref="SymmetricRankK"/>: block
/// rows on all cores). For n in the thousands nearly all multiply-adds are in the last two, i.e. in GEMM.
/// </remarks>
internal static unsafe class CholeskyKernel
{
    /// <summary>Columns per block step at the top level (the k of the trailing GEMMs).</summary>
    internal const int BlockSize = 192;

    /// <summary>Columns per block step inside a diagonal block.</summary>
    private const int InnerBlockSize = 32;

    /// <summary>Orders up to which a block is factored by plain row-wise substitution.</summary>
    private const int UnblockedOrder = 32;

    /// <summary>What the pivots of one attempt looked like.</summary>
    internal struct PivotStats
    {
        /// <summary>The smallest pivot value (Lᵢᵢ² before the square root) seen so far.</summary>
        public double Smallest;

        /// <summary>The value of the pivot that failed (NaN if none did).</summary>
        public double Failed;
    }

    /// <summary>
    /// Factors the lower triangle of the n×n block at <paramref name="a"/> in place. Returns −1, or the 0-based index of
    /// the first pivot that is NaN or not above <paramref name="floor"/> (the factor is then incomplete).
    /// </summary>
    public static int Factor(double* a, int n, nint lda, double floor, ref PivotStats stats, bool parallel,
        int blockSize = BlockSize)
        => Blocked(a, n, lda, blockSize, floor, ref stats, 0, parallel);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Blocked(double* a, int n, nint lda, int nb, double floor, ref PivotStats stats, int offset, bool parallel)
    {
        if (n <= UnblockedOrder)
        {
            return Unblocked(a, n, lda, floor, ref stats, offset);
        }
        for (int k0 = 0; k0 < n; k0 += nb)
        {
            int kb = Math.Min(nb, n - k0);
            double* akk = a + (k0 * lda) + k0;
            int failed = kb <= UnblockedOrder
                ? Unblocked(akk, kb, lda, floor, ref stats, offset + k0)
                : Blocked(akk, kb, lda, InnerBlockSize, floor, ref stats, offset + k0, parallel: false);
            if (failed >= 0)
            {
                return failed;
            }
            int m = n - k0 - kb;
            if (m == 0)
            {
                break;
            }
            double* a21 = akk + (kb * lda);
            Triangular.RightLowerTransposed(akk, kb, lda, a21, m, lda, parallel);
            SymmetricRankK.LowerCore(false, m, kb, -1.0, a21, lda, 1.0, a21 + kb, lda, parallel);
        }
        return -1;
    }

    /// <summary>Row-wise (Cholesky–Banachiewicz) factorisation: every inner product is over two contiguous rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Unblocked(double* a, int n, nint lda, double floor, ref PivotStats stats, int offset)
    {
        for (int i = 0; i < n; i++)
        {
            double* ri = a + (i * lda);
            for (int j = 0; j < i; j++)
            {
                double* rj = a + (j * lda);
                ri[j] = (ri[j] - TensorPrimitives.Dot(new ReadOnlySpan<double>(ri, j), new ReadOnlySpan<double>(rj, j))) / rj[j];
            }
            double d = ri[i] - TensorPrimitives.Dot(new ReadOnlySpan<double>(ri, i), new ReadOnlySpan<double>(ri, i));
            if (!(d >= stats.Smallest))
            {
                stats.Smallest = d;
            }
            if (!(d > floor))
            {
                stats.Failed = d;
                return offset + i;
            }
            ri[i] = Math.Sqrt(d);
        }
        return -1;
    }
}
