using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>1-D regression with two tanh hidden layers (the DNN2GP paper's toy regression): σ = 0.316, δ = 1.</summary>
[Network(1)]
[Dense(50, Activation.Tanh)]
[Dense(50, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.316)]
[IsotropicGaussianPrior(1.0)]
public partial record TanhRegression;
