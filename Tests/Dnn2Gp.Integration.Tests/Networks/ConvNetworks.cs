// Small double-precision convolutional networks for finite-difference and naive-reference checks: odd image sizes,
// stride 2, padding, dilation, 1×1 kernels, bias-free convolutions, overlapping max-pool windows, average pooling,
// dropout (evaluation mode everywhere but the training pass), and every likelihood.
using Dnn2Gp.Dsl;

namespace Dnn2Gp.Integration.Tests.Networks;

/// <summary>Stride 2 with padding on a 7×8 image, average pooling, a second convolution down to 1×1.</summary>
[Network(2, 7, 8, Precision = ElementType.Double)]
[Conv2D(3, 3, Activation.Tanh, Stride = 2, Padding = 1)]
[AvgPool2D(2)]
[Conv2D(2, 2, Activation.Sigmoid)]
[Flatten]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record ConvGaussianDouble;

/// <summary>Dilation 2 on a 9×9 image, then overlapping 3×3 max-pool windows at stride 2.</summary>
[Network(1, 9, 9, Precision = ElementType.Double)]
[Conv2D(3, 3, Activation.Softplus, Dilation = 2)]
[MaxPool2D(3, Stride = 2)]
[Flatten]
[Dense(4, Activation.Tanh)]
[Dense(3)]
[CategoricalLikelihood]
[LayerwiseGaussianPrior(0.1, 0.2, 0.3)]
public partial record ConvMaxPoolDouble;

/// <summary>
/// A bias-free padded 2×2 convolution on a 3×5×6 image, 2×2 max pooling of a 6×7 map (floor), a 1×1 convolution (the
/// no-unfold path); tanh keeps the logit moderate, so the Monte-Carlo GGN check is not a rare-event estimate.
/// </summary>
[Network(3, 5, 6, Precision = ElementType.Double)]
[Conv2D(2, 2, Activation.Gelu, Padding = 1, Bias = false)]
[MaxPool2D(2)]
[Conv2D(2, 1, Activation.Tanh)]
[Flatten]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record ConvBernoulliDouble;

/// <summary>Dropout on an image and after a dense layer: the identity in evaluation mode, masks in the training pass.</summary>
[Network(2, 6, 6, Precision = ElementType.Double)]
[Conv2D(3, 3, Activation.Tanh, Padding = 1)]
[Dropout(0.3)]
[AvgPool2D(2)]
[Flatten]
[Dense(4, Activation.Tanh)]
[Dropout(0.5)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record ConvDropoutDouble;

/// <summary>A convolution with a single output position (kernel = image): its KFC factors are exact for one example.</summary>
[Network(2, 3, 3, Precision = ElementType.Double)]
[Conv2D(4, 3, Activation.Tanh)]
[Flatten]
[Dense(2)]
[GaussianLikelihood(0.5)]
public partial record ConvSinglePositionDouble;

/// <summary>
/// Two channels mixed by a 1×1 convolution, then one 2×2 max-pool window: with weights (1, 1) and pixel pairs of equal
/// sums the window is a four-way tie whose elements have different derivatives, so the tie rule shows in J.
/// </summary>
[Network(2, 2, 2, Precision = ElementType.Double)]
[Conv2D(1, 1, Bias = false)]
[MaxPool2D(2)]
[Flatten]
[Dense(1)]
[GaussianLikelihood(1.0)]
public partial record ConvTieDouble;

/// <summary>LeNet-5 in double: the unfolded reference for the float network's direct kernels.</summary>
[Network(1, 28, 28, Precision = ElementType.Double)]
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
public partial record LeNet5Double;
