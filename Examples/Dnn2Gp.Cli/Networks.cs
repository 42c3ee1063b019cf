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

/// <summary>
/// LeNet-5 for MNIST, as in the DNN2GP kernel figures: Conv(1→6, 5)–ReLU–MaxPool(2) → Conv(6→16, 5)–ReLU–MaxPool(2) →
/// 256–120–84–10 with ReLU; δ = 1e-4 (the checkpoint's Adam weight decay).
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

/// <summary>LeNet-5 for CIFAR-10 (3 × 32 × 32 inputs, 400–120–84–10), δ = 1e-2 as in the DNN2GP CIFAR checkpoint.</summary>
[Network(3, 32, 32)]
[Conv2D(6, 5, Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.Relu)]
[Dense(84, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-2)]
public partial record LeNet5Cifar;

/// <summary>
/// FROMP's CifarNet for Split CIFAR (CIFAR-10, then five 10-class tasks of CIFAR-100: 60 outputs, 10 per task head):
/// four 3×3 convolutions (32, 32, 64, 64 channels; the first of each pair padded), max pooling and dropout .25 after each
/// pair, 2304–512 with dropout .5, 512–60; δ = 1e-4.
/// </summary>
[Network(3, 32, 32)]
[Conv2D(32, 3, Activation.Relu, Padding = 1)]
[Conv2D(32, 3, Activation.Relu)]
[MaxPool2D(2)]
[Dropout(0.25)]
[Conv2D(64, 3, Activation.Relu, Padding = 1)]
[Conv2D(64, 3, Activation.Relu)]
[MaxPool2D(2)]
[Dropout(0.25)]
[Flatten]
[Dense(512, Activation.Relu)]
[Dropout(0.5)]
[Dense(60)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(1e-4)]
public partial record CifarNet;
