using Dnn2Gp.Dsl;

namespace Dnn2Gp.Integration.Tests.Networks;

// Small double-precision networks for the Laplace and DNN2GP tests: every likelihood, and the linear models whose
// posteriors are known in closed form.

/// <summary>Bayesian linear regression y = wᵀx + b + ε: its Jacobian is [x, 1], so DNN2GP is exact.</summary>
[Network(4, Precision = ElementType.Double)]
[Dense(1)]
[GaussianLikelihood(0.5)]
[IsotropicGaussianPrior(2.0)]
public partial record LinearRegressionNet;

/// <summary>A wide linear regression for recovering δ from data drawn from the prior.</summary>
[Network(80, Precision = ElementType.Double)]
[Dense(1)]
[GaussianLikelihood(0.3)]
[IsotropicGaussianPrior(1.0)]
public partial record WideLinearRegressionNet;

/// <summary>Logistic regression: solved by Newton's method its w* is stationary to rounding.</summary>
[Network(3, Precision = ElementType.Double)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record LogisticRegressionNet;

/// <summary>A tanh regression MLP (odd widths).</summary>
[Network(2, Precision = ElementType.Double)]
[Dense(7, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.3)]
[IsotropicGaussianPrior(1.5)]
public partial record TanhRegressionNet;

/// <summary>A regression MLP with two outputs and a layer-wise prior.</summary>
[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[LayerwiseGaussianPrior(0.5, 1.0, 2.0)]
public partial record TwoOutputRegressionNet;

/// <summary>A binary classifier MLP.</summary>
[Network(2, Precision = ElementType.Double)]
[Dense(5, Activation.Tanh)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(1.0)]
public partial record BinaryClassifierNet;

/// <summary>A softmax classifier MLP with a layer-wise prior.</summary>
[Network(3, Precision = ElementType.Double)]
[Dense(6, Activation.Tanh)]
[Dense(4)]
[CategoricalLikelihood]
[LayerwiseGaussianPrior(1.0, 3.0)]
public partial record SoftmaxClassifierNet;

/// <summary>A float softmax classifier (the precision most networks are declared in).</summary>
[Network(5)]
[Dense(6, Activation.Relu)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(2.0)]
public partial record FloatSoftmaxNet;

/// <summary>Multinomial logistic regression: Newton-solvable, so w* is stationary to rounding (softmax null direction included).</summary>
[Network(3, Precision = ElementType.Double)]
[Dense(4)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.7)]
public partial record SoftmaxRegressionNet;
