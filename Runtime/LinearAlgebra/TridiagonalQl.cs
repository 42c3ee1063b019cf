using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson-type
/// shifts (EISPACK tql2 / Numerical Recipes tqli), the rotations recorded and applied to the eigenvector rows in cache-
/// sized column chunks.
/// </summary>
/// <remarks>
/// The QL sweeps touch only d and e (O(n) each), so their Givens rotations are recorded in batches and then applied
/// to Zᵀ (row i = the i-th eigenvector of T): a rotation mixes two adjacent rows, and applying a whole batch to a
/// strip of <see cref="ChunkColumns"/> columns at a time keeps the strip in L2 while the batch streams by, so the
/// 6n³-odd flops of the accumulation run from cache rather than from memory, with the strips split across the cores.
/// </remarks>
internal static unsafe class TridiagonalQl
{
    /// <summary>Columns of Zᵀ per strip (n × this × 8 bytes should sit in L2).</summary>
    private const int ChunkColumns = 16;

    /// <summary>Rotations recorded before a batch is applied.</summary>
    private const int BatchSize = 1 << 18;

    /// <summary>The most QL iterations allowed per eigenvalue (LAPACK allows 30; this is generous).</summary>
    private const int MaxIterations = 60;

    /// <summary>
    /// Diagonalises T (diagonal <paramref name="d"/>, n; sub-diagonal <paramref name="e"/>, n − 1 used, destroyed):
    /// eigenvalues, unsorted, to d; rows of <paramref name="zt"/> (n×n, on entry the rows to rotate, e.g. I) are
    /// rotated so that on exit row i is the eigenvector of eigenvalue d[i] (times the entry matrix). With a null
    /// <paramref name="zt"/> only the eigenvalues are computed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Diagonalize(double* d, double* e, int n, double* zt)
    {
        if (n < 2)
        {
            return;
        }
        Batch? batch = zt is null ? null : new Batch(n, zt);
        double eps = Math.ScaleB(1.0, -52);
        e[n - 1] = 0;
        // EISPACK tql2's absolute floor: |e| below eps·max(|d| + |e|) seen so far is negligible as well. Without it a
        // cluster of eigenvalues at the rounding level of a rank-deficient matrix (a kernel J Jᵀ with more rows than
        // parameters) never meets the relative test alone.
        double norm = 0;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            int m;
            norm = Math.Max(norm, Math.Abs(d[l]) + Math.Abs(e[l]));
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= eps * dd || Math.Abs(e[m]) <= eps * norm)
                    {
                        break;
                    }
                }
                if (m == l)
                {
                    break;
                }
                if (++iterations > MaxIterations)
                {
                    throw new ArithmeticException(
                        $"The symmetric tridiagonal QL iteration did not converge for eigenvalue {l} of {n} in {MaxIterations} iterations; " +
                        "the matrix probably holds values near overflow or underflow: rescale it.");
                }
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = HouseholderTridiagonal.Hypot(g, 1);
                g = d[m] - d[l] + (e[l] / (g + Math.CopySign(r, g)));
                double s = 1, c = 1, p = 0;
                int i;
                bool underflow = false;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    e[i + 1] = r = HouseholderTridiagonal.Hypot(f, g);
                    if (r == 0)
                    {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = ((d[i] - g) * s) + (2 * c * b);
                    p = s * r;
                    d[i + 1] = g + p;
                    g = (c * r) - b;
                    batch?.Add(i, c, s);
                }
                if (underflow)
                {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
            while (m != l);
        }
        batch?.Flush();
    }

    /// <summary>Recorded rotations (row i, c, s): row i+1 ← s·row i + c·row i+1, row i ← c·row i − s·row i+1.</summary>
    private sealed class Batch(int n, double* zt)
    {
        // About n²/2 · (1.5 … 2) rotations in all: small problems record them all in one batch of their size.
        private readonly int _capacity = (int)Math.Min(BatchSize, Math.Max(64L, 2L * n * n));
        private readonly int[] _row = new int[Math.Min(BatchSize, Math.Max(64, 2 * n * n))];
        private readonly double[] _c = new double[Math.Min(BatchSize, Math.Max(64, 2 * n * n))];
        private readonly double[] _s = new double[Math.Min(BatchSize, Math.Max(64, 2 * n * n))];
        private int _count;

        public void Add(int row, double c, double s)
        {
            _row[_count] = row;
            _c[_count] = c;
            _s[_count] = s;
            if (++_count == _capacity)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }
            int chunks = (n + ChunkColumns - 1) / ChunkColumns;
            int count = _count;
            nint z = (nint)zt;
            Blas.ForEachItem(chunks, Blas.Workers((long)count * n * 3, chunks), chunk =>
            {
                int c0 = chunk * ChunkColumns, width = Math.Min(ChunkColumns, n - c0);
                // The strip is copied into contiguous rows first: rows of Zᵀ are n·8 bytes apart, so walking a strip
                // in place touches one page per row, far more pages than the TLB holds once n is in the thousands.
                double[] packed = ArrayPool<double>.Shared.Rent(n * width);
                try
                {
                    fixed (double* p = packed)
                    fixed (int* rows = _row)
                    fixed (double* cs = _c)
                    fixed (double* ss = _s)
                    {
                        double* src = (double*)z + c0;
                        for (int i = 0; i < n; i++)
                        {
                            new ReadOnlySpan<double>(src + ((nint)i * n), width).CopyTo(new Span<double>(p + (i * width), width));
                        }
                        Apply(p, width, width, rows, cs, ss, count);
                        for (int i = 0; i < n; i++)
                        {
                            new ReadOnlySpan<double>(p + (i * width), width).CopyTo(new Span<double>(src + ((nint)i * n), width));
                        }
                    }
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(packed);
                }
            });
            _count = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Apply(double* strip, int ld, int width, int* rows, double* cs, double* ss, int count)
        {
            if (width == ChunkColumns && Vector256.IsHardwareAccelerated)
            {
                ApplyStrip16(strip, ld, rows, cs, ss, count);
                return;
            }
            for (int r = 0; r < count; r++)
            {
                double* zi = strip + ((nint)rows[r] * ld), zj = zi + ld;
                double c = cs[r], s = ss[r];
                for (int t = 0; t < width; t++)
                {
                    double a = zi[t], b = zj[t];
                    zj[t] = (s * a) + (c * b);
                    zi[t] = (c * a) - (s * b);
                }
            }
        }

        /// <summary>
        /// A 16-column strip: a QL sweep is a run of rotations on rows i+1, i, i−1, …, so the row carried from one
        /// rotation to the next stays in registers: one load and one store of the strip's row per rotation.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ApplyStrip16(double* strip, int ld, int* rows, double* cs, double* ss, int count)
        {
            int r = 0;
            while (r < count)
            {
                // Start of a run: the carry is row rows[r] + 1.
                double* carryRow = strip + (((nint)rows[r] + 1) * ld);
                Vector256<double> k0 = Vector256.Load(carryRow), k1 = Vector256.Load(carryRow + 4);
                Vector256<double> k2 = Vector256.Load(carryRow + 8), k3 = Vector256.Load(carryRow + 12);
                while (true)
                {
                    double* zi = strip + ((nint)rows[r] * ld);
                    var vc = Vector256.Create(cs[r]);
                    var vs = Vector256.Create(ss[r]);
                    var vn = -vs;
                    Vector256<double> a0 = Vector256.Load(zi), a1 = Vector256.Load(zi + 4);
                    Vector256<double> a2 = Vector256.Load(zi + 8), a3 = Vector256.Load(zi + 12);
                    double* zj = zi + ld;
                    Vector256.Store(Vector256.MultiplyAddEstimate(vs, a0, vc * k0), zj);
                    Vector256.Store(Vector256.MultiplyAddEstimate(vs, a1, vc * k1), zj + 4);
                    Vector256.Store(Vector256.MultiplyAddEstimate(vs, a2, vc * k2), zj + 8);
                    Vector256.Store(Vector256.MultiplyAddEstimate(vs, a3, vc * k3), zj + 12);
                    k0 = Vector256.MultiplyAddEstimate(vn, k0, vc * a0);
                    k1 = Vector256.MultiplyAddEstimate(vn, k1, vc * a1);
                    k2 = Vector256.MultiplyAddEstimate(vn, k2, vc * a2);
                    k3 = Vector256.MultiplyAddEstimate(vn, k3, vc * a3);
                    r++;
                    if (r == count || rows[r] != rows[r - 1] - 1)
                    {
                        Vector256.Store(k0, zi);
                        Vector256.Store(k1, zi + 4);
                        Vector256.Store(k2, zi + 8);
                        Vector256.Store(k3, zi + 12);
                        break;
                    }
                }
            }
        }
    }
}
