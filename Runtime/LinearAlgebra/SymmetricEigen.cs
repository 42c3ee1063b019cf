using System;
using System.Buffers;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Symmetric eigendecomposition A = Q·diag(λ)·Qᵀ in double: eigenvalues ascending, eigenvectors orthonormal (the
/// columns of Q, row-major n×n). Only the lower triangle of A (diagonal included) is read.
/// </summary>
/// <remarks>
/// Blocked Householder tridiagonalisation (<see cref="HouseholderTridiagonal"/>: half of its work in GEMM), implicit
/// QL on the tridiagonal matrix with the rotations applied from cache (<see cref="TridiagonalQl"/>), and a blocked
/// GEMM back-transformation. Written by hand because it is several times faster than MathNet.Numerics' managed
/// provider at the orders it is used for (hundreds to a few thousand); the benchmark <c>eig-N</c> compares the two.
/// </remarks>
public static unsafe class SymmetricEigen
{
    /// <summary>
    /// Computes all eigenvalues (ascending, to <paramref name="eigenvalues"/>, n) and eigenvectors (column j of
    /// <paramref name="eigenvectors"/>, n×n row-major, belongs to eigenvalue j) of the symmetric matrix A.
    /// </summary>
    /// <exception cref="ArgumentException">A holds a NaN or infinity in its lower triangle, or a span is too short.</exception>
    public static void Decompose(ReadOnlySpan<double> a, int n, Span<double> eigenvalues, Span<double> eigenvectors,
        string matrixName = "matrix")
    {
        Check(a, n, eigenvalues, matrixName);
        MatrixArguments.Square(nameof(eigenvectors), n, eigenvectors.Length, n);
        if (n == 0)
        {
            return;
        }
        long nn = (long)n * n;
        double[] work = ArrayPool<double>.Shared.Rent((int)(2 * nn) + (3 * n));
        try
        {
            fixed (double* w = work)
            fixed (double* q = eigenvectors)
            fixed (double* lambda = eigenvalues)
            {
                double* reduced = w, zt = w + nn, e = zt + nn, tau = e + n, d = tau + n;
                LoadSymmetric(a, n, reduced);
                HouseholderTridiagonal.Reduce(reduced, n, d, e, tau);
                var identity = new Span<double>(zt, (int)nn);
                identity.Clear();
                for (int i = 0; i < n; i++)
                {
                    zt[((long)i * n) + i] = 1;
                }
                TridiagonalQl.Diagonalize(d, e, n, zt);
                HouseholderTridiagonal.BackTransform(reduced, n, tau, zt);

                // Ascending order; row order[j] of Zᵀ is column j of Q.
                int[] order = SortedOrder(d, n);
                for (int j = 0; j < n; j++)
                {
                    lambda[j] = d[order[j]];
                }
                const int Tile = 32;
                for (int j0 = 0; j0 < n; j0 += Tile)
                {
                    int j1 = Math.Min(n, j0 + Tile);
                    for (int r0 = 0; r0 < n; r0 += Tile)
                    {
                        int r1 = Math.Min(n, r0 + Tile);
                        for (int j = j0; j < j1; j++)
                        {
                            double* src = zt + ((long)order[j] * n);
                            for (int r = r0; r < r1; r++)
                            {
                                q[((long)r * n) + j] = src[r];
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(work);
        }
    }

    /// <summary>Computes the eigenvalues of the symmetric matrix A only (ascending), in O(n²) memory and 4n³/3 + O(n²) flops.</summary>
    public static void Eigenvalues(ReadOnlySpan<double> a, int n, Span<double> eigenvalues, string matrixName = "matrix")
    {
        Check(a, n, eigenvalues, matrixName);
        if (n == 0)
        {
            return;
        }
        long nn = (long)n * n;
        double[] work = ArrayPool<double>.Shared.Rent((int)nn + (2 * n));
        try
        {
            fixed (double* w = work)
            fixed (double* lambda = eigenvalues)
            {
                double* e = w + nn, tau = e + n;
                LoadSymmetric(a, n, w);
                HouseholderTridiagonal.Reduce(w, n, lambda, e, tau);
                TridiagonalQl.Diagonalize(lambda, e, n, null);
                eigenvalues.Slice(0, n).Sort();
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(work);
        }
    }

    private static void Check(ReadOnlySpan<double> a, int n, Span<double> eigenvalues, string matrixName)
    {
        ArgumentNullException.ThrowIfNull(matrixName);
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        MatrixArguments.Length(nameof(eigenvalues), eigenvalues.Length, n, $"one eigenvalue per row (n = {n})");
        MatrixArguments.FiniteLower(nameof(a), a, n, n, $"The {matrixName}");
    }

    /// <summary>The full symmetric matrix from A's lower triangle.</summary>
    private static void LoadSymmetric(ReadOnlySpan<double> a, int n, double* full)
    {
        for (int i = 0; i < n; i++)
        {
            a.Slice(i * n, i + 1).CopyTo(new Span<double>(full + ((long)i * n), i + 1));
        }
        SymmetricMatrix.MirrorLowerCore(full, n, n);
    }

    private static int[] SortedOrder(double* values, int n)
    {
        var keys = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = values[i];
            order[i] = i;
        }
        Array.Sort(keys, order);
        return order;
    }
}
