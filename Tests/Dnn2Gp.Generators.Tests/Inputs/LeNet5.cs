using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>
/// LeNet-5 for MNIST as in the DNN2GP kernel experiments: Conv(1→6, 5)–ReLU–MaxPool(2) → Conv(6→16, 5)–ReLU–MaxPool(2) →
/// 256–120–84–10, softmax likelihood, the Adam weight decay 1e-4 as a Gaussian prior.
/// </summary>
[Network(1, 28, 28)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.Relu)]
[Dense(84, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-4)]
public partial record LeNet5;
