using System;
using Dnn2Gp.Runtime.Gp;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Gp;

/// <summary>Link approximations and the variance of the linearised probabilities against direct computations.</summary>
public class LinkApproximationsTests
{
    private static FunctionPrediction Prediction(double[] mean, double[] covariances, int k) =>
        new(mean.Length / k, k, mean, covariances, null, PredictiveForm.WeightSpace);

    [Fact]
    public void Zero_covariance_gives_the_plain_softmax_and_sigmoid()
    {
        double[] mean = [0.5, -1.0, 2.0];
        var prediction = Prediction(mean, new double[9], 3);
        var softmax = new double[3];
        double z = Math.Exp(0.5) + Math.Exp(-1.0) + Math.Exp(2.0);
        foreach (var link in new[] { LinkApproximation.Probit, LinkApproximation.MonteCarlo })
        {
            LinkApproximations.Probabilities(new CategoricalLikelihood(), prediction, link, softmax, samples: 10);
            Assert.Equal(Math.Exp(0.5) / z, softmax[0], 14);
            Assert.Equal(Math.Exp(2.0) / z, softmax[2], 14);
        }
        var binary = Prediction([0.7], [0.0], 1);
        var p = new double[1];
        LinkApproximations.Probabilities(new BernoulliLikelihood(), binary, LinkApproximation.Probit, p);
        Assert.Equal(1 / (1 + Math.Exp(-0.7)), p[0], 14);
    }

    [Fact]
    public void Probit_is_close_to_a_long_monte_carlo_average_for_a_bernoulli_logit()
    {
        var prediction = Prediction([1.2, -0.4], [2.0, 0.5], 1);
        var probit = new double[2];
        var mc = new double[2];
        LinkApproximations.Probabilities(new BernoulliLikelihood(), prediction, LinkApproximation.Probit, probit);
        LinkApproximations.Probabilities(new BernoulliLikelihood(), prediction, LinkApproximation.MonteCarlo, mc, samples: 200_000, seed: 1);
        for (int e = 0; e < 2; e++) Assert.True(Math.Abs(probit[e] - mc[e]) < 0.01, $"input {e}: probit {probit[e]:F4}, Monte Carlo {mc[e]:F4}");
        // Variance shrinks the probability towards ½.
        Assert.True(probit[0] < 1 / (1 + Math.Exp(-1.2)));
    }

    [Fact]
    public void Monte_carlo_handles_the_singular_softmax_covariance()
    {
        // Σ_f = v 11ᵀ: all logits shift together, which changes no probability.
        var covariance = new double[9];
        Array.Fill(covariance, 3.0);
        var prediction = Prediction([0.1, 0.2, -0.3], covariance, 3);
        var p = new double[3];
        LinkApproximations.Probabilities(new CategoricalLikelihood(), prediction, LinkApproximation.MonteCarlo, p, samples: 50);
        double z = Math.Exp(0.1) + Math.Exp(0.2) + Math.Exp(-0.3);
        Assert.Equal(Math.Exp(0.2) / z, p[1], 12);
    }

    [Fact]
    public void Probability_variances_are_diag_of_lambda_sigma_lambda()
    {
        double[] mean = [0.3, -0.2, 1.1];
        double[] sigma = [2.0, 0.3, -0.1, 0.3, 1.0, 0.2, -0.1, 0.2, 0.5];
        var prediction = Prediction(mean, sigma, 3);
        var variances = new double[3];
        LinkApproximations.ProbabilityVariances(new CategoricalLikelihood(), prediction, variances);
        double z = Math.Exp(0.3) + Math.Exp(-0.2) + Math.Exp(1.1);
        double[] p = [Math.Exp(0.3) / z, Math.Exp(-0.2) / z, Math.Exp(1.1) / z];
        for (int a = 0; a < 3; a++)
        {
            double expected = 0;
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    double li = (a == i ? p[a] : 0) - p[a] * p[i], lj = (j == a ? p[j] : 0) - p[j] * p[a];
                    expected += li * sigma[i * 3 + j] * lj;
                }
            }
            Assert.Equal(expected, variances[a], 14);
        }
        var aleatoric = new double[3];
        LinkApproximations.AleatoricVariances(new CategoricalLikelihood(), prediction, aleatoric);
        Assert.Equal(p[2] * (1 - p[2]), aleatoric[2], 14);
        Assert.Throws<ArgumentException>(() => LinkApproximations.ProbabilityVariances(new GaussianLikelihood(1), prediction, variances));
    }

    [Fact]
    public void The_psd_factor_reconstructs_singular_matrices()
    {
        // Rank 2 in 4 dimensions.
        double[] u = [1, 2, 0, -1], v = [0.5, -1, 3, 2];
        var a = new double[16];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++) a[i * 4 + j] = u[i] * u[j] + v[i] * v[j];
        }
        var l = new double[16];
        LinkApproximations.PsdFactor(a, 4, l);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int q = 0; q < 4; q++) sum += l[i * 4 + q] * l[j * 4 + q];
                Assert.True(Math.Abs(sum - a[i * 4 + j]) < 1e-12, $"L Lᵀ [{i},{j}] = {sum}, A = {a[i * 4 + j]}");
            }
        }
    }
}
