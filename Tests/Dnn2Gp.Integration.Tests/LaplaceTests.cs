using System;
using System.Collections.Generic;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Integration.Tests.Numerics;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// Every Laplace structure against its dense reference (explicit Jacobians and output Hessians): precision and
/// covariance products, log-determinant, the GLM predictive and kernels, samples, the evidence at other
/// hyperparameters and its gradient against central differences; the jitter ladder and the argument checks.
/// </summary>
public class LaplaceTests
{
    private const int Train = 9, Test = 5;

    private static readonly LaplaceStructure[] Structures = [LaplaceStructure.Full, LaplaceStructure.Diagonal, LaplaceStructure.Kfac, LaplaceStructure.LastLayer];

    private static readonly Dictionary<string, Action<LaplaceStructure, int>> Networks = new()
    {
        [nameof(TanhRegressionNet)] = Check<TanhRegressionNet>,
        [nameof(TwoOutputRegressionNet)] = Check<TwoOutputRegressionNet>,
        [nameof(BinaryClassifierNet)] = Check<BinaryClassifierNet>,
        [nameof(SoftmaxClassifierNet)] = Check<SoftmaxClassifierNet>,
        [nameof(LinearRegressionNet)] = Check<LinearRegressionNet>,
    };

    public static TheoryData<string, LaplaceStructure> Cases()
    {
        var data = new TheoryData<string, LaplaceStructure>();
        foreach (var name in Networks.Keys)
        {
            foreach (var s in Structures) data.Add(name, s);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structure_matches_its_dense_reference(string network, LaplaceStructure structure)
    {
        foreach (int seed in new[] { 1, 2 }) Networks[network](structure, seed);
    }

    private static void Check<TNet>(LaplaceStructure structure, int seed) where TNet : INetwork<TNet, double>
    {
        var (w, x, y) = NetworkChecks.RandomProblem<TNet>(Train, seed);
        var (_, xt, _) = NetworkChecks.RandomProblem<TNet>(Test, seed + 50);
        double? sigma = TNet.Likelihood is GaussianLikelihood g ? 1.3 * g.Sigma : null;
        var prior = PriorPrecision.FromDeclared(TNet.Prior);
        var laplace = Laplace<TNet, double>.Fit(w, x, y, Train, structure, prior, sigma);
        var reference = LaplaceReference.Build<TNet>(w, x, y, Train, structure, prior, sigma);
        string what = $"{TNet.Name} {structure} seed {seed}";
        Assert.Equal(structure, laplace.Structure);
        Assert.Equal(reference.Dimension, laplace.Dimension);
        Assert.Equal(reference.Offset, laplace.Offset);

        int d = laplace.Dimension;
        var random = new Random(seed + 7);
        var v = new double[d];
        for (int i = 0; i < d; i++) v[i] = NetworkChecks.Normal(random);
        var hv = new double[d];
        laplace.MultiplyPrecision(v, hv);
        Dense.AssertAll(Dense.Multiply(reference.Precision, d, v), hv, 1e-10, $"{what}: H v");
        var sv = new double[d];
        laplace.MultiplyCovariance(v, sv);
        Dense.AssertAll(Dense.Solve(reference.Precision, d, v), sv, 1e-8, $"{what}: Σ v");
        NetworkChecks.AssertClose(Dense.LogDeterminant(reference.Precision, d), laplace.LogDeterminant, $"{what}: log det", 1e-10);

        int k = TNet.OutputSize, p = TNet.ParameterCount;
        var jt = new double[Test * k * p];
        Curvature<TNet, double>.Jacobian(w, xt, Test, jt);
        var covariances = new double[Test * k * k];
        laplace.FunctionalCovariance(xt, Test, covariances);
        Dense.AssertAll(reference.FunctionalCovariance(jt, Test), covariances, 1e-8, $"{what}: J Σ Jᵀ per input");
        var prediction = laplace.Predict(xt, Test);
        var f = new double[Test * k];
        TNet.Forward(w, xt, f, Test);
        Dense.AssertAll(f, prediction.Mean.ToArray(), 1e-14, $"{what}: predictive mean");
        if (sigma is double s) NetworkChecks.AssertClose(prediction.VarianceOfF(2, 0) + s * s, prediction.VarianceOfY(2, 0), $"{what}: Var y", 1e-14);

        var kernel = new double[Test * k * 3 * k];
        laplace.Kernel(xt, Test, x, 3, KernelBlocks.Full, kernel);
        var j3 = reference.Jacobian.AsSpan(0, 3 * k * p).ToArray();
        Dense.AssertAll(reference.Kernel(jt, Test, j3, 3), kernel, 1e-8, $"{what}: kernel");
        var perOutput = new double[k * Test * 3];
        laplace.Kernel(xt, Test, x, 3, KernelBlocks.PerOutput, perOutput);
        for (int r = 0; r < k; r++)
        {
            for (int i = 0; i < Test; i++)
            {
                for (int j = 0; j < 3; j++)
                    NetworkChecks.AssertClose(kernel[(i * k + r) * 3 * k + j * k + r], perOutput[(r * Test + i) * 3 + j], $"{what}: per-output kernel", 1e-12);
            }
        }

        NetworkChecks.AssertClose(reference.Evidence(w, prior, TNet.Layers), laplace.LogMarginalLikelihood(), $"{what}: evidence", 1e-10);
        NetworkChecks.AssertClose(reference.LogLikelihood, laplace.LogLikelihood, $"{what}: log-likelihood", 1e-12);

        // Other hyperparameters from the cached curvature = a fresh fit with them.
        var other = PriorPrecision.Isotropic(0.37);
        double? otherSigma = sigma is null ? null : 0.8 * sigma;
        var refit = Laplace<TNet, double>.Fit(w, x, y, Train, structure, other, otherSigma);
        NetworkChecks.AssertClose(refit.LogMarginalLikelihood(), laplace.LogMarginalLikelihood(other, otherSigma), $"{what}: evidence at other δ, σ", 1e-10);
        var rebuilt = laplace.WithHyperparameters(other, otherSigma);
        NetworkChecks.AssertClose(refit.LogDeterminant, rebuilt.LogDeterminant, $"{what}: rebuilt log det", 1e-10);
        var layerwise = Layerwise<TNet>(0.6);
        NetworkChecks.AssertClose(Laplace<TNet, double>.Fit(w, x, y, Train, structure, layerwise, otherSigma).LogMarginalLikelihood(),
            laplace.LogMarginalLikelihood(layerwise, otherSigma), $"{what}: evidence at a layer-wise prior", 1e-10);

        CheckGradient(laplace, PriorPrecision.Isotropic(0.8), otherSigma, what);
        CheckGradient(laplace, Layerwise<TNet>(0.9), otherSigma, what);
    }

    /// <summary>δₗ = base · (1.5)^l.</summary>
    private static PriorPrecision Layerwise<TNet>(double value) where TNet : INetwork<TNet, double>
    {
        var deltas = new double[TNet.Layers.Count];
        for (int l = 0; l < deltas.Length; l++) deltas[l] = value * Math.Pow(1.5, l);
        return PriorPrecision.Layerwise(deltas);
    }

    private static void CheckGradient<TNet>(LaplacePosterior<TNet, double> laplace, PriorPrecision prior, double? sigma, string what)
        where TNet : INetwork<TNet, double>
    {
        int count = prior.Values.Length;
        var gradient = new double[count];
        laplace.LogMarginalLikelihood(prior, sigma, gradient, out double sigmaGradient);
        const double h = 1e-5;
        for (int i = 0; i < count; i++)
        {
            double Shifted(double step)
            {
                var values = prior.Values.ToArray();
                values[i] *= Math.Exp(step);
                var shifted = prior.Structure == PriorStructure.Isotropic ? PriorPrecision.Isotropic(values[0]) : PriorPrecision.Layerwise(values);
                return laplace.LogMarginalLikelihood(shifted, sigma);
            }
            double fd = (Shifted(h) - Shifted(-h)) / (2 * h);
            NetworkChecks.AssertClose(fd, gradient[i], $"{what}: ∂ log p / ∂ log δ[{i}] ({prior.Structure})", 1e-6);
        }
        if (sigma is double s)
        {
            double fd = (laplace.LogMarginalLikelihood(prior, s * Math.Exp(h)) - laplace.LogMarginalLikelihood(prior, s * Math.Exp(-h))) / (2 * h);
            NetworkChecks.AssertClose(fd, sigmaGradient, $"{what}: ∂ log p / ∂ log σ", 1e-6);
        }
        else
        {
            Assert.Equal(0.0, sigmaGradient);
        }
    }

    [Theory]
    [InlineData(LaplaceStructure.Full)]
    [InlineData(LaplaceStructure.Diagonal)]
    [InlineData(LaplaceStructure.Kfac)]
    [InlineData(LaplaceStructure.LastLayer)]
    public void Samples_have_the_posterior_covariance(LaplaceStructure structure)
    {
        var (w, x, y) = NetworkChecks.RandomProblem<TanhRegressionNet>(Train, 11);
        var laplace = Laplace<TanhRegressionNet, double>.Fit(w, x, y, Train, structure);
        var reference = LaplaceReference.Build<TanhRegressionNet>(w, x, y, Train, structure, PriorPrecision.FromDeclared(TanhRegressionNet.Prior), null);
        const int count = 20_000;
        int p = TanhRegressionNet.ParameterCount, d = laplace.Dimension, off = laplace.Offset;
        var samples = new double[count * p];
        laplace.Samples(count, seed: 5, samples);
        var mean = new double[d];
        var cov = new double[d * d];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < p; i++)
            {
                if (i < off || i >= off + d) Assert.Equal(w[i], samples[s * p + i]);
            }
            for (int i = 0; i < d; i++)
            {
                double di = samples[s * p + off + i] - w[off + i];
                mean[i] += di / count;
                for (int j = 0; j < d; j++) cov[i * d + j] += di * (samples[s * p + off + j] - w[off + j]) / count;
            }
        }
        for (int i = 0; i < d; i++)
        {
            double si = Math.Sqrt(reference.Covariance[i * d + i]);
            Assert.True(Math.Abs(mean[i]) < 0.05 * si, $"{structure}: sample mean of parameter {i} is {mean[i]:G3}, σ = {si:G3}");
            for (int j = 0; j < d; j++)
            {
                double scale = si * Math.Sqrt(reference.Covariance[j * d + j]);
                Assert.True(Math.Abs(cov[i * d + j] - reference.Covariance[i * d + j]) < 0.05 * scale,
                    $"{structure}: sample covariance [{i},{j}] = {cov[i * d + j]:G4}, expected {reference.Covariance[i * d + j]:G4}");
            }
        }
    }

    [Fact]
    public void Float_networks_fit_every_structure_and_agree_with_double_references()
    {
        var random = new Random(3);
        int n = 12, d = FloatSoftmaxNet.InputSize;
        var w = new float[FloatSoftmaxNet.ParameterCount];
        FloatSoftmaxNet.InitializeParameters(w, 3);
        var x = new float[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = (float)NetworkChecks.Normal(random);
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = random.Next(3);
        var baseline = new double[4 * 3 * 3];
        var diagonal = Laplace<FloatSoftmaxNet, float>.Fit(w, x, y, n, LaplaceStructure.Diagonal);
        diagonal.FunctionalCovariance(x, 4, baseline);
        foreach (var structure in Structures)
        {
            var laplace = Laplace<FloatSoftmaxNet, float>.Fit(w, x, y, n, structure);
            Assert.True(double.IsFinite(laplace.LogMarginalLikelihood()), $"{structure}: evidence {laplace.LogMarginalLikelihood()}");
            var cov = new double[4 * 3 * 3];
            laplace.FunctionalCovariance(x, 4, cov);
            for (int e = 0; e < 4; e++)
            {
                for (int a = 0; a < 3; a++) Assert.True(cov[(e * 3 + a) * 3 + a] >= 0, $"{structure}: a negative predictive variance {cov[(e * 3 + a) * 3 + a]}");
            }
        }
    }

    [Fact]
    public void The_jitter_ladder_reports_its_use_and_a_hopeless_matrix_is_named()
    {
        // 29 parameters, 3 examples: the GGN has rank 3, and δ = 1e-13 leaves the precision numerically singular.
        var (w, x, y) = NetworkChecks.RandomProblem<TanhRegressionNet>(3, 4);
        var tiny = PriorPrecision.Isotropic(1e-13);
        var laplace = (FullLaplace<TanhRegressionNet, double>)Laplace<TanhRegressionNet, double>.Fit(w, x, y, 3, LaplaceStructure.Full, tiny);
        Assert.True(laplace.Factorisation.UsedJitter, $"expected jitter, got {laplace.Factorisation}");
        Assert.True(laplace.Factorisation.Jitter > 0 && laplace.Factorisation.Attempts > 1);
        var healthy = (FullLaplace<TanhRegressionNet, double>)Laplace<TanhRegressionNet, double>.Fit(w, x, y, 3, LaplaceStructure.Full);
        Assert.False(healthy.Factorisation.UsedJitter);
        Assert.Equal(1, healthy.Factorisation.Attempts);

        var error = Assert.Throws<NotPositiveDefiniteException>(() =>
            Laplace<TanhRegressionNet, double>.Fit(w, x, y, 3, LaplaceStructure.Full, tiny, jitter: JitterPolicy.None));
        Assert.Contains("posterior precision (29×29)", error.Message);
        Assert.Equal(29, error.Order);
    }

    [Fact]
    public void Bad_inputs_are_refused_before_any_work()
    {
        var (w, x, y) = NetworkChecks.RandomProblem<SoftmaxClassifierNet>(Train, 1);
        var nan = (double[])x.Clone();
        nan[7] = double.NaN;
        var e1 = Assert.Throws<ArgumentException>(() => Laplace<SoftmaxClassifierNet, double>.Fit(w, nan, y, Train, LaplaceStructure.Diagonal));
        Assert.Contains("example 2, feature 1", e1.Message);
        var label = (double[])y.Clone();
        label[4] = 4;
        var e2 = Assert.Throws<ArgumentException>(() => Laplace<SoftmaxClassifierNet, double>.Fit(w, x, label, Train, LaplaceStructure.Full));
        Assert.Contains("example 4", e2.Message);
        Assert.Contains("[0, 3]", e2.Message);
        var inf = (double[])w.Clone();
        inf[0] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => Laplace<SoftmaxClassifierNet, double>.Fit(inf, x, y, Train, LaplaceStructure.Kfac));
        var laplace = Laplace<SoftmaxClassifierNet, double>.Fit(w, x, y, Train, LaplaceStructure.Kfac);
        var e3 = Assert.Throws<ArgumentException>(() => laplace.Predict(nan, Train));
        Assert.Contains("example 2", e3.Message);
        Assert.Throws<ArgumentException>(() => Laplace<SoftmaxClassifierNet, double>.Fit(w, x, y, Train, LaplaceStructure.Diagonal, sigma: 0.5));
        Assert.Throws<ArgumentException>(() => Laplace<SoftmaxClassifierNet, double>.Fit(w, x, y, Train, LaplaceStructure.Diagonal, PriorPrecision.Layerwise(1, 2, 3)));
        var ragged = new double[SoftmaxClassifierNet.ParameterCount];
        Array.Fill(ragged, 1.0);
        ragged[0] = 2.0;
        var e4 = Assert.Throws<ArgumentException>(() => Laplace<SoftmaxClassifierNet, double>.Fit(w, x, y, Train, LaplaceStructure.Kfac, PriorPrecision.Diagonal(ragged)));
        Assert.Contains("KFAC", e4.Message);
        Assert.Throws<ArgumentException>(() => PriorPrecision.FromDeclared(new IsotropicGaussianPrior(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PriorPrecision.Isotropic(double.NaN));
    }

    [Fact]
    public void Grid_search_and_gradient_tuning_agree_on_every_structure()
    {
        var (w, x, y) = NetworkChecks.RandomProblem<TanhRegressionNet>(40, 21);
        // Targets the network nearly fits (noise 0.4), so the best σ lies inside the grid.
        TanhRegressionNet.Forward(w, x, y, 40);
        var random = new Random(22);
        for (int i = 0; i < y.Length; i++) y[i] += 0.4 * NetworkChecks.Normal(random);
        foreach (var structure in Structures)
        {
            var laplace = Laplace<TanhRegressionNet, double>.Fit(w, x, y, 40, structure);
            var grid = Runtime.Data.Grids.Logspace(-2, 2, 201);
            var sigmas = Runtime.Data.Grids.Logspace(-1, 0.5, 31);
            var best = LaplaceTuning.GridSearch(laplace, grid, sigmas);
            Assert.Equal(201 * 31, best.Evaluations);
            foreach (var point in best.Grid) Assert.True(point.LogMarginalLikelihood <= best.LogMarginalLikelihood);
            var tuned = LaplaceTuning.Optimize(laplace, PriorStructure.Isotropic, tuneSigma: true, steps: 400);
            Assert.True(tuned.LogMarginalLikelihood >= best.LogMarginalLikelihood - 1e-3, $"{structure}: gradient {tuned} below grid {best}");
            Assert.True(Math.Abs(Math.Log(tuned.Prior.Delta / best.Prior.Delta)) < 0.05, $"{structure}: {tuned} vs {best}");
            var layerwise = LaplaceTuning.Optimize(laplace, PriorStructure.Layerwise, tuneSigma: true, steps: 400);
            Assert.True(layerwise.LogMarginalLikelihood >= tuned.LogMarginalLikelihood - 1e-6, $"{structure}: layer-wise {layerwise} below isotropic {tuned}");
        }
    }
}
