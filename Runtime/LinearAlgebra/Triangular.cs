using System;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics.Tensors;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Solves with a lower-triangular n×n row-major matrix L (a Cholesky factor): L·x = b, Lᵀ·x = b, with one right-hand
/// side or many (B n×m, solved in place), and X·Lᵀ = B (B m×n). Only the lower triangle of L is read.
/// </summary>
/// <remarks>
/// The many-right-hand-side solves are blocked: a block of <see cref="BlockRows"/> rows is solved by row operations
/// (vectorised over the right-hand sides), and its effect on the rest of B is one GEMM, so for big problems almost all
/// the work runs at GEMM speed on all cores. X·Lᵀ = B is solved by halving the columns recursively (one GEMM per
/// split), with the rows of B split across the cores.
/// </remarks>
public static unsafe class Triangular
{
    /// <summary>Rows per diagonal block of the left-side blocked solves.</summary>
    internal const int BlockRows = 96;

    /// <summary>Columns at which the recursive right-side solve stops splitting and substitutes directly.</summary>
    private const int RightLeaf = 32;

    /// <summary>Solves L·x = b in place (<paramref name="x"/> holds b on entry): forward substitution.</summary>
    public static void SolveLower(ReadOnlySpan<double> lower, int n, Span<double> x)
    {
        CheckFactor(lower, n);
        MatrixArguments.Length(nameof(x), x.Length, n, $"one value per row of L (n = {n})");
        fixed (double* l = lower)
        fixed (double* b = x)
        {
            ForwardVector(l, n, n, b);
        }
    }

    /// <summary>Solves Lᵀ·x = b in place (<paramref name="x"/> holds b on entry): back substitution.</summary>
    public static void SolveLowerTransposed(ReadOnlySpan<double> lower, int n, Span<double> x)
    {
        CheckFactor(lower, n);
        MatrixArguments.Length(nameof(x), x.Length, n, $"one value per row of L (n = {n})");
        fixed (double* l = lower)
        fixed (double* b = x)
        {
            BackwardVector(l, n, n, b);
        }
    }

    /// <summary>Solves L·X = B in place: <paramref name="b"/> is n×<paramref name="columns"/> with row stride <paramref name="ldb"/>.</summary>
    public static void SolveLower(ReadOnlySpan<double> lower, int n, Span<double> b, int columns, int ldb)
    {
        CheckFactor(lower, n);
        MatrixArguments.Rectangle(nameof(b), n, columns, b.Length, ldb);
        fixed (double* l = lower)
        fixed (double* pb = b)
        {
            ForwardMatrix(l, n, n, pb, columns, ldb, parallel: true);
        }
    }

    /// <summary>Solves Lᵀ·X = B in place: <paramref name="b"/> is n×<paramref name="columns"/> with row stride <paramref name="ldb"/>.</summary>
    public static void SolveLowerTransposed(ReadOnlySpan<double> lower, int n, Span<double> b, int columns, int ldb)
    {
        CheckFactor(lower, n);
        MatrixArguments.Rectangle(nameof(b), n, columns, b.Length, ldb);
        fixed (double* l = lower)
        fixed (double* pb = b)
        {
            BackwardMatrix(l, n, n, pb, columns, ldb, parallel: true);
        }
    }

    /// <summary>Solves X·Lᵀ = B in place: <paramref name="b"/> is <paramref name="rows"/>×n with row stride <paramref name="ldb"/>
    /// (each row x of the result solves L·xᵀ = bᵀ).</summary>
    public static void SolveRightLowerTransposed(ReadOnlySpan<double> lower, int n, Span<double> b, int rows, int ldb)
    {
        CheckFactor(lower, n);
        MatrixArguments.Rectangle(nameof(b), rows, n, b.Length, ldb);
        fixed (double* l = lower)
        fixed (double* pb = b)
        {
            RightLowerTransposed(l, n, n, pb, rows, ldb, parallel: true);
        }
    }

    private static void CheckFactor(ReadOnlySpan<double> lower, int n)
    {
        MatrixArguments.Square(nameof(lower), n, lower.Length, n);
        for (int i = 0; i < n; i++)
        {
            double d = lower[(i * n) + i];
            if (d == 0 || !double.IsFinite(d))
            {
                throw new ArgumentException(
                    $"The triangular matrix ({n}×{n}) has diagonal entry {d} at row {i}: it must be finite and non-zero to be solved with.",
                    nameof(lower));
            }
        }
    }

    /// <summary>L·x = b, x in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardVector(double* l, int n, nint ldl, double* x)
    {
        for (int i = 0; i < n; i++)
        {
            double* li = l + (i * ldl);
            x[i] = (x[i] - TensorPrimitives.Dot(new ReadOnlySpan<double>(li, i), new ReadOnlySpan<double>(x, i))) / li[i];
        }
    }

    /// <summary>Lᵀ·x = b, x in place (column-oriented, so it reads L by rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardVector(double* l, int n, nint ldl, double* x)
    {
        for (int i = n - 1; i >= 0; i--)
        {
            double* li = l + (i * ldl);
            double xi = x[i] / li[i];
            x[i] = xi;
            if (i > 0)
            {
                var head = new Span<double>(x, i);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(li, i), -xi, head, head);
            }
        }
    }

    /// <summary>L·X = B in place, B n×m: blocked right-looking (row operations in the block, GEMM below it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardMatrix(double* l, int n, nint ldl, double* b, int m, nint ldb, bool parallel)
    {
        if (m == 1 && ldb == 1)
        {
            ForwardVector(l, n, ldl, b);
            return;
        }
        for (int i0 = 0; i0 < n; i0 += BlockRows)
        {
            int i1 = Math.Min(n, i0 + BlockRows);
            for (int i = i0; i < i1; i++)
            {
                double* li = l + (i * ldl);
                var row = new Span<double>(b + (i * ldb), m);
                for (int p = i0; p < i; p++)
                {
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(b + (p * ldb), m), -li[p], row, row);
                }
                TensorPrimitives.Multiply(row, 1.0 / li[i], row);
            }
            if (i1 < n)
            {
                Blas.Gemm(parallel, false, false, n - i1, m, i1 - i0, -1.0, l + (i1 * ldl) + i0, ldl,
                    b + (i0 * ldb), ldb, 1.0, b + (i1 * ldb), ldb);
            }
        }
    }

    /// <summary>Lᵀ·X = B in place, B n×m: blocked from the last block up (GEMM above each block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardMatrix(double* l, int n, nint ldl, double* b, int m, nint ldb, bool parallel)
    {
        if (m == 1 && ldb == 1)
        {
            BackwardVector(l, n, ldl, b);
            return;
        }
        if (n == 0)
        {
            return;
        }
        for (int i0 = (n - 1) / BlockRows * BlockRows; i0 >= 0; i0 -= BlockRows)
        {
            int i1 = Math.Min(n, i0 + BlockRows);
            for (int i = i1 - 1; i >= i0; i--)
            {
                double* li = l + (i * ldl);
                var row = new Span<double>(b + (i * ldb), m);
                TensorPrimitives.Multiply(row, 1.0 / li[i], row);
                for (int p = i0; p < i; p++)
                {
                    var target = new Span<double>(b + (p * ldb), m);
                    TensorPrimitives.MultiplyAdd(row, -li[p], target, target);
                }
            }
            if (i0 > 0)
            {
                Blas.Gemm(parallel, true, false, i0, m, i1 - i0, -1.0, l + (i0 * ldl), ldl,
                    b + (i0 * ldb), ldb, 1.0, b, ldb);
            }
        }
    }

    /// <summary>X·Lᵀ = B in place, B m×n; rows split across the cores when <paramref name="parallel"/>.</summary>
    internal static void RightLowerTransposed(double* l, int n, nint ldl, double* b, int m, nint ldb, bool parallel)
    {
        const int MinRowsPerPart = 48;
        long work = (long)m * n * n / 2;
        int parts = parallel ? Blas.Workers(work, Math.Max(1, m / MinRowsPerPart)) : 1;
        if (parts <= 1)
        {
            RightRecursive(l, n, ldl, b, m, ldb);
            return;
        }
        nint pl = (nint)l, pb = (nint)b;
        Blas.ForEachItem(parts, parts, part =>
        {
            int start = (int)((long)m * part / parts), end = (int)((long)m * (part + 1) / parts);
            RightRecursive((double*)pl, n, ldl, (double*)pb + (start * ldb), end - start, ldb);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RightRecursive(double* l, int n, nint ldl, double* b, int m, nint ldb)
    {
        if (n <= RightLeaf)
        {
            RightLeafSolve(l, n, ldl, b, m, ldb);
            return;
        }
        int h = Math.Max(8, n / 2 / 8 * 8);
        RightRecursive(l, h, ldl, b, m, ldb);
        // B2 -= X1 · L21ᵀ, with L21 = L[h:n, 0:h].
        Blas.Gemm(false, false, true, m, n - h, h, -1.0, b, ldb, l + (h * ldl), ldl, 1.0, b + h, ldb);
        RightRecursive(l + (h * ldl) + h, n - h, ldl, b + h, m, ldb);
    }

    /// <summary>
    /// The leaf of the recursive right solve, at GEMM speed: X = B·L⁻ᵀ with the (at most <see cref="RightLeaf"/>-wide)
    /// triangle inverted by substitution first. Inverting only such small diagonal blocks keeps the accuracy of
    /// substitution for all practical purposes (the error grows with the condition of a 32×32 diagonal block of L, at
    /// most the square root of that of the matching block of A), while the rows of B are solved by one GEMM instead of
    /// n²/2 dependent scalar steps each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RightLeafSolve(double* l, int n, nint ldl, double* b, int m, nint ldb)
    {
        double[] rented = ArrayPool<double>.Shared.Rent((n * n) + (m * n));
        try
        {
            fixed (double* work = rented)
            {
                double* inverse = work, copy = work + (n * n);
                InvertLower(l, n, ldl, inverse);
                for (int r = 0; r < m; r++)
                {
                    new ReadOnlySpan<double>(b + (r * ldb), n).CopyTo(new Span<double>(copy + (r * n), n));
                }
                Blas.Gemm(false, false, true, m, n, n, 1.0, copy, n, inverse, n, 0.0, b, ldb);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>inverse (n×n, dense row-major, zeros above the diagonal) = L⁻¹, column by column by forward substitution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InvertLower(double* l, int n, nint ldl, double* inverse)
    {
        new Span<double>(inverse, n * n).Clear();
        for (int j = 0; j < n; j++)
        {
            inverse[(j * n) + j] = 1.0 / l[(j * ldl) + j];
            for (int i = j + 1; i < n; i++)
            {
                double* li = l + (i * ldl);
                double s = 0;
                for (int p = j; p < i; p++)
                {
                    s -= li[p] * inverse[(p * n) + j];
                }
                inverse[(i * n) + j] = s / li[i];
            }
        }
    }
}
