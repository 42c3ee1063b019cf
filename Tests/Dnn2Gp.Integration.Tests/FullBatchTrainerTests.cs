using System;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Integration.Tests.Numerics;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>The full-batch objective of the DNN2GP experiments: its value (constants included) and gradient, and training reaching a stationary point.</summary>
public class FullBatchTrainerTests
{
    [Fact]
    public void Objective_is_the_negative_log_joint_and_its_gradient_matches_central_differences()
    {
        const int n = 13;
        var (w, x, y) = NetworkChecks.RandomProblem<TanhRegressionNet>(n, 3);
        const double sigma = 0.8;
        var prior = PriorPrecision.Layerwise(0.7, 2.5);
        var trainer = new FullBatchTrainer<TanhRegressionNet, double>(x, y, n, prior, sigma);
        var f = new double[n];
        TanhRegressionNet.Forward(w, x, f, n);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += (y[i] - f[i]) * (y[i] - f[i]) / (2 * sigma * sigma) + Math.Log(sigma) + 0.5 * Math.Log(2 * Math.PI);
        var p = prior.Expand(TanhRegressionNet.Layers);
        for (int i = 0; i < w.Length; i++) expected += 0.5 * p[i] * w[i] * w[i] - 0.5 * Math.Log(p[i]) + 0.5 * Math.Log(2 * Math.PI);
        NetworkChecks.AssertClose(expected, trainer.Objective(w), "objective", 1e-12);
        var gradient = new double[w.Length];
        NetworkChecks.AssertClose(expected, trainer.ObjectiveAndGradient(w, gradient), "objective with gradient", 1e-12);
        for (int i = 0; i < w.Length; i++)
        {
            double original = w[i], h = 1e-6;
            w[i] = original + h;
            double plus = trainer.Objective(w);
            w[i] = original - h;
            double minus = trainer.Objective(w);
            w[i] = original;
            NetworkChecks.AssertClose((plus - minus) / (2 * h), gradient[i], $"∂/∂w[{i}]", 1e-6);
        }
    }

    [Fact]
    public void Adam_with_a_plateau_schedule_reaches_a_stationary_point()
    {
        const int n = 30;
        var (w, x, y) = NetworkChecks.RandomProblem<LogisticRegressionNet>(n, 4);
        var trainer = new FullBatchTrainer<LogisticRegressionNet, double>(x, y, n, PriorPrecision.Isotropic(0.5));
        var adam = new Adam<double>(w.Length, 0.1);
        var report = trainer.Train(w, adam, 3000, new ReduceLROnPlateau<double>(adam, factor: 0.9, minLearningRate: 1e-10));
        var gradient = new double[w.Length];
        trainer.ObjectiveAndGradient(w, gradient);
        foreach (double g in gradient) Assert.True(Math.Abs(g) < 1e-6, $"gradient {g:E2} after {report}");
        Assert.Equal(3000, report.Epochs);
        Assert.Throws<ArgumentException>(() => new FullBatchTrainer<LogisticRegressionNet, double>(x, y, n, PriorPrecision.Isotropic(0.5), sigma: 1.0));
    }
}
