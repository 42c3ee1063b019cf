using System;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

/// <summary>Plain O(n³) references and random test matrices (row-major, double).</summary>
internal static class Reference
{
    /// <summary>A random n×m matrix with entries uniform in [−1, 1).</summary>
    public static double[] Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var a = new double[rows * cols];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (2 * rng.NextDouble()) - 1;
        }
        return a;
    }

    /// <summary>A random SPD matrix M·Mᵀ/n + shift·I (well conditioned for shift ~ 1).</summary>
    public static double[] RandomSpd(int n, int seed, double shift = 0.5)
    {
        double[] m = Random(n, n, seed);
        double[] a = Multiply(m, n, n, Transpose(m, n, n), n);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] /= n;
        }
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] += shift;
        }
        return a;
    }

    /// <summary>Q·diag(λ)·Qᵀ for a random orthogonal Q (Gram–Schmidt of a random matrix).</summary>
    public static double[] WithSpectrum(double[] lambda, int seed)
    {
        int n = lambda.Length;
        double[] q = RandomOrthogonal(n, seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                {
                    s += q[(i * n) + k] * lambda[k] * q[(j * n) + k];
                }
                a[(i * n) + j] = s;
            }
        }
        // Exactly symmetric.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                a[(j * n) + i] = a[(i * n) + j];
            }
        }
        return a;
    }

    /// <summary>A random orthogonal matrix (modified Gram–Schmidt, twice, on the columns of a random matrix).</summary>
    public static double[] RandomOrthogonal(int n, int seed)
    {
        double[] q = Random(n, n, seed);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < j; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++)
                    {
                        dot += q[(i * n) + j] * q[(i * n) + p];
                    }
                    for (int i = 0; i < n; i++)
                    {
                        q[(i * n) + j] -= dot * q[(i * n) + p];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++)
                {
                    norm += q[(i * n) + j] * q[(i * n) + j];
                }
                norm = Math.Sqrt(norm);
                for (int i = 0; i < n; i++)
                {
                    q[(i * n) + j] /= norm;
                }
            }
        }
        return q;
    }

    public static double[] Multiply(double[] a, int m, int k, double[] b, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double aip = a[(i * k) + p];
                for (int j = 0; j < n; j++)
                {
                    c[(i * n) + j] += aip * b[(p * n) + j];
                }
            }
        }
        return c;
    }

    public static double[] Transpose(double[] a, int rows, int cols)
    {
        var t = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                t[(j * rows) + i] = a[(i * cols) + j];
            }
        }
        return t;
    }

    /// <summary>Textbook Cholesky–Crout (column by column), the oracle for the blocked one.</summary>
    public static double[] Cholesky(double[] a, int n)
    {
        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double d = a[(j * n) + j];
            for (int p = 0; p < j; p++)
            {
                d -= l[(j * n) + p] * l[(j * n) + p];
            }
            Assert.True(d > 0, $"reference Cholesky: pivot {j} is {d}");
            l[(j * n) + j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[(i * n) + j];
                for (int p = 0; p < j; p++)
                {
                    s -= l[(i * n) + p] * l[(j * n) + p];
                }
                l[(i * n) + j] = s / l[(j * n) + j];
            }
        }
        return l;
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting.</summary>
    public static double[] Inverse(double[] a, int n)
    {
        var m = (double[])a.Clone();
        var inv = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            inv[(i * n) + i] = 1;
        }
        for (int c = 0; c < n; c++)
        {
            int piv = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[(r * n) + c]) > Math.Abs(m[(piv * n) + c]))
                {
                    piv = r;
                }
            }
            if (piv != c)
            {
                for (int j = 0; j < n; j++)
                {
                    (m[(c * n) + j], m[(piv * n) + j]) = (m[(piv * n) + j], m[(c * n) + j]);
                    (inv[(c * n) + j], inv[(piv * n) + j]) = (inv[(piv * n) + j], inv[(c * n) + j]);
                }
            }
            double d = m[(c * n) + c];
            for (int j = 0; j < n; j++)
            {
                m[(c * n) + j] /= d;
                inv[(c * n) + j] /= d;
            }
            for (int r = 0; r < n; r++)
            {
                if (r == c)
                {
                    continue;
                }
                double f = m[(r * n) + c];
                if (f == 0)
                {
                    continue;
                }
                for (int j = 0; j < n; j++)
                {
                    m[(r * n) + j] -= f * m[(c * n) + j];
                    inv[(r * n) + j] -= f * inv[(c * n) + j];
                }
            }
        }
        return inv;
    }

    /// <summary>max |actual − expected| / max |expected| over the entries of expected.</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.True(actual.Length >= expected.Length);
        double err = 0, scale = 1e-300;
        for (int i = 0; i < expected.Length; i++)
        {
            err = Math.Max(err, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return err / scale;
    }

    /// <summary>Asserts the relative error is at most <paramref name="tolerance"/>, naming what was compared.</summary>
    public static void Close(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double tolerance, string what)
    {
        double err = RelativeError(actual, expected);
        Assert.True(err <= tolerance, $"{what}: relative error {err:G3} > {tolerance:G3}");
    }
}
