using System;
using Xunit;

namespace Dnn2Gp.Integration.Tests.Numerics;

/// <summary>Plain dense linear algebra for references: textbook loops, no blocking, no shared code with the runtime.</summary>
internal static class Dense
{
    /// <summary>The lower Cholesky factor of an SPD n × n matrix (throws when it is not).</summary>
    public static double[] Cholesky(double[] a, int n)
    {
        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
            if (!(d > 0)) throw new InvalidOperationException($"reference Cholesky: pivot {j} is {d}");
            l[j * n + j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = s / l[j * n + j];
            }
        }
        return l;
    }

    public static double LogDeterminant(double[] a, int n)
    {
        var l = Cholesky(a, n);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += 2 * Math.Log(l[i * n + i]);
        return sum;
    }

    /// <summary>A⁻¹ b for SPD A.</summary>
    public static double[] Solve(double[] a, int n, double[] b)
    {
        var l = Cholesky(a, n);
        var y = (double[])b.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++) y[i] -= l[i * n + k] * y[k];
            y[i] /= l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < n; k++) y[i] -= l[k * n + i] * y[k];
            y[i] /= l[i * n + i];
        }
        return y;
    }

    public static double[] Inverse(double[] a, int n)
    {
        var inverse = new double[n * n];
        var e = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(e);
            e[j] = 1;
            var column = Solve(a, n, e);
            for (int i = 0; i < n; i++) inverse[i * n + j] = column[i];
        }
        return inverse;
    }

    public static double[] Multiply(double[] a, int n, double[] v)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += a[i * n + j] * v[j];
            r[i] = s;
        }
        return r;
    }

    /// <summary>log N(y; 0, C) for SPD C.</summary>
    public static double LogNormal(double[] y, double[] c, int n)
    {
        var alpha = Solve(c, n, y);
        double q = 0;
        for (int i = 0; i < n; i++) q += y[i] * alpha[i];
        return -0.5 * q - 0.5 * LogDeterminant(c, n) - 0.5 * n * Math.Log(2 * Math.PI);
    }

    public static double RelativeError(double expected, double actual) =>
        Math.Abs(expected - actual) / Math.Max(1e-300, Math.Max(Math.Abs(expected), Math.Abs(actual)));

    /// <summary>Element-wise relative agreement, with errors measured against 10⁻³ of the largest expected magnitude near zero.</summary>
    public static void AssertAll(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (double v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / Math.Max(Math.Max(scale * 1e-3, 1e-300), Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])));
            Assert.True(error < tolerance, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {error:E2})");
        }
    }
}
