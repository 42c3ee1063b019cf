using System;
using System.Diagnostics;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>Random 1-D regression data for the W4 workloads: x ~ U(−3, 3), y = sin x + 0.3 ε.</summary>
internal static class RegressionWorkload
{
    public static (float[] Parameters, float[] Inputs, float[] Targets, float[] Test) Tanh(int n, int m)
    {
        var random = new Random(4);
        var parameters = new float[TanhRegressionMlp.ParameterCount];
        TanhRegressionMlp.InitializeParameters(parameters, 0);
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(6 * random.NextDouble() - 3);
            y[i] = (float)(Math.Sin(x[i]) + 0.3 * (random.NextDouble() - 0.5));
        }
        var test = new float[m];
        for (int i = 0; i < m; i++) test[i] = (float)(-4 + 8.0 * i / (m - 1));
        return (parameters, x, y, test);
    }
}

/// <summary>
/// W4 through the Laplace API (<see cref="Laplace{TNet,T}"/>; <c>w4-full-laplace</c> is the same work on the curvature
/// primitives): the full Laplace posterior of the 1-50-50-1 tanh MLP (P = 2,701, Gaussian σ² = 0.1): full GGN over
/// N = 1,000 inputs + δI, Cholesky, and the predictive variances of 1,000 test inputs, all in weight space (P × P).
/// </summary>
internal sealed class W4FullLaplaceBenchmark : IBenchmark
{
    public string Name => "w4-laplace-full";

    public string Description => "W4 through the Laplace API: full Laplace of the 1-50-50-1 tanh MLP (P = 2,701): GGN over N = 1,000 + δI, Cholesky, predictive variances of 1,000 test inputs";

    public double[] Run(int repeats)
    {
        const int n = 1000, m = 1000;
        var (parameters, x, y, test) = RegressionWorkload.Tanh(n, m);
        var covariances = new double[m];
        double fit = 0, predict = 0;
        int runs = 0;
        var times = BenchmarkTiming.Repeat(repeats, () =>
        {
            var clock = Stopwatch.StartNew();
            var laplace = Laplace<TanhRegressionMlp, float>.Fit(parameters, x, y, n, LaplaceStructure.Full);
            double f = clock.Elapsed.TotalSeconds;
            laplace.FunctionalCovariance(test, m, covariances);
            fit += f;
            predict += clock.Elapsed.TotalSeconds - f;
            runs++;
        });
        Console.WriteLine(FormattableString.Invariant($"# mean over {runs} runs (warm-up included): GGN + Cholesky {fit / runs:F3} s, predictive variances {predict / runs:F3} s"));
        return times;
    }
}
