using Dnn2Gp.Dsl;

namespace Dnn2Gp.Integration.Tests.Networks;

// Networks that exercise the less common shapes of the declaration language.

/// <summary>An activation on the raw input, two activations in a row, and a dense layer without bias.</summary>
[Network(4, Precision = ElementType.Double)]
[ActivationLayer(Activation.Tanh)]
[Dense(6, Activation.Softplus)]
[ActivationLayer(Activation.Sigmoid)]
[Dense(5, Bias = false)]
[ActivationLayer(Activation.Gelu)]
[Dense(3)]
[CategoricalLikelihood]
[LayerwiseGaussianPrior(0.5, 2.0, 1.5)]
public partial record OddShapes;

/// <summary>The 3-layer MLP whose layout is compared with PyTorch's, in float and in double.</summary>
[Network(5)]
[Dense(4, Activation.Relu)]
[Dense(3, Activation.Tanh)]
[Dense(2)]
[GaussianLikelihood(0.5)]
public partial record ThreeLayerMlp;

[Network(5, Precision = ElementType.Double)]
[Dense(4, Activation.Relu)]
[Dense(3, Activation.Tanh)]
[Dense(2)]
[GaussianLikelihood(0.5)]
public partial record ThreeLayerMlpDouble;

/// <summary>A float MNIST-sized classifier and its double twin, for float-vs-double and parallel-vs-serial checks.</summary>
[Network(20)]
[Dense(16, Activation.Relu)]
[Dense(12, Activation.Tanh)]
[Dense(10)]
[CategoricalLikelihood]
public partial record SmallClassifier;

[Network(20, Precision = ElementType.Double)]
[Dense(16, Activation.Relu)]
[Dense(12, Activation.Tanh)]
[Dense(10)]
[CategoricalLikelihood]
public partial record SmallClassifierDouble;

/// <summary>The MNIST MLP of the command-line tool, used by the training test.</summary>
[Network(784)]
[Dense(100, Activation.Relu)]
[Dense(100, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
public partial record MnistMlp784;

/// <summary>A network whose output goes through an activation (the curvature passes start inside it).</summary>
[Network(3, Precision = ElementType.Double)]
[Dense(4, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
[GaussianLikelihood(0.3)]
public partial record SquashedOutputDouble;
