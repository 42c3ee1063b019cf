using System;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

public class SymmetricRankKTests
{
    public static TheoryData<int, int, bool> Shapes
    {
        get
        {
            var data = new TheoryData<int, int, bool>();
            foreach ((int n, int k) in new[] { (1, 1), (2, 3), (7, 5), (63, 17), (64, 1), (65, 130), (129, 33), (300, 9), (5, 0) })
            {
                data.Add(n, k, false);
                data.Add(n, k, true);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_MatchesReference(int n, int k, bool transpose)
    {
        double[] a = Reference.Random(transpose ? k : n, transpose ? n : k, seed: n + k);
        double[] op = transpose ? Reference.Transpose(a, k, n) : a;          // op(A), n×k
        double[] product = Reference.Multiply(op, n, k, Reference.Transpose(op, n, k), n);
        double[] c0 = Reference.Random(n, n, seed: 3);
        foreach ((double alpha, double beta) in new[] { (1.0, 0.0), (-0.5, 2.0), (2.0, 1.0) })
        {
            var expected = new double[n * n];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = (alpha * product[i]) + (beta * c0[i]);
            }
            // Mirrored: the whole matrix is the lower triangle's reflection.
            var c = (double[])c0.Clone();
            if (beta == 0)
            {
                c.AsSpan().Fill(double.NaN);   // never read when beta == 0
            }
            SymmetricRankK.Update(transpose, n, k, alpha, a, transpose ? n : k, beta, c, n);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double want = expected[(Math.Max(i, j) * n) + Math.Min(i, j)];
                    if (!(Math.Abs(c[(i * n) + j] - want) <= 1e-13 * (1 + Math.Abs(want))))
                    {
                        Assert.Fail($"n {n}, k {k}, transpose {transpose}, alpha {alpha}, beta {beta}: C[{i},{j}] = {c[(i * n) + j]}, expected {want}");
                    }
                }
            }

            // Not mirrored, small block rows: the strict upper triangle is untouched.
            c = (double[])c0.Clone();
            SymmetricRankK.Run(transpose, n, k, alpha, a, transpose ? n : k, beta, c.AsSpan(), n, mirror: false, blockRows: 12);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double want = j <= i ? expected[(i * n) + j] : c0[(i * n) + j];
                    if (!(Math.Abs(c[(i * n) + j] - want) <= 1e-13 * (1 + Math.Abs(want))))
                    {
                        Assert.Fail($"unmirrored n {n}, k {k}: C[{i},{j}] = {c[(i * n) + j]}, expected {want}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(7, 3, false)]
    [InlineData(65, 40, true)]
    [InlineData(129, 17, false)]
    public void Float_MatchesDoubleReference(int n, int k, bool transpose)
    {
        double[] a = Reference.Random(transpose ? k : n, transpose ? n : k, seed: 5);
        double[] op = transpose ? Reference.Transpose(a, k, n) : a;
        double[] product = Reference.Multiply(op, n, k, Reference.Transpose(op, n, k), n);
        float[] af = Array.ConvertAll(a, v => (float)v);
        var c = new float[n * n];
        c.AsSpan().Fill(1);
        SymmetricRankK.Update(transpose, n, k, 2f, af, transpose ? n : k, 0.5f, c, n);
        for (int i = 0; i < c.Length; i++)
        {
            double want = (2 * product[i]) + 0.5;
            if (!(Math.Abs(c[i] - want) <= 1e-5 * (1 + Math.Abs(want))))
            {
                Assert.Fail($"C[{i}] = {c[i]}, expected {want}");
            }
        }
    }

    [Fact]
    public void WrongShapes_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => SymmetricRankK.Update(false, 3, 2, 1.0, new double[5], 2, 0.0, new double[9], 3));
        Assert.Throws<ArgumentException>(() => SymmetricRankK.Update(false, 3, 2, 1.0, new double[6], 2, 0.0, new double[8], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricRankK.Update(true, 3, 2, 1.0, new double[6], 2, 0.0, new double[9], 3));
    }
}
