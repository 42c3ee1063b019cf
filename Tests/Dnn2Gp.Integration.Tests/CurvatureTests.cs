using System;
using System.Collections.Generic;
using Dnn2Gp.Examples.Inputs;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Integration.Tests.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// The generated curvature passes of every likelihood × activation network (and the odd shapes): the Jacobian against
/// central finite differences, and JVP, VJP, GGNs, KFAC, kernels and the opt-in approximations against naive references
/// from the explicit Jacobian.
/// </summary>
public class CurvatureTests
{
    private sealed record Checks(Action<int> Jacobian, Action<int> Products, Action<int> Ggn, Action<int> Kfac, Action<int> Approximations, Action<int> Kernels);

    private static Checks For<TNet>() where TNet : Dnn2Gp.Runtime.INetwork<TNet, double> =>
        new(CurvatureChecks.CheckJacobian<TNet>, CurvatureChecks.CheckProducts<TNet>, CurvatureChecks.CheckGgn<TNet>,
            CurvatureChecks.CheckKfac<TNet>, CurvatureChecks.CheckApproximations<TNet>, CurvatureChecks.CheckKernels<TNet>);

    private static readonly Dictionary<string, Checks> Networks = new()
    {
        [nameof(GaussianIdentity)] = For<GaussianIdentity>(),
        [nameof(GaussianRelu)] = For<GaussianRelu>(),
        [nameof(GaussianTanh)] = For<GaussianTanh>(),
        [nameof(GaussianSigmoid)] = For<GaussianSigmoid>(),
        [nameof(GaussianSoftplus)] = For<GaussianSoftplus>(),
        [nameof(GaussianElu)] = For<GaussianElu>(),
        [nameof(GaussianGelu)] = For<GaussianGelu>(),
        [nameof(GaussianErf)] = For<GaussianErf>(),
        [nameof(BernoulliIdentity)] = For<BernoulliIdentity>(),
        [nameof(BernoulliRelu)] = For<BernoulliRelu>(),
        [nameof(BernoulliTanh)] = For<BernoulliTanh>(),
        [nameof(BernoulliSigmoid)] = For<BernoulliSigmoid>(),
        [nameof(BernoulliSoftplus)] = For<BernoulliSoftplus>(),
        [nameof(BernoulliElu)] = For<BernoulliElu>(),
        [nameof(BernoulliGelu)] = For<BernoulliGelu>(),
        [nameof(BernoulliErf)] = For<BernoulliErf>(),
        [nameof(CategoricalIdentity)] = For<CategoricalIdentity>(),
        [nameof(CategoricalRelu)] = For<CategoricalRelu>(),
        [nameof(CategoricalTanh)] = For<CategoricalTanh>(),
        [nameof(CategoricalSigmoid)] = For<CategoricalSigmoid>(),
        [nameof(CategoricalSoftplus)] = For<CategoricalSoftplus>(),
        [nameof(CategoricalElu)] = For<CategoricalElu>(),
        [nameof(CategoricalGelu)] = For<CategoricalGelu>(),
        [nameof(CategoricalErf)] = For<CategoricalErf>(),
        [nameof(OddShapes)] = For<OddShapes>(),
        [nameof(ThreeLayerMlpDouble)] = For<ThreeLayerMlpDouble>(),
        [nameof(SquashedOutputDouble)] = For<SquashedOutputDouble>(),
        [nameof(SmallClassifierDouble)] = For<SmallClassifierDouble>(),
    };

    public static TheoryData<string> NetworkNames => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Jacobian_matches_central_differences(string network)
    {
        foreach (int seed in new[] { 1, 2 }) Networks[network].Jacobian(seed);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Jvp_and_vjp_match_the_explicit_jacobian(string network)
    {
        foreach (int seed in new[] { 3, 4 }) Networks[network].Products(seed);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Diagonal_and_full_ggn_match_the_naive_product(string network)
    {
        foreach (int seed in new[] { 5, 6 }) Networks[network].Ggn(seed);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Kfac_factors_are_exact_for_one_example_and_additive(string network) => Networks[network].Kfac(7);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Empirical_fisher_and_monte_carlo_ggn_match_their_definitions(string network) => Networks[network].Approximations(8);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Every_kernel_variant_matches_explicit_jacobians(string network)
    {
        foreach (int seed in new[] { 9, 10 }) Networks[network].Kernels(seed);
    }


    [Fact]
    public void The_cost_plan_refuses_a_full_ggn_that_cannot_fit()
    {
        var plan = Curvature<MnistMlp, float>.Plan;
        long p = MnistMlp.ParameterCount;
        Assert.True(plan.FullGgn.ResultBytes == p * p * 8, plan.FullGgn.ToString());
        Assert.False(plan.FullGgn.Fits(availableBytes: 32L << 30));
        var error = Assert.Throws<InsufficientMemoryException>(() => plan.FullGgn.EnsureFits(availableBytes: 32L << 30));
        Assert.Contains("MnistMlp", error.Message);
        Assert.Contains("full GGN", error.Message);
        Assert.Contains("diagonal GGN", error.Message);
        Assert.True(plan.GgnDiagonal(10_000).TotalBytes < 100L << 20, plan.GgnDiagonal(10_000).ToString());
        Assert.Equal(10_000L * 10 * p * 4, plan.Jacobian(10_000).ResultBytes);

        var parameters = new float[p];
        var inputs = new float[MnistMlp.InputSize];
        var ggn = Array.Empty<double>();
        if (!plan.FullGgn.Fits())
        {
            var refused = Assert.Throws<InsufficientMemoryException>(() => Curvature<MnistMlp, float>.GgnFull(parameters, inputs, 1, ggn));
            Assert.Contains("full GGN", refused.Message);
        }
    }
}

/// <summary>The allocation bound of the MLP's diagonal GGN, measured with no other test running.</summary>
[Collection(AllocationCollection.Name)]
public class CurvatureTestsAllocation
{
    [Fact]
    public void Diagonal_ggn_over_ten_thousand_inputs_allocates_nothing_proportional_to_n_k_p()
    {
        const int n = 10_000;
        var parameters = new float[MnistMlp.ParameterCount];
        MnistMlp.InitializeParameters(parameters, seed: 1);
        var inputs = new float[n * MnistMlp.InputSize];
        var random = new Random(2);
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
        var diagonal = new double[MnistMlp.ParameterCount];
        Curvature<MnistMlp, float>.GgnDiagonal(parameters, inputs.AsSpan(0, 512 * MnistMlp.InputSize), 512, diagonal); // warm-up: pools, JIT

        long before = GC.GetTotalAllocatedBytes(precise: true);
        Curvature<MnistMlp, float>.GgnDiagonal(parameters, inputs, n, diagonal);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        long jacobians = (long)n * MnistMlp.OutputSize * MnistMlp.ParameterCount * sizeof(float);
        Assert.True(allocated < 16L << 20, $"The diagonal GGN over {n:N0} inputs allocated {allocated:N0} bytes; per-example Jacobians would be {jacobians:N0}.");
        Assert.All(diagonal, v => Assert.True(v >= 0 && double.IsFinite(v)));
    }
}
