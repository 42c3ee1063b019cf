using System;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics.Tensors;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Householder reduction of a symmetric matrix to tridiagonal form, A = H·T·Hᵀ with H = H₀·H₁⋯Hₙ₋₂ (LAPACK's dsytrd
/// with uplo = L, blocked as in dlatrd), and the back-transformation of eigenvectors of T into those of A.
/// </summary>
/// <remarks>
/// The matrix is kept in full (both triangles) row-major storage, so "column k below the diagonal" is read as row k
/// right of the diagonal, contiguously. Within a panel of <see cref="PanelSize"/> reflectors, each needs one product
/// of the not-yet-updated trailing matrix with its vector (split by rows across the cores) plus small corrections by
/// the panel's earlier reflectors; the trailing matrix is then updated once per panel by two GEMMs (A −= V·Wᵀ + W·Vᵀ).
/// Reflector k, Hₖ = I − τₖ·vₖ·vₖᵀ with vₖ zero up to k and 1 at k + 1, is left in row k right of the diagonal.
/// </remarks>
internal static unsafe class HouseholderTridiagonal
{
    /// <summary>Reflectors per panel (the k of the trailing GEMMs).</summary>
    internal const int PanelSize = 32;

    /// <summary>
    /// Reduces the full symmetric n×n matrix <paramref name="a"/> (row stride n) in place: diagonal to
    /// <paramref name="d"/> (n), sub-diagonal to <paramref name="e"/> (n − 1), the τ of each reflector to
    /// <paramref name="tau"/> (n − 1), the reflectors' vectors into the strict upper triangle of <paramref name="a"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce(double* a, int n, double* d, double* e, double* tau)
    {
        if (n == 0)
        {
            return;
        }
        int nb = PanelSize;
        double[] rented = ArrayPool<double>.Shared.Rent((2 * nb * n) + n);
        try
        {
            fixed (double* work = rented)
            {
                double* vt = work, wt = work + (nb * n), x = work + (2 * nb * n);
                for (int k0 = 0; k0 < n - 1; k0 += nb)
                {
                    int kb = Math.Min(nb, n - 1 - k0);
                    Panel(a, n, k0, kb, d, e, tau, vt, wt, x);
                    int s = k0 + kb, m = n - s;
                    if (m > 0)
                    {
                        Blas.Gemm(true, true, false, m, m, kb, -1.0, vt + s, n, wt + s, n, 1.0, a + (s * n) + s, n);
                        Blas.Gemm(true, true, false, m, m, kb, -1.0, wt + s, n, vt + s, n, 1.0, a + (s * n) + s, n);
                    }
                }
                d[n - 1] = a[((n - 1) * n) + n - 1];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Reflectors k0 … k0 + kb − 1: their vectors to rows of <paramref name="vt"/>, the matching w to rows of <paramref name="wt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel(double* a, int n, int k0, int kb, double* d, double* e, double* tau, double* vt, double* wt, double* x)
    {
        for (int i = 0; i < kb; i++)
        {
            int k = k0 + i, len = n - k;
            double* vi = vt + (i * n), wi = wt + (i * n);
            // Column k of the current matrix (read as row k), corrected for the panel's earlier reflectors.
            var col = new Span<double>(x, len);
            new ReadOnlySpan<double>(a + (k * n) + k, len).CopyTo(col);
            for (int p = 0; p < i; p++)
            {
                double* vp = vt + (p * n), wp = wt + (p * n);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(vp + k, len), -wp[k], col, col);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(wp + k, len), -vp[k], col, col);
            }
            d[k] = col[0];

            // The reflector that zeros col[2..] (dlarfg).
            int m = len - 1;
            double alpha = col[1];
            double xnorm = m > 1 ? TensorPrimitives.Norm(col.Slice(2)) : 0;
            new Span<double>(vi, n).Clear();
            new Span<double>(wi, n).Clear();
            vi[k + 1] = 1;
            double t;
            if (xnorm == 0)
            {
                t = 0;
                e[k] = alpha;
            }
            else
            {
                double beta = -Math.CopySign(Hypot(alpha, xnorm), alpha);
                t = (beta - alpha) / beta;
                TensorPrimitives.Multiply(col.Slice(2), 1.0 / (alpha - beta), new Span<double>(vi + k + 2, m - 1));
                e[k] = beta;
            }
            tau[k] = t;
            // Keep vₖ for the back-transformation in row k (no longer read by the reduction).
            new ReadOnlySpan<double>(vi + k + 1, m).CopyTo(new Span<double>(a + (k * n) + k + 1, m));
            if (t == 0)
            {
                continue;
            }

            // w = τ·(A₂₂·v − corrections), then w −= (τ/2)(wᵀv)·v.
            int s = k + 1;
            var v = new ReadOnlySpan<double>(vi + s, m);
            SymmetricProduct(a, n, s, vi + s, wi + s);
            var w = new Span<double>(wi + s, m);
            for (int p = 0; p < i; p++)
            {
                double* vp = vt + (p * n), wp = wt + (p * n);
                var vps = new ReadOnlySpan<double>(vp + s, m);
                var wps = new ReadOnlySpan<double>(wp + s, m);
                double wv = TensorPrimitives.Dot(wps, v), vv = TensorPrimitives.Dot(vps, v);
                TensorPrimitives.MultiplyAdd(vps, -wv, w, w);
                TensorPrimitives.MultiplyAdd(wps, -vv, w, w);
            }
            TensorPrimitives.Multiply(w, t, w);
            double half = -0.5 * t * TensorPrimitives.Dot(w, v);
            TensorPrimitives.MultiplyAdd(v, half, w, w);
        }
    }

    /// <summary>
    /// y = A[s:n, s:n]·v from the lower triangle only, so the matrix — the one O(n²) memory stream per reflector — is
    /// read once at half its size: row r contributes dot(row, v) to y[r] and v[r]·row to y[0:r]. For big blocks the rows
    /// are split in two parts of equal area, each with its own accumulator, summed at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SymmetricProduct(double* a, int n, int s, double* v, double* y)
    {
        int m = n - s;
        if (m < 512 || Environment.ProcessorCount < 2)
        {
            new Span<double>(y, m).Clear();
            LowerRows(a, n, s, v, y, 0, m);
            return;
        }
        // Rows [0, split) and [split, m) hold about half of the triangle each.
        int split = (int)(m * Math.Sqrt(0.5));
        double[] rented = ArrayPool<double>.Shared.Rent(m);
        try
        {
            fixed (double* second = rented)
            {
                nint pa = (nint)a, pv = (nint)v, py = (nint)y, p2 = (nint)second;
                Blas.ForEachItem(2, 2, part =>
                {
                    double* acc = part == 0 ? (double*)py : (double*)p2;
                    new Span<double>(acc, m).Clear();
                    LowerRows((double*)pa, n, s, (double*)pv, acc, part == 0 ? 0 : split, part == 0 ? split : m);
                });
                TensorPrimitives.Add(new ReadOnlySpan<double>(y, m), new ReadOnlySpan<double>(second, m), new Span<double>(y, m));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>acc += the contributions of lower-triangle rows [r0, r1) of A[s:n, s:n] to A·v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerRows(double* a, int n, int s, double* v, double* acc, int r0, int r1)
    {
        for (int r = r0; r < r1; r++)
        {
            double* row = a + ((s + r) * n) + s;
            var head = new ReadOnlySpan<double>(row, r);
            acc[r] += TensorPrimitives.Dot(head, new ReadOnlySpan<double>(v, r)) + (row[r] * v[r]);
            var target = new Span<double>(acc, r);
            TensorPrimitives.MultiplyAdd(head, v[r], target, target);
        }
    }

    /// <summary>
    /// Zt ← Zt·Hₙ₋₂⋯H₀, i.e. each row z of <paramref name="zt"/> (n×n, an eigenvector of T) becomes the matching
    /// eigenvector Hᵀ… of A (as a row: Q = H·Z, so Qᵀ = Zᵀ·Hᵀ). Blocks of reflectors are applied in compact WY form,
    /// I − V·T·Vᵀ (dlarft, forward), last block first, each by three GEMMs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackTransform(double* reflectors, int n, double* tau, double* zt)
    {
        if (n < 2)
        {
            return;
        }
        int nb = PanelSize;
        double[] rented = ArrayPool<double>.Shared.Rent((nb * n) + (nb * nb) + (2 * n * nb));
        try
        {
            fixed (double* work = rented)
            {
                double* vt = work, t = work + (nb * n), y = t + (nb * nb), y2 = y + (n * nb);
                int blocks = (n - 2 + nb) / nb;
                for (int block = blocks - 1; block >= 0; block--)
                {
                    int k0 = block * nb, kb = Math.Min(nb, n - 1 - k0);
                    // V for this block, explicit: row i is v_{k0+i} (zero up to k0 + i, 1 at k0 + i + 1).
                    for (int i = 0; i < kb; i++)
                    {
                        int k = k0 + i;
                        double* vi = vt + (i * n);
                        new Span<double>(vi, n).Clear();
                        new ReadOnlySpan<double>(reflectors + (k * n) + k + 1, n - k - 1).CopyTo(new Span<double>(vi + k + 1, n - k - 1));
                        vi[k + 1] = 1;
                    }
                    // T (kb×kb upper): T[i,i] = τᵢ, T[0:i, i] = −τᵢ·T[0:i, 0:i]·(V[:, 0:i]ᵀ vᵢ).
                    new Span<double>(t, kb * kb).Clear();
                    int s = k0 + 1, len = n - s;
                    for (int i = 0; i < kb; i++)
                    {
                        double ti = tau[k0 + i];
                        t[(i * kb) + i] = ti;
                        var vi = new ReadOnlySpan<double>(vt + (i * n) + s, len);
                        for (int p = 0; p < i; p++)
                        {
                            y[p] = -ti * TensorPrimitives.Dot(new ReadOnlySpan<double>(vt + (p * n) + s, len), vi);
                        }
                        for (int r = 0; r < i; r++)
                        {
                            double sum = 0;
                            for (int p = r; p < i; p++)
                            {
                                sum += t[(r * kb) + p] * y[p];
                            }
                            t[(r * kb) + i] = sum;
                        }
                    }
                    // Zt ← Zt − (Zt·V)·Tᵀ·Vᵀ, on columns s.. (V is zero left of s).
                    Blas.Gemm(true, false, true, n, kb, len, 1.0, zt + s, n, vt + s, n, 0.0, y, kb);
                    Blas.Gemm(true, false, true, n, kb, kb, 1.0, y, kb, t, kb, 0.0, y2, kb);
                    Blas.Gemm(true, false, false, n, len, kb, -1.0, y2, kb, vt + s, n, 1.0, zt + s, n);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>√(x² + y²) without overflow.</summary>
    internal static double Hypot(double x, double y)
    {
        x = Math.Abs(x);
        y = Math.Abs(y);
        double big = Math.Max(x, y), small = Math.Min(x, y);
        if (big == 0)
        {
            return 0;
        }
        double r = small / big;
        return big * Math.Sqrt(1 + (r * r));
    }
}
