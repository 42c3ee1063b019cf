using System;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Gp;

/// <summary>The cached-eigen GP evidence against a Cholesky evaluation, its gradient against central differences, its searches.</summary>
public class KernelEvidenceTests
{
    private static (double[] Kernel, double[] Targets) Problem(int n, int rank, int seed)
    {
        var random = new Random(seed);
        var x = new double[n * rank];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() * 2 - 1;
        var k = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int q = 0; q < rank; q++) dot += x[i * rank + q] * x[j * rank + q];
                k[i * n + j] = dot;
            }
        }
        // Targets from the model: t = X w + ε with w ~ N(0, I/2), ε ~ N(0, 0.5²).
        var w = new double[rank];
        for (int q = 0; q < rank; q++) w[q] = Normal(random) / Math.Sqrt(2);
        var t = new double[n];
        for (int i = 0; i < n; i++)
        {
            double dot = 0;
            for (int q = 0; q < rank; q++) dot += x[i * rank + q] * w[q];
            t[i] = dot + 0.5 * Normal(random);
        }
        return (k, t);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    [Theory]
    [InlineData(17, 5, 1)]
    [InlineData(40, 60, 2)]
    [InlineData(1, 3, 3)]
    public void Matches_a_cholesky_evaluation_and_its_gradient_matches_central_differences(int n, int rank, int seed)
    {
        var (kernel, targets) = Problem(n, rank, seed);
        var evidence = new KernelEvidence(kernel, n, targets, tunableNoise: true, constant: 0.25);
        foreach (var (delta, sigma) in new[] { (0.05, 0.3), (1.0, 1.0), (40.0, 2.5) })
        {
            var c = new double[n * n];
            for (int i = 0; i < c.Length; i++) c[i] = kernel[i] / delta;
            for (int i = 0; i < n; i++) c[i * n + i] += sigma * sigma;
            var factor = Cholesky.Factor(c, n);
            var alpha = new double[n];
            factor.Solve(targets, alpha);
            double quadratic = 0;
            for (int i = 0; i < n; i++) quadratic += targets[i] * alpha[i];
            double expected = -0.5 * quadratic - 0.5 * factor.LogDeterminant() - 0.5 * n * Math.Log(2 * Math.PI) + 0.25;
            double value = evidence.Evaluate(delta, sigma, out double gd, out double gs);
            Assert.True(Math.Abs(expected - value) < 1e-10 * Math.Abs(expected), $"δ {delta}, σ {sigma}: {value:R} vs {expected:R}");
            const double h = 1e-5;
            double fdDelta = (evidence.LogMarginalLikelihood(delta * Math.Exp(h), sigma) - evidence.LogMarginalLikelihood(delta * Math.Exp(-h), sigma)) / (2 * h);
            double fdSigma = (evidence.LogMarginalLikelihood(delta, sigma * Math.Exp(h)) - evidence.LogMarginalLikelihood(delta, sigma * Math.Exp(-h))) / (2 * h);
            Assert.True(Math.Abs(fdDelta - gd) < 1e-6 * Math.Max(1, Math.Abs(gd)), $"∂/∂log δ: {gd:R} vs {fdDelta:R}");
            Assert.True(Math.Abs(fdSigma - gs) < 1e-6 * Math.Max(1, Math.Abs(gs)), $"∂/∂log σ: {gs:R} vs {fdSigma:R}");
        }
    }

    [Fact]
    public void Gradient_ascent_reaches_the_grid_maximum()
    {
        var (kernel, targets) = Problem(30, 8, 4);
        var evidence = new KernelEvidence(kernel, 30, targets);
        var grid = evidence.GridSearch(Grids.Logspace(-3, 3, 601), Grids.Logspace(-1, 1, 201));
        Assert.Equal(601 * 201, grid.Grid.Count);
        var best = evidence.Maximize(1, 1, tuneSigma: true, steps: 800);
        Assert.True(best.LogMarginalLikelihood >= grid.LogMarginalLikelihood - 1e-6, $"{best} vs {grid}");
        Assert.True(Math.Abs(Math.Log(best.Prior.Delta / grid.Prior.Delta)) < 0.02, $"{best} vs {grid}");
        Assert.True(Math.Abs(Math.Log(best.Sigma!.Value / grid.Sigma!.Value)) < 0.02, $"{best} vs {grid}");
    }

    [Fact]
    public void Fixed_noise_kernels_refuse_another_sigma_and_bad_targets_are_refused()
    {
        var (kernel, targets) = Problem(5, 2, 5);
        var fixedNoise = new KernelEvidence(kernel, 5, targets, tunableNoise: false);
        Assert.Throws<ArgumentOutOfRangeException>(() => fixedNoise.LogMarginalLikelihood(1.0, 0.5));
        Assert.Throws<ArgumentException>(() => fixedNoise.Maximize(1.0, tuneSigma: true));
        Assert.Null(fixedNoise.GridSearch([0.1, 1, 10]).Sigma);
        targets[2] = double.NaN;
        Assert.Throws<ArgumentException>(() => new KernelEvidence(kernel, 5, targets));
        Assert.Throws<ArgumentException>(() => new KernelEvidence(kernel, 5, new double[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelEvidence(kernel, 5, new double[5]).LogMarginalLikelihood(0));
    }
}
