using Dnn2Gp.Dsl;

namespace Dnn2Gp.Cli;

/// <summary>The 784-100-100-10 ReLU MLP of the DNN2GP and FROMP MNIST experiments.</summary>
[Network(784)]
[Dense(100, Activation.Relu)]
[Dense(100, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
public partial record MnistMlp;

/// <summary>The same MLP with tanh units and an isotropic Gaussian prior of precision 1e-4.</summary>
[Network(784)]
[Dense(100, Activation.Tanh)]
[Dense(100, Activation.Tanh)]
[Dense(10)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-4)]
public partial record MnistMlpTanh;

/// <summary>The 1-50-50-1 tanh regression MLP of the curvature benchmark W4: Gaussian likelihood with σ² = 0.1.</summary>
[Network(1)]
[Dense(50, Activation.Tanh)]
[Dense(50, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.31622776601683794)]
[IsotropicGaussianPrior(1.0)]
public partial record TanhRegressionMlp;
