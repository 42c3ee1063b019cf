using System;
using System.Collections.Generic;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Integration.Tests.Numerics;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Laplace;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// DNN2GP: the function-space GP (M × M) against its weight-space twin (P × P) on random problems; the marginal
/// likelihood in both forms at a Newton-solved w*; Bayesian linear regression in closed form; the cached-eigen evidence;
/// tuning that recovers a δ the data were drawn with; the argument checks.
/// </summary>
public class NetworkGpTests
{
    private static readonly Dictionary<string, Action<int>> Networks = new()
    {
        [nameof(TanhRegressionNet)] = CheckDuality<TanhRegressionNet>,
        [nameof(TwoOutputRegressionNet)] = CheckDuality<TwoOutputRegressionNet>,
        [nameof(BinaryClassifierNet)] = CheckDuality<BinaryClassifierNet>,
        [nameof(SoftmaxClassifierNet)] = CheckDuality<SoftmaxClassifierNet>,
        [nameof(SoftmaxRegressionNet)] = CheckDuality<SoftmaxRegressionNet>,
        [nameof(LinearRegressionNet)] = CheckDuality<LinearRegressionNet>,
    };

    public static TheoryData<string> NetworkNames => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Function_space_predictive_equals_weight_space_predictive(string network)
    {
        foreach (int seed in new[] { 1, 2, 3 }) Networks[network](seed);
    }

    private static void CheckDuality<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int n = 11, m = 6;
        var (w, x, y) = NetworkChecks.RandomProblem<TNet>(n, seed);
        var (_, xt, _) = NetworkChecks.RandomProblem<TNet>(m, seed + 100);
        double? sigma = TNet.Likelihood is GaussianLikelihood g ? 0.9 * g.Sigma : null;
        var gp = NetworkGp<TNet, double>.Create(w, x, y, n, sigma: sigma);
        var dual = gp.Predict(xt, m, PredictiveForm.FunctionSpace);
        var primal = gp.Predict(xt, m, PredictiveForm.WeightSpace);
        string what = $"{TNet.Name} seed {seed}";
        Assert.Equal(PredictiveForm.FunctionSpace, dual.Form);
        Assert.Equal(PredictiveForm.WeightSpace, primal.Form);
        Dense.AssertAll(primal.Mean.ToArray(), dual.Mean.ToArray(), 1e-8, $"{what}: predictive mean");
        Dense.AssertAll(primal.Covariances.ToArray(), dual.Covariances.ToArray(), 1e-8, $"{what}: predictive covariance");
        for (int e = 0; e < m; e++)
        {
            for (int o = 0; o < TNet.OutputSize; o++) Assert.True(dual.VarianceOfF(e, o) > 0, $"{what}: variance {dual.VarianceOfF(e, o)}");
        }
        // The weight-space covariance is the full Laplace posterior's GLM predictive.
        var laplace = Laplace<TNet, double>.Fit(w, x, y, n, LaplaceStructure.Full, sigma: sigma);
        Dense.AssertAll(laplace.Predict(xt, m).Covariances.ToArray(), primal.Covariances.ToArray(), 1e-12, $"{what}: twin = full Laplace");
        // The posterior kernel between test and training inputs: both forms, and the full Laplace posterior's.
        int k = TNet.OutputSize;
        var fs = new double[m * k * 4 * k];
        var ws = new double[m * k * 4 * k];
        var lk = new double[m * k * 4 * k];
        gp.PosteriorKernel(xt, m, x, 4, KernelBlocks.Full, fs, PredictiveForm.FunctionSpace);
        gp.PosteriorKernel(xt, m, x, 4, KernelBlocks.Full, ws, PredictiveForm.WeightSpace);
        laplace.Kernel(xt, m, x, 4, KernelBlocks.Full, lk);
        Dense.AssertAll(ws, fs, 1e-8, $"{what}: posterior kernel, function vs weight space");
        Dense.AssertAll(lk, ws, 1e-12, $"{what}: posterior kernel = full Laplace kernel");
        var diagonalBlocks = new double[k * m * m];
        gp.PosteriorKernel(xt, m, xt, m, KernelBlocks.PerOutput, diagonalBlocks);
        for (int e = 0; e < m; e++)
        {
            for (int r = 0; r < k; r++)
                NetworkChecks.AssertClose(dual.Covariances[(e * k + r) * k + r], diagonalBlocks[(r * m + e) * m + e], $"{what}: kernel diagonal = predictive variance", 1e-9);
        }
        // The GP-form evidence from the cached kernel eigendecomposition equals the Cholesky one at the GP's own δ, σ.
        if (gp.Prior.Structure == PriorStructure.Isotropic)
        {
            var evidence = gp.Evidence();
            NetworkChecks.AssertClose(gp.LogMarginalLikelihood().Value, evidence.LogMarginalLikelihood(gp.Prior.Delta, gp.NoiseSigma ?? 1), $"{what}: cached-eigen evidence", 1e-9);
        }
    }

    [Fact]
    public void Gp_marginal_likelihood_equals_weight_space_evidence_for_newton_solved_logistic_regression()
    {
        CheckStationary<LogisticRegressionNet>(40, 8);
        CheckStationary<SoftmaxRegressionNet>(40, 9);
    }

    /// <summary>Newton's method on the MAP objective (the GGN is the Hessian of a linear-logit model), then both forms.</summary>
    private static void CheckStationary<TNet>(int n, int seed) where TNet : INetwork<TNet, double>
    {
        var (w, x, y) = NetworkChecks.RandomProblem<TNet>(n, seed);
        Array.Clear(w);
        var prior = PriorPrecision.FromDeclared(TNet.Prior);
        var gradient = new double[w.Length];
        var step = new double[w.Length];
        for (int iteration = 0; iteration < 30; iteration++)
        {
            TNet.LossAndGradient(w, x, y, n, gradient, 1.0);
            TNet.AddPriorGradient(w, gradient, 1.0);
            var hessian = Laplace<TNet, double>.Fit(w, x, y, n, LaplaceStructure.Full, prior);
            hessian.MultiplyCovariance(gradient, step);
            for (int i = 0; i < w.Length; i++) w[i] -= step[i];
        }
        TNet.LossAndGradient(w, x, y, n, gradient, 1.0);
        TNet.AddPriorGradient(w, gradient, 1.0);
        double norm = 0;
        foreach (double v in gradient) norm = Math.Max(norm, Math.Abs(v));
        Assert.True(norm < 1e-12, $"{TNet.Name}: Newton left a gradient of {norm:E2}");

        var gp = NetworkGp<TNet, double>.Create(w, x, y, n, prior);
        var functionSpace = gp.LogMarginalLikelihood(PredictiveForm.FunctionSpace);
        var weightSpace = gp.LogMarginalLikelihood(PredictiveForm.WeightSpace);
        Assert.Equal(PredictiveForm.FunctionSpace, functionSpace.Form);
        Assert.Equal(PredictiveForm.WeightSpace, weightSpace.Form);
        Assert.True(Dense.RelativeError(functionSpace.Value, weightSpace.Value) < 1e-10,
            $"{TNet.Name}: GP form {functionSpace.Value:R} vs weight-space form {weightSpace.Value:R}");
        var mean = gp.PosteriorMean;
        for (int i = 0; i < w.Length; i++) NetworkChecks.AssertClose(w[i], mean[i], $"{TNet.Name}: m_post[{i}] = w*", 1e-9);
    }

    [Fact]
    public void Bayesian_linear_regression_pseudo_targets_are_the_targets_and_the_evidence_is_the_textbook_one()
    {
        const int n = 25;
        int d = LinearRegressionNet.InputSize, p = LinearRegressionNet.ParameterCount;
        var (w0, x, y) = NetworkChecks.RandomProblem<LinearRegressionNet>(n, 31);
        double delta = 2.0, sigma = 0.5;
        // The exact posterior mean is w* for any expansion point of a linear model.
        var w = NetworkGp<LinearRegressionNet, double>.Create(w0, x, y, n).PosteriorMean.ToArray();
        var gp = NetworkGp<LinearRegressionNet, double>.Create(w, x, y, n);
        var pseudo = new double[n];
        gp.PseudoTargets(pseudo);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(pseudo[i] - y[i]) < 1e-12, $"pseudo-target {i}: {pseudo[i]:R} vs target {y[i]:R}");
        var noise = new double[n];
        gp.PseudoNoise(noise);
        Assert.All(noise, v => Assert.Equal(sigma * sigma, v, 12));

        double Textbook(double dl, double s)
        {
            var c = new double[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double dot = 1.0; // the bias column
                    for (int q = 0; q < d; q++) dot += x[i * d + q] * x[j * d + q];
                    c[i * n + j] = dot / dl + (i == j ? s * s : 0);
                }
            }
            return Dense.LogNormal(y, c, n);
        }
        double expected = Textbook(delta, sigma);
        NetworkChecks.AssertClose(expected, gp.LogMarginalLikelihood(PredictiveForm.FunctionSpace).Value, "GP form vs textbook evidence", 1e-11);
        NetworkChecks.AssertClose(expected, gp.LogMarginalLikelihood(PredictiveForm.WeightSpace).Value, "weight-space form vs textbook evidence", 1e-10);
        var evidence = gp.Evidence();
        foreach (var (dl, s) in new[] { (0.1, 0.3), (2.0, 0.5), (30.0, 1.7) })
            NetworkChecks.AssertClose(Textbook(dl, s), evidence.LogMarginalLikelihood(dl, s), $"cached evidence at δ {dl}, σ {s}", 1e-10);
        var laplace = Laplace<LinearRegressionNet, double>.Fit(w, x, y, n, LaplaceStructure.Full);
        NetworkChecks.AssertClose(expected, laplace.LogMarginalLikelihood(), "Laplace evidence of the exact posterior", 1e-10);
        Assert.Equal(p, laplace.Dimension);
    }

    [Fact]
    public void Tuning_recovers_the_delta_the_data_were_drawn_with()
    {
        const int n = 300;
        const double delta0 = 4.0, sigma0 = 0.3;
        int d = WideLinearRegressionNet.InputSize, p = WideLinearRegressionNet.ParameterCount;
        var random = new Random(12);
        var truth = new double[p];
        for (int i = 0; i < p; i++) truth[i] = NetworkChecks.Normal(random) / Math.Sqrt(delta0);
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = NetworkChecks.Normal(random);
        var y = new double[n];
        WideLinearRegressionNet.Forward(truth, x, y, n);
        for (int i = 0; i < n; i++) y[i] += sigma0 * NetworkChecks.Normal(random);

        var start = new double[p];
        var gp = NetworkGp<WideLinearRegressionNet, double>.Create(start, x, y, n, PriorPrecision.Isotropic(1.0), sigma: 1.0);
        var evidence = gp.Evidence();
        var best = evidence.Maximize(1.0, 1.0, tuneSigma: true, steps: 600);
        Assert.True(best.Prior.Delta > delta0 / 1.6 && best.Prior.Delta < delta0 * 1.6, $"δ̂ = {best.Prior.Delta:G4}, drawn with {delta0}");
        Assert.True(Math.Abs(best.Sigma!.Value / sigma0 - 1) < 0.15, $"σ̂ = {best.Sigma:G4}, drawn with {sigma0}");
        var grid = evidence.GridSearch(Runtime.Data.Grids.Logspace(-1, 2, 121), Runtime.Data.Grids.Logspace(-1, 0, 41));
        Assert.True(Math.Abs(Math.Log(grid.Prior.Delta / best.Prior.Delta)) < 0.06, $"grid {grid} vs gradient {best}");
        Assert.True(best.LogMarginalLikelihood >= grid.LogMarginalLikelihood - 1e-6);

        // MacKay's fixed point in weight space: refit w* at δ, tune δ by the Laplace evidence at fixed w*, repeat.
        double delta = 1.0, s = 1.0;
        for (int iteration = 0; iteration < 25; iteration++)
        {
            var w = NetworkGp<WideLinearRegressionNet, double>.Create(start, x, y, n, PriorPrecision.Isotropic(delta), sigma: s).PosteriorMean.ToArray();
            var laplace = Laplace<WideLinearRegressionNet, double>.Fit(w, x, y, n, LaplaceStructure.Full, PriorPrecision.Isotropic(delta), s);
            var tuned = LaplaceTuning.Optimize(laplace, tuneSigma: true, steps: 200);
            delta = tuned.Prior.Delta;
            s = tuned.Sigma!.Value;
        }
        Assert.True(Math.Abs(delta / best.Prior.Delta - 1) < 0.02, $"weight-space fixed point δ = {delta:G6}, exact evidence maximum {best.Prior.Delta:G6}");
        Assert.True(Math.Abs(s / best.Sigma.Value - 1) < 0.02, $"weight-space fixed point σ = {s:G6}, exact evidence maximum {best.Sigma:G6}");
    }

    [Fact]
    public void Relevance_is_the_trace_of_the_output_hessian_and_links_are_probabilities()
    {
        const int n = 8;
        var (w, x, y) = NetworkChecks.RandomProblem<SoftmaxClassifierNet>(n, 5);
        int k = SoftmaxClassifierNet.OutputSize;
        var scores = new double[n];
        Relevance<SoftmaxClassifierNet, double>.Scores(w, x, n, scores);
        var f = new double[n * k];
        SoftmaxClassifierNet.Forward(w, x, f, n);
        var lambda = new double[n * k * k];
        SoftmaxClassifierNet.OutputHessian(f, y, lambda, n);
        for (int e = 0; e < n; e++)
        {
            double trace = 0;
            for (int j = 0; j < k; j++) trace += lambda[(e * k + j) * k + j];
            NetworkChecks.AssertClose(trace, scores[e], $"tr Λ of example {e}", 1e-12);
        }
        var laplace = Laplace<SoftmaxClassifierNet, double>.Fit(w, x, y, n, LaplaceStructure.Kfac);
        var prediction = laplace.Predict(x, n);
        foreach (var link in new[] { LinkApproximation.Probit, LinkApproximation.MonteCarlo })
        {
            var probabilities = new double[n * k];
            LinkApproximations.Probabilities(SoftmaxClassifierNet.Likelihood, prediction, link, probabilities, samples: 2000, seed: 3);
            for (int e = 0; e < n; e++)
            {
                double sum = 0;
                for (int j = 0; j < k; j++)
                {
                    Assert.InRange(probabilities[e * k + j], 0.0, 1.0);
                    sum += probabilities[e * k + j];
                }
                NetworkChecks.AssertClose(1.0, sum, $"{link}: Σ p of example {e}", 1e-12);
            }
        }
    }

    [Fact]
    public void Bad_inputs_are_refused_before_any_work()
    {
        const int n = 6;
        var (w, x, y) = NetworkChecks.RandomProblem<BinaryClassifierNet>(n, 1);
        var label = (double[])y.Clone();
        label[3] = 0.5;
        var e1 = Assert.Throws<ArgumentException>(() => NetworkGp<BinaryClassifierNet, double>.Create(w, x, label, n));
        Assert.Contains("example 3", e1.Message);
        var inf = (double[])x.Clone();
        inf[1] = double.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => NetworkGp<BinaryClassifierNet, double>.Create(w, inf, y, n));
        Assert.Throws<ArgumentException>(() => NetworkGp<BinaryClassifierNet, double>.Create(w, x, y, n, sigma: 1.0));
        var gp = NetworkGp<BinaryClassifierNet, double>.Create(w, x, y, n);
        var e2 = Assert.Throws<ArgumentException>(() => gp.Predict(inf, n));
        Assert.Contains("example 0, feature 1", e2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gp.Evidence().LogMarginalLikelihood(1.0, 0.5));
        var (rw, rx, ry) = NetworkChecks.RandomProblem<TanhRegressionNet>(n, 2);
        var nanTarget = (double[])ry.Clone();
        nanTarget[2] = double.NaN;
        Assert.Throws<ArgumentException>(() => NetworkGp<TanhRegressionNet, double>.Create(rw, rx, nanTarget, n));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkGp<TanhRegressionNet, double>.Create(rw, rx, ry, n, sigma: -1));
    }
}
