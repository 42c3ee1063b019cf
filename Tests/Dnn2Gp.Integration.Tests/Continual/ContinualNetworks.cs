using Dnn2Gp.Dsl;

namespace Dnn2Gp.Integration.Tests.Continual;

/// <summary>Three binary heads (units 0/1, 2/3, 4/5) on a shared tanh layer, in double for finite differences.</summary>
[Network(5, Precision = ElementType.Double)]
[Dense(7, Activation.Tanh)]
[Dense(6)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record MultiHeadNet;

/// <summary>One shared 3-class head on a sigmoid layer, in double.</summary>
[Network(4, Precision = ElementType.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record SingleHeadNet;

/// <summary>The Split MNIST integration test's network: 784-100-100-10 ReLU, two units per task, δ = 1e-3.</summary>
[Network(784)]
[Dense(100, Activation.Relu)]
[Dense(100, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-3)]
public partial record SplitMnistTestMlp;
