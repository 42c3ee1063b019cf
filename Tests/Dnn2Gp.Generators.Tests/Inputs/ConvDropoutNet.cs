using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>
/// A small CifarNet-style block on 3×9×9 images: a padded convolution, a strided and dilated one, max pooling, dropout
/// on the image and after the dense layer, average pooling, and a bias-free convolution.
/// </summary>
[Network(3, 9, 9)]
[Conv2D(4, 3, Activation.Relu, Padding = 1)]
[Conv2D(5, 3, Activation.Tanh, Stride = 2, Dilation = 1)]
[MaxPool2D(2, Stride = 1)]
[Dropout(0.25)]
[AvgPool2D(2)]
[Conv2D(3, 1, Bias = false)]
[Flatten]
[Dense(6, Activation.Relu)]
[Dropout(0.5)]
[Dense(3)]
[CategoricalLikelihood]
[LayerwiseGaussianPrior(1e-3, 1e-3, 1e-3, 1e-2, 1e-2)]
public partial record ConvDropoutNet;
