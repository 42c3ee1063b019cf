using System;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

public class TriangularTests
{
    /// <summary>A random lower-triangular matrix with a diagonal in [1, 2) (zeros above).</summary>
    private static double[] RandomLower(int n, int seed)
    {
        double[] l = Reference.Random(n, n, seed);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                l[(i * n) + j] = 0;
            }
            l[(i * n) + i] = 1.5 + (0.5 * l[(i * n) + i]);
            for (int j = 0; j < i; j++)
            {
                l[(i * n) + j] *= 1.0 / Math.Sqrt(n);
            }
        }
        return l;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(7, 1)]
    [InlineData(64, 9)]
    [InlineData(97, 33)]
    [InlineData(200, 5)]
    [InlineData(129, 130)]
    public void Solves_MatchReference(int n, int m)
    {
        double[] l = RandomLower(n, seed: n);
        double[] lt = Reference.Transpose(l, n, n);
        double[] b = Reference.Random(n, m, seed: m);

        var x = (double[])b.Clone();
        Triangular.SolveLower(l, n, x, m, m);
        Reference.Close(Reference.Multiply(l, n, n, x, m), b, 1e-13, $"L·X = B, n {n}, m {m}");

        x = (double[])b.Clone();
        Triangular.SolveLowerTransposed(l, n, x, m, m);
        Reference.Close(Reference.Multiply(lt, n, n, x, m), b, 1e-13, $"Lᵀ·X = B, n {n}, m {m}");

        // Row stride wider than the column count: only the first m columns move.
        int ld = m + 3;
        var wide = new double[n * ld];
        for (int i = 0; i < n; i++)
        {
            b.AsSpan(i * m, m).CopyTo(wide.AsSpan(i * ld, m));
            wide.AsSpan((i * ld) + m, 3).Fill(7);
        }
        Triangular.SolveLower(l, n, wide, m, ld);
        Triangular.SolveLower(l, n, x = (double[])b.Clone(), m, m);
        for (int i = 0; i < n; i++)
        {
            Reference.Close(wide.AsSpan(i * ld, m), x.AsSpan(i * m, m), 1e-14, "strided rows");
            Assert.All(wide.AsSpan((i * ld) + m, 3).ToArray(), v => Assert.Equal(7, v));
        }

        // X·Lᵀ = B with B m×n.
        double[] br = Reference.Random(m, n, seed: 2 * m);
        var xr = (double[])br.Clone();
        Triangular.SolveRightLowerTransposed(l, n, xr, m, n);
        Reference.Close(Reference.Multiply(xr, m, n, lt, n), br, 1e-13, $"X·Lᵀ = B, n {n}, m {m}");

        // Vectors.
        double[] v = Reference.Random(n, 1, seed: 99);
        var y = (double[])v.Clone();
        Triangular.SolveLower(l, n, y);
        Reference.Close(Reference.Multiply(l, n, n, y, 1), v, 1e-13, "L·x = b");
        y = (double[])v.Clone();
        Triangular.SolveLowerTransposed(l, n, y);
        Reference.Close(Reference.Multiply(lt, n, n, y, 1), v, 1e-13, "Lᵀ·x = b");
    }

    [Fact]
    public void RightSolve_ManyRows_SplitAcrossCores_MatchesReference()
    {
        const int n = 150, m = 700;
        double[] l = RandomLower(n, seed: 4);
        double[] b = Reference.Random(m, n, seed: 5);
        var x = (double[])b.Clone();
        Triangular.SolveRightLowerTransposed(l, n, x, m, n);
        Reference.Close(Reference.Multiply(x, m, n, Reference.Transpose(l, n, n), n), b, 1e-13, "X·Lᵀ = B");
    }

    [Fact]
    public void ZeroDiagonal_IsRejected()
    {
        double[] l = [1, 0, 2, 0];
        var e = Assert.Throws<ArgumentException>(() => Triangular.SolveLower(l, 2, new double[2]));
        Assert.Contains("row 1", e.Message);
    }
}
