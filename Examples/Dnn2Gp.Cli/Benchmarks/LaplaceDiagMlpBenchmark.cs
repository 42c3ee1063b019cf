using System;
using System.Diagnostics;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// (a) laplace-diag-mlp: fit the diagonal Laplace posterior of the 784-100-100-10 ReLU MLP over the 60,000 MNIST training
/// images (exact GGN diagonal, full softmax Λ) and compute the linearised (GLM) predictive covariances J Σ Jᵀ of the
/// 10,000 test images. laplace-torch on the same network (measured by the issue author): 1.0 s to fit on 10,000 images
/// and 2.6 s for the GLM predictive of 200 test points.
/// </summary>
internal sealed class LaplaceDiagMlpBenchmark : IBenchmark
{
    public string Name => "laplace-diag-mlp";

    public string Description => "(a) diagonal Laplace of the 784-100-100-10 MLP over 60,000 MNIST images + GLM predictive covariances of 10,000 test images";

    public double[] Run(int repeats)
    {
        var (train, test) = LaplaceWorkload.Mnist();
        var parameters = LaplaceWorkload.MlpParameters();
        var covariances = new double[test.Count * MnistMlp.OutputSize * MnistMlp.OutputSize];
        double fit = 0, predict = 0;
        int runs = 0;
        var times = BenchmarkTiming.Repeat(repeats, () =>
        {
            var clock = Stopwatch.StartNew();
            var laplace = Laplace<MnistMlp, float>.Fit(parameters, train.Inputs, train.Targets, train.Count, LaplaceStructure.Diagonal, PriorPrecision.Isotropic(1e-4));
            double f = clock.Elapsed.TotalSeconds;
            laplace.FunctionalCovariance(test.Inputs, test.Count, covariances);
            fit += f;
            predict += clock.Elapsed.TotalSeconds - f;
            runs++;
        });
        Console.WriteLine(FormattableString.Invariant($"# mean over {runs} runs (warm-up included): fit {fit / runs:F3} s, GLM predictive of {test.Count:N0} test images {predict / runs:F3} s; {Environment.ProcessorCount} cores"));
        Console.WriteLine("# laplace-torch reference (issue author's machine): fit on 10,000 images 1.0 s, GLM predictive of 200 test points 2.6 s");
        return times;
    }
}
