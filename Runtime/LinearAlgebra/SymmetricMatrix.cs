using System;
using System.Runtime.CompilerServices;
using System.Numerics;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>Checks and repairs of symmetry for n×n row-major matrices.</summary>
public static unsafe class SymmetricMatrix
{
    /// <summary>Side of the square tiles in which the transposing loops walk the matrix (keeps both reads in cache).</summary>
    private const int Tile = 32;

    /// <summary>
    /// The largest asymmetry max |a[i,j] − a[j,i]| relative to the largest magnitude max |a[i,j]| (0 for a zero
    /// matrix), with the row and column (row &gt; column) where it occurs (−1, −1 when the matrix is exactly symmetric).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double RelativeAsymmetry(ReadOnlySpan<double> a, int n, out int row, out int column)
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        double largest = 0, worst = 0;
        row = -1;
        column = -1;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                largest = Math.Max(largest, Math.Abs(a[(i * n) + j]));
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double d = Math.Abs(a[(i * n) + j] - a[(j * n) + i]);
                if (d > worst || double.IsNaN(d))
                {
                    worst = d;
                    row = i;
                    column = j;
                }
            }
        }
        return largest == 0 ? worst : worst / largest;
    }

    /// <summary>
    /// True when every |a[i,j] − a[j,i]| ≤ <paramref name="tolerance"/>·max |a| (a relative tolerance, such as 1e-12
    /// for a matrix assembled in double by two different loops); false on any NaN.
    /// </summary>
    public static bool IsSymmetric(ReadOnlySpan<double> a, int n, double tolerance)
    {
        if (!(tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"The tolerance must be non-negative, but is {tolerance}.");
        }
        double asymmetry = RelativeAsymmetry(a, n, out _, out _);
        return asymmetry <= tolerance;
    }

    /// <summary>Replaces A by (A + Aᵀ)/2 in place.</summary>
    public static void Symmetrize(Span<double> a, int n)
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        for (int i0 = 0; i0 < n; i0 += Tile)
        {
            for (int j0 = 0; j0 <= i0; j0 += Tile)
            {
                int iEnd = Math.Min(n, i0 + Tile);
                for (int i = i0; i < iEnd; i++)
                {
                    int jEnd = Math.Min(i, j0 + Tile);
                    for (int j = j0; j < jEnd; j++)
                    {
                        double mean = 0.5 * (a[(i * n) + j] + a[(j * n) + i]);
                        a[(i * n) + j] = mean;
                        a[(j * n) + i] = mean;
                    }
                }
            }
        }
    }

    /// <summary>Copies the strict lower triangle into the upper one: a[j,i] = a[i,j] for i &gt; j.</summary>
    public static void MirrorLower(Span<double> a, int n)
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        fixed (double* p = a)
        {
            MirrorLowerCore(p, n, n);
        }
    }

    /// <inheritdoc cref="MirrorLower(Span{double}, int)"/>
    public static void MirrorLower(Span<float> a, int n)
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        fixed (float* p = a)
        {
            MirrorLowerCore(p, n, n);
        }
    }

    /// <summary>Sets the strict upper triangle to zero (a Cholesky factor's storage convention).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ClearUpperCore(double* a, int n, nint ld)
    {
        for (int i = 0; i < n - 1; i++)
        {
            new Span<double>(a + (i * ld) + i + 1, n - i - 1).Clear();
        }
    }

    /// <summary>Mirrors the strict lower triangle into the upper one, tile by tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MirrorLowerCore<T>(T* a, int n, nint ld) where T : unmanaged, INumberBase<T>
    {
        for (int i0 = 0; i0 < n; i0 += Tile)
        {
            int iEnd = Math.Min(n, i0 + Tile);
            for (int j0 = 0; j0 <= i0; j0 += Tile)
            {
                for (int i = i0; i < iEnd; i++)
                {
                    int jEnd = Math.Min(i, j0 + Tile);
                    T* row = a + (i * ld);
                    for (int j = j0; j < jEnd; j++)
                    {
                        a[(j * ld) + i] = row[j];
                    }
                }
            }
        }
    }
}
