using System;
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
    private const int ChunkColumns = 32;

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
    public static void Diagonalize(double* d, double* e, int n, double* zt)
    {
        if (n < 2)
        {
            return;
        }
        Batch? batch = zt is null ? null : new Batch(n, zt);
        double eps = Math.ScaleB(1.0, -52);
        e[n - 1] = 0;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= eps * dd)
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
        private readonly int[] _row = new int[BatchSize];
        private readonly double[] _c = new double[BatchSize];
        private readonly double[] _s = new double[BatchSize];
        private int _count;

        public void Add(int row, double c, double s)
        {
            _row[_count] = row;
            _c[_count] = c;
            _s[_count] = s;
            if (++_count == BatchSize)
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
                fixed (int* rows = _row)
                fixed (double* cs = _c)
                fixed (double* ss = _s)
                {
                    Apply((double*)z + c0, n, width, rows, cs, ss, count);
                }
            });
            _count = 0;
        }

        private static void Apply(double* strip, int ld, int width, int* rows, double* cs, double* ss, int count)
        {
            int vectorWidth = Vector256.IsHardwareAccelerated ? width / 4 * 4 : 0;
            for (int r = 0; r < count; r++)
            {
                double* zi = strip + ((nint)rows[r] * ld), zj = zi + ld;
                double c = cs[r], s = ss[r];
                int t = 0;
                if (vectorWidth > 0)
                {
                    var vc = Vector256.Create(c);
                    var vs = Vector256.Create(s);
                    for (; t < vectorWidth; t += 4)
                    {
                        var a = Vector256.Load(zi + t);
                        var b = Vector256.Load(zj + t);
                        Vector256.Store((vs * a) + (vc * b), zj + t);
                        Vector256.Store((vc * a) - (vs * b), zi + t);
                    }
                }
                for (; t < width; t++)
                {
                    double a = zi[t], b = zj[t];
                    zj[t] = (s * a) + (c * b);
                    zi[t] = (c * a) - (s * b);
                }
            }
        }
    }
}
