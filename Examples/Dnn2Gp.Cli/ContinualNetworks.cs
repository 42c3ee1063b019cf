using Dnn2Gp.Dsl;

namespace Dnn2Gp.Cli;

// The networks of FROMP's official scripts, each with the prior precision δ its script uses for the posterior
// Σ = diag(1/(F + δ)). δ enters only Σ: the continual learner adds no weight decay to the training gradient.

/// <summary>Split MNIST: 784-256-256-10 ReLU, 10 outputs (two per task), δ = 1e-3.</summary>
[Network(784)]
[Dense(256, Activation.Relu)]
[Dense(256, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-3)]
public partial record SplitMnistMlp;

/// <summary>Permuted MNIST: 784-100-100-10 ReLU, one shared 10-unit head, δ = 1e-5.</summary>
[Network(784)]
[Dense(100, Activation.Relu)]
[Dense(100, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-5)]
public partial record PermutedMnistMlp;

/// <summary>The 2-D toy: 2-20-20-2 sigmoid, one shared 2-unit softmax head, δ = 1e-4.</summary>
[Network(2)]
[Dense(20, Activation.Sigmoid)]
[Dense(20, Activation.Sigmoid)]
[Dense(2)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-4)]
public partial record FrompToyMlp;
