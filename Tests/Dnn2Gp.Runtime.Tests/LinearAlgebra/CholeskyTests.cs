using System;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

public class CholeskyTests
{
    private static readonly int[] Sizes = [1, 2, 3, 7, 63, 64, 65, 129, 300];

    private static readonly int[] Seeds = [1, 2, 3];

    public static TheoryData<int, int> SizesAndSeeds
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (int n in Sizes)
            {
                foreach (int seed in Seeds)
                {
                    if (n < 129 || seed == 1)
                    {
                        data.Add(n, seed);
                    }
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndSeeds))]
    public void Factor_MatchesReference(int n, int seed)
    {
        double[] a = Reference.RandomSpd(n, seed);
        var factor = Cholesky.Factor(a, n);
        Assert.Equal(0, factor.Jitter);
        Assert.Equal(1, factor.Attempts);
        Reference.Close(factor.Lower, Reference.Cholesky(a, n), 1e-12, $"L, n = {n}, seed {seed}");
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                Assert.Equal(0, factor.Lower[(i * n) + j]);
            }
        }
    }

    [Theory]
    [InlineData(129, 40)]
    [InlineData(300, 40)]
    [InlineData(300, 64)]
    [InlineData(65, 33)]
    public void Factor_SmallBlocks_MatchesReference(int n, int blockSize)
    {
        double[] a = Reference.RandomSpd(n, seed: 7);
        var lower = new double[n * n];
        Cholesky.FactorInto(a, n, lower, JitterPolicy.Default, "test matrix", blockSize);
        Reference.Close(lower, Reference.Cholesky(a, n), 1e-12, $"L, n = {n}, block {blockSize}");
    }

    [Theory]
    [MemberData(nameof(SizesAndSeeds))]
    public void SolveLogDetInverse_MatchReference(int n, int seed)
    {
        double[] a = Reference.RandomSpd(n, seed);
        var factor = Cholesky.Factor(a, n);
        double[] inverse = Reference.Inverse(a, n);
        double[] lRef = Reference.Cholesky(a, n);

        // Vector solve against A⁻¹b.
        double[] b = Reference.Random(n, 1, seed + 100);
        var x = new double[n];
        factor.Solve(b, x);
        Reference.Close(x, Reference.Multiply(inverse, n, n, b, 1), 1e-11, "A⁻¹b");

        // Many right-hand sides, odd count.
        const int m = 5;
        double[] bm = Reference.Random(n, m, seed + 200);
        var xm = new double[n * m];
        factor.Solve(bm, xm, m);
        Reference.Close(xm, Reference.Multiply(inverse, n, n, bm, m), 1e-11, "A⁻¹B");

        // Forward and back substitution with L.
        var z = new double[n];
        factor.SolveLower(b, z);
        Reference.Close(Reference.Multiply(lRef, n, n, z, 1), b, 1e-12, "L·(L⁻¹b)");
        var w = new double[n];
        factor.SolveLowerTransposed(b, w);
        Reference.Close(Reference.Multiply(Reference.Transpose(lRef, n, n), n, n, w, 1), b, 1e-12, "Lᵀ·(L⁻ᵀb)");
        var zm = new double[n * m];
        factor.SolveLower(bm, zm, m);
        Reference.Close(Reference.Multiply(lRef, n, n, zm, m), bm, 1e-12, "L·(L⁻¹B)");

        // log det.
        double logDet = 0;
        for (int i = 0; i < n; i++)
        {
            logDet += 2 * Math.Log(lRef[(i * n) + i]);
        }
        Assert.True(Math.Abs(factor.LogDeterminant() - logDet) <= 1e-10 * Math.Max(1, Math.Abs(logDet)),
            $"log det {factor.LogDeterminant()} vs {logDet}");

        // Inverse and its diagonal.
        var inv = new double[n * n];
        factor.Inverse(inv);
        Reference.Close(inv, inverse, 1e-11, "A⁻¹");
        Assert.True(SymmetricMatrix.IsSymmetric(inv, n, 0), "A⁻¹ is exactly symmetric");
        var diag = new double[n];
        factor.InverseDiagonal(diag);
        var diagRef = new double[n];
        for (int i = 0; i < n; i++)
        {
            diagRef[i] = inverse[(i * n) + i];
        }
        Reference.Close(diag, diagRef, 1e-11, "diag A⁻¹");

        // Quadratic forms: bᵀA⁻¹b and diag(BᵀA⁻¹B).
        double q = factor.QuadraticForm(b);
        double qRef = 0;
        for (int i = 0; i < n; i++)
        {
            qRef += b[i] * x[i];
        }
        Assert.True(Math.Abs(q - qRef) <= 1e-11 * Math.Abs(qRef), $"bᵀA⁻¹b {q} vs {qRef}");
        var qd = new double[m];
        factor.InverseQuadraticDiagonal(bm, m, qd);
        double[] full = Reference.Multiply(Reference.Transpose(bm, n, m), m, n, Reference.Multiply(inverse, n, n, bm, m), m);
        var qdRef = new double[m];
        for (int j = 0; j < m; j++)
        {
            qdRef[j] = full[(j * m) + j];
        }
        Reference.Close(qd, qdRef, 1e-11, "diag(BᵀA⁻¹B)");
    }

    [Fact]
    public void InverseQuadraticDiagonal_ManyColumns_MatchesPerColumnQuadraticForm()
    {
        // More columns than one block of the column loop (256).
        const int n = 70, m = 300;
        double[] a = Reference.RandomSpd(n, seed: 11);
        var factor = Cholesky.Factor(a, n);
        double[] b = Reference.Random(n, m, seed: 12);
        var qd = new double[m];
        factor.InverseQuadraticDiagonal(b, m, qd);
        var column = new double[n];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = b[(i * m) + j];
            }
            double expected = factor.QuadraticForm(column);
            if (!(Math.Abs(qd[j] - expected) <= 1e-12 * expected))
            {
                Assert.Fail($"column {j}: {qd[j]} vs {expected}");
            }
        }
    }

    [Fact]
    public void IllConditioned_SolvesToConditionTimesEpsilon()
    {
        // Eigenvalues from 1 down to 1e-10: condition number 1e10, still positive definite.
        const int n = 65;
        var lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = Math.Pow(10, -10.0 * i / (n - 1));
        }
        double[] a = Reference.WithSpectrum(lambda, seed: 5);
        var factor = Cholesky.Factor(a, n, JitterPolicy.None, "ill-conditioned test matrix");
        Assert.Equal(1, factor.Attempts);
        double[] xTrue = Reference.Random(n, 1, seed: 6);
        double[] b = Reference.Multiply(a, n, n, xTrue, 1);
        var x = new double[n];
        factor.Solve(b, x);
        // Backward stable: the residual is small relative to ‖A‖‖x‖ even where x itself is only good to cond·ε.
        double[] r = Reference.Multiply(a, n, n, x, 1);
        Reference.Close(r, b, 1e-13, "residual A·x − b");
        Reference.Close(x, xTrue, 1e-4, "x (cond 1e10)");
        double logDet = 0;
        foreach (double l in lambda)
        {
            logDet += Math.Log(l);
        }
        Assert.True(Math.Abs(factor.LogDeterminant() - logDet) < 1e-4, $"log det {factor.LogDeterminant()} vs {logDet}");
    }

    [Fact]
    public void SingularPsd_NeedsJitter_AndReportsIt()
    {
        // Rank 3 in 40 dimensions: A = V·Vᵀ with V 40×3.
        const int n = 40, rank = 3;
        double[] v = Reference.Random(n, rank, seed: 9);
        double[] a = Reference.Multiply(v, n, rank, Reference.Transpose(v, n, rank), n);
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += a[(i * n) + i] / n;
        }
        Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Factor(a, n, JitterPolicy.None));

        var factor = Cholesky.Factor(a, n, JitterPolicy.Default, "rank-3 Gram matrix");
        Assert.True(factor.Report.UsedJitter);
        Assert.True(factor.Attempts >= 2 && factor.Attempts <= JitterPolicy.Default.MaximumAttempts, $"attempts {factor.Attempts}");
        double relative = factor.Report.RelativeJitter;
        Assert.Equal(1e-10 * Math.Pow(10, factor.Attempts - 2), relative, 1e-20);
        Assert.Equal(relative * mean, factor.Jitter, 1e-12 * factor.Jitter);
        // The factor is that of A + εI.
        double[] shifted = (double[])a.Clone();
        for (int i = 0; i < n; i++)
        {
            shifted[(i * n) + i] += factor.Jitter;
        }
        double[] lower = factor.Lower.ToArray();
        double[] llt = Reference.Multiply(lower, n, n, Reference.Transpose(lower, n, n), n);
        Reference.Close(llt, shifted, 1e-13, "L·Lᵀ vs A + εI");
    }

    [Fact]
    public void CustomLadder_IsFollowed()
    {
        const int n = 10;
        double[] v = Reference.Random(n, 2, seed: 4);
        double[] a = Reference.Multiply(v, n, 2, Reference.Transpose(v, n, 2), n);
        var policy = new JitterPolicy(1e-6, 100, 1e-2);
        Assert.Equal(4, policy.MaximumAttempts);
        var factor = Cholesky.Factor(a, n, policy);
        Assert.Equal(2, factor.Attempts);
        Assert.Equal(1e-6, factor.Report.RelativeJitter, 1e-18);
    }

    [Fact]
    public void NotPositiveDefinite_EvenAfterJitter_ThrowsWithFacts()
    {
        // Eigenvalues 1, 1, …, −0.5: the negative one is far beyond the top of the ladder (1e-2 × mean diagonal).
        const int n = 7;
        double[] lambda = [1, 1, 1, 1, 1, 1, -0.5];
        double[] a = Reference.WithSpectrum(lambda, seed: 3);
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Factor(a, n, null, "posterior precision (P×P)"));
        Assert.Equal("posterior precision (P×P)", e.MatrixName);
        Assert.Equal(n, e.Order);
        Assert.Equal(JitterPolicy.Default.MaximumAttempts, e.Attempts);
        Assert.InRange(e.PivotIndex, 0, n - 1);
        Assert.True(e.SmallestPivot <= 0, $"smallest pivot {e.SmallestPivot}");
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += a[(i * n) + i] / n;
        }
        Assert.Equal(1e-2 * mean, e.LargestJitter, 1e-12);
        string message = e.Message;
        Assert.Contains("posterior precision (P×P) (7×7) is not positive definite", message);
        Assert.Contains($"failed at pivot {e.PivotIndex}", message);
        Assert.Contains("smallest pivot seen", message);
        Assert.Contains("10 attempts", message);
        Assert.Contains("0.01 × the mean diagonal", message);
        Assert.Contains("raise the prior precision", message);
        Assert.Contains("NaN", message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(150)]
    [InlineData(199)]
    public void FailingPivot_IsReportedExactly_InEveryBlockStep(int pivot)
    {
        // Pivot i depends only on A[0..i, 0..i], so a negative diagonal entry at i fails exactly there, wherever i
        // falls in the block steps (40 columns each here, so 150 is reached in the look-ahead's concurrent phase).
        const int n = 200;
        double[] a = Reference.RandomSpd(n, seed: 13);
        a[(pivot * n) + pivot] = -1;
        var lower = new double[n * n];
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.FactorInto(a, n, lower, JitterPolicy.None, "test matrix", 40));
        Assert.Equal(pivot, e.PivotIndex);
        Assert.True(e.Pivot < 0, $"failed pivot {e.Pivot}");
        Assert.Equal(e.Pivot, e.SmallestPivot);
    }

    [Fact]
    public void NoJitterAllowed_MessageSaysSo()
    {
        double[] a = [1, 2, 2, 1];
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Factor(a, 2, JitterPolicy.None, "kernel (2×2)"));
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, e.PivotIndex);
        Assert.Equal(-3, e.Pivot, 1e-14);
        Assert.Equal(0, e.LargestJitter);
        Assert.Contains("No jitter was allowed", e.Message);
    }

    [Fact]
    public void NegativeDiagonal_IsNotJittered()
    {
        double[] a = [-1, 0, 0, -2];
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Cholesky.Factor(a, 2));
        Assert.Equal(0, e.PivotIndex);
        Assert.Contains("no jitter was tried", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteInput_IsRejectedBeforeWork(double bad)
    {
        const int n = 5;
        double[] a = Reference.RandomSpd(n, seed: 1);
        a[(3 * n) + 1] = bad;
        var lower = new double[n * n];
        lower.AsSpan().Fill(42);
        var e = Assert.Throws<ArgumentException>(() => Cholesky.FactorInto(a, n, lower, null, "GGN (5×5)"));
        Assert.Contains("GGN (5×5)", e.Message);
        Assert.Contains("row 3, column 1", e.Message);
        Assert.All(lower, v => Assert.Equal(42, v));
    }

    [Fact]
    public void WrongShapes_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => Cholesky.Factor(new double[8], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cholesky.Factor(new double[8], -1));
        double[] a = Reference.RandomSpd(3, seed: 1);
        Assert.Throws<ArgumentException>(() => Cholesky.FactorInto(a, 3, new double[8]));
        Assert.Throws<ArgumentException>(() => Cholesky.FactorInto(a, 3, a));
        var factor = Cholesky.Factor(a, 3);
        Assert.Throws<ArgumentException>(() => factor.Solve(new double[2], new double[3]));
        Assert.Throws<ArgumentException>(() => factor.Solve(new double[5], new double[6], 2));
        Assert.Throws<ArgumentException>(() => factor.Inverse(new double[8]));
    }

    [Fact]
    public void InPlace_WithoutJitter_Works()
    {
        const int n = 9;
        double[] a = Reference.RandomSpd(n, seed: 2);
        double[] expected = Reference.Cholesky(a, n);
        Cholesky.FactorInto(a, n, a, JitterPolicy.None);
        Reference.Close(a, expected, 1e-13, "in-place L");
    }

    [Fact]
    public void SpdSolve_ReportsJitter()
    {
        const int n = 12;
        double[] v = Reference.Random(n, 4, seed: 8);
        double[] a = Reference.Multiply(v, n, 4, Reference.Transpose(v, n, 4), n);
        double[] b = Reference.Random(n, 2, seed: 10);
        var x = new double[n * 2];
        CholeskyReport report = Cholesky.Solve(a, n, b, x, 2, null, "singular kernel");
        Assert.True(report.UsedJitter);
        double[] shifted = (double[])a.Clone();
        for (int i = 0; i < n; i++)
        {
            shifted[(i * n) + i] += report.Jitter;
        }
        // Backward stable: the residual is tiny relative to ‖A + εI‖·‖x‖ (x itself is huge: cond ~ 1/ε).
        double[] r = Reference.Multiply(shifted, n, n, x, 2);
        double xMax = 0, aMax = 0, rMax = 0;
        for (int i = 0; i < r.Length; i++)
        {
            xMax = Math.Max(xMax, Math.Abs(x[i]));
            rMax = Math.Max(rMax, Math.Abs(r[i] - b[i]));
        }
        foreach (double value in shifted)
        {
            aMax = Math.Max(aMax, Math.Abs(value));
        }
        Assert.True(rMax <= 1e-13 * n * aMax * xMax, $"residual {rMax:G3}, ‖A‖ {aMax:G3}, ‖x‖ {xMax:G3}");

        double[] spd = Reference.RandomSpd(n, seed: 3);
        var y = new double[n];
        report = Cholesky.Solve(spd, n, b.AsSpan(0, n), y);
        Assert.False(report.UsedJitter);
        Reference.Close(Reference.Multiply(spd, n, n, y, 1), b.AsSpan(0, n), 1e-13, "A·y vs b");
    }

    [Fact]
    public void Empty_IsFine()
    {
        var factor = Cholesky.Factor([], 0);
        Assert.Equal(0, factor.LogDeterminant());
        factor.Solve([], []);
    }
}
