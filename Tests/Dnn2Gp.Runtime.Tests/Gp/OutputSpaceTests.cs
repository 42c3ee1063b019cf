using System;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Gp;

/// <summary>The per-example algebra of the DNN2GP linear model against its definitions, for every likelihood.</summary>
public class OutputSpaceTests
{
    private static readonly Likelihood Softmax = new CategoricalLikelihood();

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 3)]
    [InlineData(10, 4)]
    public void Softmax_pseudo_inverse_pseudo_determinant_and_whitening_match_their_definitions(int k, int seed)
    {
        var random = new Random(seed);
        var f = new double[k];
        for (int j = 0; j < k; j++) f[j] = 2 * random.NextDouble() - 1;
        var p = new double[k];
        OutputSpace.Probabilities(Softmax, f, p);
        var lambda = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) lambda[i * k + j] = (i == j ? p[i] : 0) - p[i] * p[j];
        }
        var plus = new double[k * k];
        OutputSpace.PseudoNoise(Softmax, f, 1, plus);
        // Moore–Penrose: Λ Λ⁺ Λ = Λ, Λ⁺ Λ Λ⁺ = Λ⁺, both products symmetric.
        Close(lambda, Product(Product(lambda, plus, k), lambda, k), 1e-12, "Λ Λ⁺ Λ");
        Close(plus, Product(Product(plus, lambda, k), plus, k), 1e-10, "Λ⁺ Λ Λ⁺");
        var lp = Product(lambda, plus, k);
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) Assert.True(Math.Abs(lp[i * k + j] - lp[j * k + i]) < 1e-12, "Λ Λ⁺ symmetric");
        }

        // The pseudo-determinant is the product of the K − 1 non-zero eigenvalues.
        var values = new double[k];
        SymmetricEigen.Eigenvalues(lambda, k, values);
        double log = 0;
        for (int j = 1; j < k; j++) log += Math.Log(values[j]);
        Assert.True(Math.Abs(values[0]) < 1e-14, $"the null eigenvalue is {values[0]}");
        Assert.True(Math.Abs(log - OutputSpace.LogPseudoDeterminant(Softmax, f, 1)) < 1e-10, "log pdet Λ = log(K Π p)");

        // Seeds are a square root of Λ; S⁺ r solves S u = r; ‖S⁺ r‖² = rᵀ Λ⁺ r; Λ⁺ r is the pseudo-inverse residual.
        int label = seed % k;
        double[] target = [label];
        var seeds = new double[k * k];
        OutputSpace.Seeds(Softmax, f, 1, seeds);
        var sst = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int c = 0; c < k; c++) sum += seeds[c * k + i] * seeds[c * k + j];
                sst[i * k + j] = sum;
            }
        }
        Close(lambda, sst, 1e-14, "S Sᵀ = Λ");
        var r = new double[k];
        OutputSpace.Residual(Softmax, f, target, r);
        var u = new double[k];
        OutputSpace.WhitenedResidual(Softmax, f, target, 1, u);
        var su = new double[k];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < k; j++) su[j] += u[c] * seeds[c * k + j];
        }
        Close(r, su, 1e-13, "S (S⁺ r) = r");
        var lr = new double[k];
        OutputSpace.PseudoInverseResidual(Softmax, f, target, 1, lr);
        Close(lr, Product(plus, r, k, 1), 1e-12, "Λ⁺ r");
        double quadratic = 0, norm = 0;
        for (int j = 0; j < k; j++)
        {
            quadratic += r[j] * lr[j];
            norm += u[j] * u[j];
        }
        Assert.True(Math.Abs(quadratic - norm) < 1e-12 * Math.Max(1, norm), $"rᵀ Λ⁺ r = {quadratic}, ‖S⁺ r‖² = {norm}");
    }

    [Fact]
    public void Gaussian_and_bernoulli_reduce_to_their_scalars()
    {
        var gaussian = new GaussianLikelihood(0.5);
        double[] f = [0.3, -1.2], y = [1.0, 0.5];
        var noise = new double[4];
        OutputSpace.PseudoNoise(gaussian, f, 0.7, noise);
        Assert.Equal(0.49, noise[0], 15);
        Assert.Equal(0.0, noise[1]);
        Assert.Equal(0.49, noise[3], 15);
        Assert.Equal(-4 * Math.Log(0.7), OutputSpace.LogPseudoDeterminant(gaussian, f, 0.7), 14);
        var u = new double[2];
        OutputSpace.WhitenedResidual(gaussian, f, y, 0.7, u);
        Assert.Equal((0.3 - 1.0) / 0.7, u[0], 14);
        var correction = new double[2];
        OutputSpace.PseudoInverseResidual(gaussian, f, y, 0.7, correction);
        Assert.Equal([0.3 - 1.0, -1.2 - 0.5], correction);

        var bernoulli = new BernoulliLikelihood();
        double[] logit = [0.8];
        double s = 1 / (1 + Math.Exp(-0.8)), lambda = s * (1 - s);
        var b = new double[1];
        OutputSpace.PseudoNoise(bernoulli, logit, 1, b);
        Assert.Equal(1 / lambda, b[0], 12);
        OutputSpace.PseudoInverseResidual(bernoulli, logit, [0.0], 1, b);
        Assert.Equal(s / lambda, b[0], 12);
        OutputSpace.WhitenedResidual(bernoulli, logit, [1.0], 1, b);
        Assert.Equal((s - 1) / Math.Sqrt(lambda), b[0], 12);
        // Saturated logits: the floor of the official code keeps Λ⁻¹ finite.
        OutputSpace.PseudoNoise(bernoulli, [60.0], 1, b);
        Assert.Equal(1 / OutputSpace.BernoulliFloor, b[0], 3);
    }

    private static double[] Product(double[] a, double[] b, int k, int columns = -1)
    {
        int c = columns < 0 ? k : columns;
        var r = new double[k * c];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < c; j++)
            {
                double sum = 0;
                for (int q = 0; q < k; q++) sum += a[i * k + q] * b[q * c + j];
                r[i * c + j] = sum;
            }
        }
        return r;
    }

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        double scale = 0;
        foreach (double v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, scale), $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
