using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>
/// Binary classification with a bias-free first layer, a stand-alone activation layer and one prior precision
/// per dense layer.
/// </summary>
[Network(2)]
[Dense(16, Bias = false)]
[ActivationLayer(Activation.Sigmoid)]
[Dense(8, Activation.Softplus)]
[Dense(1)]
[BernoulliLikelihood]
[LayerwiseGaussianPrior(0.5, 1.0, 2.0)]
public partial record LogisticNet;
