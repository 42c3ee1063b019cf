using System;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

public class EigenSystemTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(81)]
    public void ShiftedFamily_MatchesDirectFactorisation(int n)
    {
        // A PSD "GGN" of rank < n, so small shifts matter.
        int rank = Math.Max(1, (2 * n) / 3);
        double[] j = Reference.Random(rank, n, seed: n);
        var a = new double[n * n];
        SymmetricRankK.Update(true, n, rank, 1.0, j, n, 0.0, a, n);
        var system = EigenSystem.Compute(a, n, "GGN");
        double[] b = Reference.Random(n, 1, seed: 3);
        var c = new double[n];
        system.Project(b, c);
        foreach (double scale in new[] { 1.0, 0.25, 40.0 })
        {
            foreach (double delta in new[] { 1e-3, 0.1, 1.0, 30.0 })
            {
                var shifted = new double[n * n];
                for (int i = 0; i < a.Length; i++)
                {
                    shifted[i] = scale * a[i];
                }
                for (int i = 0; i < n; i++)
                {
                    shifted[(i * n) + i] += delta;
                }
                var factor = Cholesky.Factor(shifted, n, JitterPolicy.None);
                string at = $"n {n}, s {scale}, δ {delta}";
                double logDet = factor.LogDeterminant();
                // First-order perturbation bound: Σ |Δλᵢ|/(sλᵢ + δ) ≤ n·ε·s·λmax/δ for eigenvalues good to ε·s·λmax.
                double bound = (4 * n * Math.ScaleB(1.0, -52) * scale * system.Eigenvalues[n - 1] / delta) + (1e-12 * Math.Abs(logDet));
                Assert.True(Math.Abs(system.LogDeterminant(delta, scale) - logDet) <= bound,
                    $"{at}: log det {system.LogDeterminant(delta, scale)} vs {logDet}");
                // Solves are good to about cond·ε, cond = (s·λmax + δ)/δ.
                double tol = (1e-14 * ((scale * system.Eigenvalues[n - 1]) + delta) / delta) + 1e-12;
                var x = new double[n];
                factor.Solve(b, x);
                var y = new double[n];
                system.Solve(c, delta, y, scale);
                Reference.Close(y, x, tol, $"{at}: solve");
                double q = factor.QuadraticForm(b);
                Assert.True(Math.Abs(system.QuadraticForm(c, delta, scale) - q) <= tol * q, $"{at}: quadratic form");
                var diag = new double[n];
                factor.InverseDiagonal(diag);
                double trace = 0;
                foreach (double v in diag)
                {
                    trace += v;
                }
                Assert.True(Math.Abs(system.TraceInverse(delta, scale) - trace) <= tol * trace, $"{at}: trace of inverse");
            }
        }
    }

    [Fact]
    public void NonPositiveShiftedMatrix_IsRejected()
    {
        double[] a = [1, 0, 0, -2];
        var system = EigenSystem.Compute(a, 2);
        Assert.Equal(-2, system.Eigenvalues[0], 1e-15);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => system.LogDeterminant(1.5));
        Assert.Contains("Use δ > 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => system.LogDeterminant(3, scale: 0));
        Assert.Equal(Math.Log(4 * 1), system.LogDeterminant(3), 1e-14);
    }
}
