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
/// below it, L21 = A21·L11⁻ᵀ (<see cref="Triangular.RightLowerTransposed"/>: recursive, GEMM-based), and subtracts
/// L21·L21ᵀ from the lower triangle of the trailing matrix (<see cref="SymmetricRankK"/>: block rows). For n in the
/// thousands nearly all multiply-adds are in the last two, i.e. in GEMM. With a look-ahead of one block the next
/// diagonal block and panel are factored while the rest of the trailing matrix is updated, so the cores are not left
/// idle by the serial diagonal factorisation.
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
        if (parallel && n > 2 * nb && Environment.ProcessorCount > 1)
        {
            return LookAhead(a, n, lda, nb, floor, ref stats, offset);
        }
        for (int k0 = 0; k0 < n; k0 += nb)
        {
            int kb = Math.Min(nb, n - k0);
            double* akk = a + (k0 * lda) + k0;
            int failed = Diagonal(akk, kb, lda, floor, ref stats, offset + k0);
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

    /// <summary>
    /// The blocked loop with a look-ahead of one block: after panel k is solved, the next block column is updated
    /// first, then the next diagonal block and panel are factored on one thread while the rest of the trailing matrix
    /// is updated on the others, so the serial diagonal factorisation and the skinny panel solve hide behind the
    /// big update instead of leaving cores idle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LookAhead(double* a, int n, nint lda, int nb, double floor, ref PivotStats stats, int offset)
    {
        int failed = Diagonal(a, nb, lda, floor, ref stats, offset);
        if (failed >= 0)
        {
            return failed;
        }
        Triangular.RightLowerTransposed(a, nb, lda, a + (nb * lda), n - nb, lda, parallel: true);
        PivotStats shared = stats;
        for (int k0 = 0; ; k0 += nb)
        {
            int kb = Math.Min(nb, n - k0), k1 = k0 + kb, m = n - k1;
            if (m == 0)
            {
                break;
            }
            double* panel = a + (k1 * lda) + k0;      // L[k1:n, k0:k1], solved
            double* trailing = a + (k1 * lda) + k1;   // A[k1:n, k1:n]
            int next = Math.Min(nb, m);
            // The next block column (its diagonal block in full: the part above the diagonal is never read).
            Blas.Gemm(true, false, true, m, next, kb, -1.0, panel, lda, panel, lda, 1.0, trailing, lda);
            nint pp = (nint)panel, pt = (nint)trailing;
            int rest = m - next, diagonalFailed = -1, at = offset + k1;
            PivotStats local = shared;
            // One queue: item 0 is the next diagonal block and panel, the others the block rows of the rest of the
            // trailing update, largest first; each core takes the next item, so no core waits and none is oversubscribed.
            int blocks = rest > 0 ? SymmetricRankK.BlockCount(rest) : 0;
            Blas.ForEachItem(1 + blocks, Environment.ProcessorCount, item =>
            {
                double* t = (double*)pt;
                if (item == 0)
                {
                    diagonalFailed = Diagonal(t, next, lda, floor, ref local, at);
                    if (diagonalFailed < 0 && rest > 0)
                    {
                        Triangular.RightLowerTransposed(t, next, lda, t + (next * lda), rest, lda, parallel: false);
                    }
                }
                else
                {
                    SymmetricRankK.LowerBlockRow(blocks - item, rest, kb, -1.0, (double*)pp + (next * lda), lda, 1.0,
                        t + (next * lda) + next, lda);
                }
            });
            shared = local;
            if (diagonalFailed >= 0)
            {
                stats = shared;
                return diagonalFailed;
            }
        }
        stats = shared;
        return -1;
    }

    /// <summary>Factors a diagonal block (at most one block step wide) on the calling thread.</summary>
    private static int Diagonal(double* a, int n, nint lda, double floor, ref PivotStats stats, int offset) =>
        n <= UnblockedOrder
            ? Unblocked(a, n, lda, floor, ref stats, offset)
            : Blocked(a, n, lda, InnerBlockSize, floor, ref stats, offset, parallel: false);

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
