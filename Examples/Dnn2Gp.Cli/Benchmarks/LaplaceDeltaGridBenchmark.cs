using System;
using System.Diagnostics;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// (b) laplace-delta-grid: a 100-point grid search of the prior precision δ (logspace(−4, 4, 100)) by the Laplace–GGN
/// evidence on the diagonal Laplace posterior of benchmark (a): each point is O(P) from the cached GGN diagonal, no pass
/// over the data (laplace-torch's gridsearch recomputes the Jacobians of a validation set at every point).
/// </summary>
internal sealed class LaplaceDeltaGridBenchmark : IBenchmark
{
    public string Name => "laplace-delta-grid";

    public string Description => "(b) 100-point δ grid search by the evidence on the diagonal Laplace posterior of laplace-diag-mlp";

    public double[] Run(int repeats)
    {
        var (train, _) = LaplaceWorkload.Mnist();
        var parameters = LaplaceWorkload.MlpParameters();
        var clock = Stopwatch.StartNew();
        var laplace = Laplace<MnistMlp, float>.Fit(parameters, train.Inputs, train.Targets, train.Count, LaplaceStructure.Diagonal, PriorPrecision.Isotropic(1e-4));
        Console.WriteLine(FormattableString.Invariant($"# fitting the posterior (not timed below): {clock.Elapsed.TotalSeconds:F3} s"));
        double[] grid = Grids.Logspace(-4, 4, 100);
        Runtime.Gp.TuningResult result = null!;
        var times = BenchmarkTiming.Repeat(repeats, () => result = LaplaceTuning.GridSearch(laplace, grid));
        Console.WriteLine($"# {result}");
        return times;
    }
}
