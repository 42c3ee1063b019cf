using System;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Symmetric rank-k update, C = α·A·Aᵀ + β·C (or α·Aᵀ·A + β·C), computing only the lower triangle, block row by block
/// row, on the project's GEMM (<see cref="Cpu.Gemm"/>), then optionally mirroring it into the upper triangle. For the
/// full GGN JᵀΛJ and kernels J·Jᵀ this does about half the multiply-adds of a general product.
/// </summary>
/// <remarks>
/// The lower triangle is cut into block rows of <see cref="BlockRows"/> rows: the part left of the diagonal block is
/// one GEMM written in place, the diagonal block one small GEMM into scratch of which only the lower half is merged, so
/// the strict upper triangle of C is never read or written unless <c>mirror</c> is set. Block rows are independent
/// and run on all cores, the largest first; each is computed by the same operations whatever thread runs it.
/// </remarks>
public static unsafe class SymmetricRankK
{
    /// <summary>Rows per block row of C: a multiple of the GEMM's micro-tile heights, tuned on the Cholesky trailing update.</summary>
    internal const int BlockRows = 96;

    /// <summary>
    /// C[n×n] = <paramref name="alpha"/>·op(A)·op(A)ᵀ + <paramref name="beta"/>·C, lower triangle, where op(A) = A (n×k,
    /// row stride <paramref name="lda"/>) or, when <paramref name="transpose"/>, op(A) = Aᵀ with A stored k×n (the
    /// product is then AᵀA). With <paramref name="mirror"/> the upper triangle is set from the lower; otherwise it is
    /// left untouched. When beta == 0, C is not read.
    /// </summary>
    public static void Update(bool transpose, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        double beta, Span<double> c, int ldc, bool mirror = true)
        => Run(transpose, n, k, alpha, a, lda, beta, c, ldc, mirror, BlockRows);

    /// <inheritdoc cref="Update(bool, int, int, double, ReadOnlySpan{double}, int, double, Span{double}, int, bool)"/>
    public static void Update(bool transpose, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        float beta, Span<float> c, int ldc, bool mirror = true)
        => Run(transpose, n, k, alpha, a, lda, beta, c, ldc, mirror, BlockRows);

    /// <summary>Update with a chosen block-row height (tests use small ones to cover many blocks).</summary>
    internal static void Run<T>(bool transpose, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        T beta, Span<T> c, int ldc, bool mirror, int blockRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(n < 0 ? nameof(n) : nameof(k),
                $"n and k must be non-negative, but n = {n} and k = {k}.");
        }
        MatrixArguments.Rectangle(nameof(a), transpose ? k : n, transpose ? n : k, a.Length, lda);
        MatrixArguments.Square(nameof(c), n, c.Length, ldc);
        fixed (T* pa = a)
        fixed (T* pc = c)
        {
            LowerCore(transpose, n, k, alpha, pa, lda, beta, pc, ldc, parallel: true, blockRows);
            if (mirror)
            {
                SymmetricMatrix.MirrorLowerCore(pc, n, ldc);
            }
        }
    }

    /// <summary>The lower triangle of C = alpha·op(A)·op(A)ᵀ + beta·C on raw pointers (no checks).</summary>
    internal static void LowerCore<T>(bool transpose, int n, int k, T alpha, T* a, nint lda, T beta, T* c, nint ldc,
        bool parallel, int blockRows = BlockRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0)
        {
            return;
        }
        int bs = blockRows;
        int blocks = (n + bs - 1) / bs;
        long work = (long)n * n * Math.Max(k, 1) / 2;
        int workers = parallel ? Blas.Workers(work, blocks) : 1;
        // Few blocks for the cores (a small n with a long k): keep them in order and let each GEMM use the cores.
        bool gemmParallel = parallel && blocks < 2 * Environment.ProcessorCount;
        if (gemmParallel)
        {
            workers = 1;
        }
        nint pa = (nint)a, pc = (nint)c;
        Blas.ForEachItem(blocks, workers, item =>
        {
            int block = blocks - 1 - item;
            Block(transpose, n, k, alpha, (T*)pa, lda, beta, (T*)pc, ldc, block * bs, Math.Min(n, (block + 1) * bs),
                gemmParallel);
        });
    }

    /// <summary>Block rows of <paramref name="n"/> rows at <paramref name="blockRows"/> each.</summary>
    internal static int BlockCount(int n, int blockRows = BlockRows) => (n + blockRows - 1) / blockRows;

    /// <summary>
    /// Block row <paramref name="block"/> of <see cref="LowerCore"/> on the calling thread, for callers that schedule the
    /// block rows together with other work (a Cholesky look-ahead).
    /// </summary>
    internal static void LowerBlockRow<T>(int block, int n, int k, T alpha, T* a, nint lda, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Block(false, n, k, alpha, a, lda, beta, c, ldc, block * BlockRows, Math.Min(n, (block + 1) * BlockRows), parallel: false);

    /// <summary>Rows [r0, r1) of the lower triangle: the part left of the diagonal block in place, the diagonal block via scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<T>(bool transpose, int n, int k, T alpha, T* a, nint lda, T beta, T* c, nint ldc,
        int r0, int r1, bool parallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rb = r1 - r0;
        // op(A) rows r0..r1: row i of op(A) is A's row i (a + i·lda), or A's column i (a + i) when transposed.
        T* rows = transpose ? a + r0 : a + (r0 * lda);
        if (k == 0 || T.IsZero(alpha))
        {
            Scale(c + (r0 * ldc), rb, r0, ldc, beta);
        }
        else if (r0 > 0)
        {
            Blas.Gemm(parallel, transpose, !transpose, rb, r0, k, alpha, rows, lda, a, lda, beta, c + (r0 * ldc), ldc);
        }

        T[] scratch = ArrayPool<T>.Shared.Rent(rb * rb);
        try
        {
            fixed (T* s = scratch)
            {
                if (k == 0 || T.IsZero(alpha))
                {
                    new Span<T>(s, rb * rb).Clear();
                }
                else
                {
                    Blas.Gemm(parallel, transpose, !transpose, rb, rb, k, T.One, rows, lda, rows, lda, T.Zero, s, rb);
                }
                for (int i = 0; i < rb; i++)
                {
                    T* ci = c + ((r0 + i) * ldc) + r0;
                    T* si = s + (i * rb);
                    if (T.IsZero(beta))
                    {
                        for (int j = 0; j <= i; j++)
                        {
                            ci[j] = alpha * si[j];
                        }
                    }
                    else
                    {
                        for (int j = 0; j <= i; j++)
                        {
                            ci[j] = (alpha * si[j]) + (beta * ci[j]);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>C[rows×cols] = beta·C (cleared, not read, when beta == 0).</summary>
    private static void Scale<T>(T* c, int rows, int cols, nint ldc, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var row = new Span<T>(c + (i * ldc), cols);
            if (T.IsZero(beta))
            {
                row.Clear();
            }
            else
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] *= beta;
                }
            }
        }
    }
}
