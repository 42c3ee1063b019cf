using System;

namespace Dnn2Gp.Dsl;

/// <summary>
/// Marks a <c>partial record</c> as a network declaration. The layers are the layer attributes on the same record
/// (<see cref="DenseAttribute"/>, <see cref="ActivationLayerAttribute"/>, <see cref="Conv2DAttribute"/>,
/// <see cref="MaxPool2DAttribute"/>, <see cref="AvgPool2DAttribute"/>, <see cref="FlattenAttribute"/>,
/// <see cref="DropoutAttribute"/>), in source order; the likelihood and the prior are one likelihood attribute and at
/// most one prior attribute.
/// </summary>
/// <example>
/// <code>
/// [Network(784)]
/// [Dense(100, Activation.Relu)]
/// [Dense(100, Activation.Relu)]
/// [Dense(10)]
/// [CategoricalLikelihood]
/// [IsotropicGaussianPrior(1e-4)]
/// public partial record MnistMlp;
/// </code>
/// A convolutional network takes images [channels, height, width] in PyTorch's NCHW layout (one example is
/// channels · height · width values, channel planes one after the other, each row-major):
/// <code>
/// [Network(1, 28, 28)]
/// [Conv2D(6, 5, Activation.Relu)]
/// [MaxPool2D(2)]
/// [Flatten]
/// [Dense(10)]
/// [CategoricalLikelihood]
/// public partial record TinyLeNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network taking <paramref name="input"/> features per example.</summary>
    public NetworkAttribute(int input) => Input = input;

    /// <summary>
    /// Declares a network taking images of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>
    /// values per example (NCHW), for convolution and pooling layers.
    /// </summary>
    public NetworkAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Input = channels * height * width;
    }

    /// <summary>The number of input features per example (channels · height · width for an image input).</summary>
    public int Input { get; }

    /// <summary>The input channels of an image input; 0 for a flat input.</summary>
    public int Channels { get; }

    /// <summary>The input height of an image input; 0 for a flat input.</summary>
    public int Height { get; }

    /// <summary>The input width of an image input; 0 for a flat input.</summary>
    public int Width { get; }

    /// <summary>The element type of the generated code; <see cref="ElementType.Single"/> unless stated.</summary>
    public ElementType Precision { get; set; } = ElementType.Single;
}

/// <summary>A fully connected layer y = W x + b with W of shape [width, input] (PyTorch's <c>nn.Linear</c> layout).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>A dense layer of <paramref name="width"/> outputs, followed by <paramref name="activation"/>.</summary>
    public DenseAttribute(int width, Activation activation = Activation.Identity)
    {
        Width = width;
        Activation = activation;
    }

    /// <summary>The number of outputs.</summary>
    public int Width { get; }

    /// <summary>The activation applied after the affine map (a shorthand for a following <see cref="ActivationLayerAttribute"/>).</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has a bias vector; true unless stated.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>A stand-alone element-wise activation layer (PyTorch's <c>nn.ReLU()</c>, <c>nn.Tanh()</c>, ...).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationLayerAttribute : Attribute
{
    /// <summary>Applies <paramref name="activation"/> element-wise.</summary>
    public ActivationLayerAttribute(Activation activation) => Activation = activation;

    /// <summary>The activation.</summary>
    public Activation Activation { get; }
}
