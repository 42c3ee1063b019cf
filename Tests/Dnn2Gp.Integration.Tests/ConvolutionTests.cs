using System;
using System.Collections.Generic;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Integration.Tests.Numerics;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// The convolutional networks through every check the dense ones get (gradient, prior and output derivatives against
/// central differences; Jacobian against central differences; JVP, VJP, GGNs, KFAC, approximations and kernels against
/// the explicit-J references), plus what only convolutions have: the KFC definition, the cross-position terms of the
/// exact diagonal GGN, the training pass with dropout, and max-pool ties.
/// </summary>
public class ConvolutionTests
{
    private sealed record Checks(Action<int> Gradient, Action<int> Prior, Action<int> Outputs, Action<int> Jacobian, Action<int> Products,
        Action<int> Ggn, Action<int> Kfac, Action<int> Approximations, Action<int> Kernels, Action<int> Kfc, Action<int> CrossTerms);

    private static Checks For<TNet>() where TNet : INetwork<TNet, double> =>
        new(NetworkChecks.CheckLossGradient<TNet>, NetworkChecks.CheckPrior<TNet>, NetworkChecks.CheckOutputDerivatives<TNet>,
            CurvatureChecks.CheckJacobian<TNet>, CurvatureChecks.CheckProducts<TNet>, CurvatureChecks.CheckGgn<TNet>,
            CurvatureChecks.CheckKfac<TNet>, CurvatureChecks.CheckApproximations<TNet>, CurvatureChecks.CheckKernels<TNet>,
            ConvolutionChecks.CheckKfcDefinition<TNet>, ConvolutionChecks.CheckCrossPositionTerms<TNet>);

    private static readonly Dictionary<string, Checks> Networks = new()
    {
        [nameof(ConvGaussianDouble)] = For<ConvGaussianDouble>(),
        [nameof(ConvMaxPoolDouble)] = For<ConvMaxPoolDouble>(),
        [nameof(ConvBernoulliDouble)] = For<ConvBernoulliDouble>(),
        [nameof(ConvDropoutDouble)] = For<ConvDropoutDouble>(),
        [nameof(ConvSinglePositionDouble)] = For<ConvSinglePositionDouble>(),
    };

    public static TheoryData<string> NetworkNames => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Loss_gradient_prior_and_output_derivatives_match_central_differences(string network)
    {
        foreach (int seed in new[] { 1, 2 }) Networks[network].Gradient(seed);
        Networks[network].Prior(3);
        Networks[network].Outputs(4);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Jacobian_matches_central_differences(string network)
    {
        foreach (int seed in new[] { 5, 6 }) Networks[network].Jacobian(seed);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Jvp_vjp_ggn_kfac_and_approximations_match_the_explicit_jacobian(string network)
    {
        var checks = Networks[network];
        checks.Products(7);
        checks.Ggn(8);
        checks.Kfac(9);
        checks.Kfc(10);
        checks.CrossTerms(11);
        checks.Approximations(12);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Every_kernel_variant_matches_explicit_jacobians(string network) => Networks[network].Kernels(13);

    [Fact]
    public void Training_pass_with_dropout_matches_central_differences_of_its_own_loss()
    {
        foreach (int seed in new[] { 14, 15 }) ConvolutionChecks.CheckTrainingGradient<ConvDropoutDouble>(seed);
    }

    [Fact]
    public void Networks_without_dropout_train_with_the_evaluation_pass()
    {
        var (p, x, y) = NetworkChecks.RandomProblem<ConvMaxPoolDouble>(4, seed: 16);
        var training = new double[p.Length];
        var evaluation = new double[p.Length];
        Assert.Equal(ConvMaxPoolDouble.LossAndGradient(p, x, y, 4, evaluation, 1.0), Train<ConvMaxPoolDouble>(p, x, y, 4, training, 99));
        Assert.Equal(evaluation, training);
    }

    private static double Train<TNet>(double[] p, double[] x, double[] y, int batch, double[] gradient, ulong seed) where TNet : INetwork<TNet, double> =>
        TNet.TrainingLossAndGradient(p, x, y, batch, gradient, 1.0, seed);

    [Fact]
    public void Max_pool_ties_send_the_derivative_through_the_first_maximum_of_the_window()
    {
        // f = v · max over the window of (w₁ x₁ + w₂ x₂) + c with w = (1, 1): all four sums are 0.5, a four-way tie, but
        // the pixel pairs differ, so ∂f/∂w is (x₁, x₂) at whichever element the rule picks. PyTorch picks the first in
        // row-major order: (0.125, 0.375). Finite differences are undefined here; the rule is the specification.
        double[] x = { 0.125, 0.375, 0.25, 0.0, /* channel 1: */ 0.375, 0.125, 0.25, 0.5 };
        double[] p = { 1.0, 1.0, 2.0, 0.1 };
        double[] expected = { 2.0 * 0.125, 2.0 * 0.375, 0.5, 1.0 };

        var j = new double[4];
        Curvature<ConvTieDouble, double>.Jacobian(p, x, 1, j);
        Assert.Equal(expected, j);

        var jv = new double[1];
        for (int i = 0; i < 4; i++)
        {
            var e = new double[4];
            e[i] = 1;
            Curvature<ConvTieDouble, double>.JacobianVectorProduct(p, x, 1, e, jv);
            Assert.Equal(expected[i], jv[0]);
        }

        // The gradient of ½ (f − y)² is (f − y) J; f = 2 · 0.5 + 0.1 = 1.1.
        var g = new double[4];
        ConvTieDouble.LossAndGradient(p, x, new[] { 0.6 }, 1, g, 1.0);
        for (int i = 0; i < 4; i++) Assert.Equal(0.5 * expected[i], g[i], 14);

        var diagonal = new double[4];
        Curvature<ConvTieDouble, double>.GgnDiagonal(p, x, 1, diagonal);
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i] * expected[i], diagonal[i], 14);
    }
}
