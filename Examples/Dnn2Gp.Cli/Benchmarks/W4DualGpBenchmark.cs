using System;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// W4 in function space: the same predictive variances as <c>w4-full-laplace</c> (the DNN2GP GP on the pseudo-targets is
/// the full Laplace posterior's linearised predictive), from the 1,000 × 1,000 kernel contracted from factored
/// Jacobians and one Cholesky of it: when N &lt; P the dual is the cheaper form.
/// </summary>
internal sealed class W4DualGpBenchmark : IBenchmark
{
    public string Name => "w4-dual-gp";

    public string Description => "W4 in function space: DNN2GP GP of the 1-50-50-1 tanh MLP on N = 1,000 (1,000 × 1,000 kernel), predictive variances of 1,000 test inputs";

    public double[] Run(int repeats)
    {
        const int n = 1000, m = 1000;
        var (parameters, x, y, test) = RegressionWorkload.Tanh(n, m);
        FunctionPrediction prediction = null!;
        var times = BenchmarkTiming.Repeat(repeats, () =>
        {
            var gp = NetworkGp<TanhRegressionMlp, float>.Create(parameters, x, y, n, PriorPrecision.Isotropic(1.0));
            prediction = gp.Predict(test, m, PredictiveForm.FunctionSpace);
        });
        Console.WriteLine(FormattableString.Invariant($"# predictive std of f at x = −4, 0, 4: {Math.Sqrt(prediction.VarianceOfF(0, 0)):F4}, {Math.Sqrt(prediction.VarianceOfF(m / 2, 0)):F4}, {Math.Sqrt(prediction.VarianceOfF(m - 1, 0)):F4}"));
        return times;
    }
}
