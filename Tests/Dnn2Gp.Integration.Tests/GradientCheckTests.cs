using System;
using System.Collections.Generic;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Integration.Tests.Numerics;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// Every likelihood × activation combination (and the odd shapes), generated in double, against central finite
/// differences: the loss gradient, the prior, the output residual and the output Hessian.
/// </summary>
public class GradientCheckTests
{
    private sealed record Checks(Action<int> Gradient, Action<int> Prior, Action<int> Outputs);

    private static readonly Dictionary<string, Checks> Networks = new()
    {
        [nameof(GaussianIdentity)] = new(NetworkChecks.CheckLossGradient<GaussianIdentity>, NetworkChecks.CheckPrior<GaussianIdentity>, NetworkChecks.CheckOutputDerivatives<GaussianIdentity>),
        [nameof(GaussianRelu)] = new(NetworkChecks.CheckLossGradient<GaussianRelu>, NetworkChecks.CheckPrior<GaussianRelu>, NetworkChecks.CheckOutputDerivatives<GaussianRelu>),
        [nameof(GaussianTanh)] = new(NetworkChecks.CheckLossGradient<GaussianTanh>, NetworkChecks.CheckPrior<GaussianTanh>, NetworkChecks.CheckOutputDerivatives<GaussianTanh>),
        [nameof(GaussianSigmoid)] = new(NetworkChecks.CheckLossGradient<GaussianSigmoid>, NetworkChecks.CheckPrior<GaussianSigmoid>, NetworkChecks.CheckOutputDerivatives<GaussianSigmoid>),
        [nameof(GaussianSoftplus)] = new(NetworkChecks.CheckLossGradient<GaussianSoftplus>, NetworkChecks.CheckPrior<GaussianSoftplus>, NetworkChecks.CheckOutputDerivatives<GaussianSoftplus>),
        [nameof(GaussianElu)] = new(NetworkChecks.CheckLossGradient<GaussianElu>, NetworkChecks.CheckPrior<GaussianElu>, NetworkChecks.CheckOutputDerivatives<GaussianElu>),
        [nameof(GaussianGelu)] = new(NetworkChecks.CheckLossGradient<GaussianGelu>, NetworkChecks.CheckPrior<GaussianGelu>, NetworkChecks.CheckOutputDerivatives<GaussianGelu>),
        [nameof(GaussianErf)] = new(NetworkChecks.CheckLossGradient<GaussianErf>, NetworkChecks.CheckPrior<GaussianErf>, NetworkChecks.CheckOutputDerivatives<GaussianErf>),
        [nameof(BernoulliIdentity)] = new(NetworkChecks.CheckLossGradient<BernoulliIdentity>, NetworkChecks.CheckPrior<BernoulliIdentity>, NetworkChecks.CheckOutputDerivatives<BernoulliIdentity>),
        [nameof(BernoulliRelu)] = new(NetworkChecks.CheckLossGradient<BernoulliRelu>, NetworkChecks.CheckPrior<BernoulliRelu>, NetworkChecks.CheckOutputDerivatives<BernoulliRelu>),
        [nameof(BernoulliTanh)] = new(NetworkChecks.CheckLossGradient<BernoulliTanh>, NetworkChecks.CheckPrior<BernoulliTanh>, NetworkChecks.CheckOutputDerivatives<BernoulliTanh>),
        [nameof(BernoulliSigmoid)] = new(NetworkChecks.CheckLossGradient<BernoulliSigmoid>, NetworkChecks.CheckPrior<BernoulliSigmoid>, NetworkChecks.CheckOutputDerivatives<BernoulliSigmoid>),
        [nameof(BernoulliSoftplus)] = new(NetworkChecks.CheckLossGradient<BernoulliSoftplus>, NetworkChecks.CheckPrior<BernoulliSoftplus>, NetworkChecks.CheckOutputDerivatives<BernoulliSoftplus>),
        [nameof(BernoulliElu)] = new(NetworkChecks.CheckLossGradient<BernoulliElu>, NetworkChecks.CheckPrior<BernoulliElu>, NetworkChecks.CheckOutputDerivatives<BernoulliElu>),
        [nameof(BernoulliGelu)] = new(NetworkChecks.CheckLossGradient<BernoulliGelu>, NetworkChecks.CheckPrior<BernoulliGelu>, NetworkChecks.CheckOutputDerivatives<BernoulliGelu>),
        [nameof(BernoulliErf)] = new(NetworkChecks.CheckLossGradient<BernoulliErf>, NetworkChecks.CheckPrior<BernoulliErf>, NetworkChecks.CheckOutputDerivatives<BernoulliErf>),
        [nameof(CategoricalIdentity)] = new(NetworkChecks.CheckLossGradient<CategoricalIdentity>, NetworkChecks.CheckPrior<CategoricalIdentity>, NetworkChecks.CheckOutputDerivatives<CategoricalIdentity>),
        [nameof(CategoricalRelu)] = new(NetworkChecks.CheckLossGradient<CategoricalRelu>, NetworkChecks.CheckPrior<CategoricalRelu>, NetworkChecks.CheckOutputDerivatives<CategoricalRelu>),
        [nameof(CategoricalTanh)] = new(NetworkChecks.CheckLossGradient<CategoricalTanh>, NetworkChecks.CheckPrior<CategoricalTanh>, NetworkChecks.CheckOutputDerivatives<CategoricalTanh>),
        [nameof(CategoricalSigmoid)] = new(NetworkChecks.CheckLossGradient<CategoricalSigmoid>, NetworkChecks.CheckPrior<CategoricalSigmoid>, NetworkChecks.CheckOutputDerivatives<CategoricalSigmoid>),
        [nameof(CategoricalSoftplus)] = new(NetworkChecks.CheckLossGradient<CategoricalSoftplus>, NetworkChecks.CheckPrior<CategoricalSoftplus>, NetworkChecks.CheckOutputDerivatives<CategoricalSoftplus>),
        [nameof(CategoricalElu)] = new(NetworkChecks.CheckLossGradient<CategoricalElu>, NetworkChecks.CheckPrior<CategoricalElu>, NetworkChecks.CheckOutputDerivatives<CategoricalElu>),
        [nameof(CategoricalGelu)] = new(NetworkChecks.CheckLossGradient<CategoricalGelu>, NetworkChecks.CheckPrior<CategoricalGelu>, NetworkChecks.CheckOutputDerivatives<CategoricalGelu>),
        [nameof(CategoricalErf)] = new(NetworkChecks.CheckLossGradient<CategoricalErf>, NetworkChecks.CheckPrior<CategoricalErf>, NetworkChecks.CheckOutputDerivatives<CategoricalErf>),
        [nameof(OddShapes)] = new(NetworkChecks.CheckLossGradient<OddShapes>, NetworkChecks.CheckPrior<OddShapes>, NetworkChecks.CheckOutputDerivatives<OddShapes>),
        [nameof(ThreeLayerMlpDouble)] = new(NetworkChecks.CheckLossGradient<ThreeLayerMlpDouble>, NetworkChecks.CheckPrior<ThreeLayerMlpDouble>, NetworkChecks.CheckOutputDerivatives<ThreeLayerMlpDouble>),
        [nameof(SmallClassifierDouble)] = new(NetworkChecks.CheckLossGradient<SmallClassifierDouble>, NetworkChecks.CheckPrior<SmallClassifierDouble>, NetworkChecks.CheckOutputDerivatives<SmallClassifierDouble>),
    };

    public static TheoryData<string> NetworkNames => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Loss_gradient_matches_central_differences(string network)
    {
        foreach (int seed in new[] { 1, 2, 3 }) Networks[network].Gradient(seed);
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Prior_gradient_and_hessian_match_central_differences(string network) => Networks[network].Prior(7);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Output_residual_and_hessian_match_central_differences(string network)
    {
        foreach (int seed in new[] { 4, 5 }) Networks[network].Outputs(seed);
    }
}
