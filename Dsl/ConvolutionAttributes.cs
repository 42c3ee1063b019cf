using System;

namespace Dnn2Gp.Dsl;

/// <summary>
/// A 2-D convolution on images [channels, height, width] (PyTorch's <c>nn.Conv2d</c>): weight
/// [outChannels, inChannels, kernel, kernel] row-major, one bias per output channel, zero padding. The output size
/// per axis is ⌊(input + 2·Padding − Dilation·(kernel − 1) − 1) / Stride⌋ + 1, as in PyTorch.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>A convolution to <paramref name="outChannels"/> channels with a square <paramref name="kernel"/>, followed by <paramref name="activation"/>.</summary>
    public Conv2DAttribute(int outChannels, int kernel, Activation activation = Activation.Identity)
    {
        OutChannels = outChannels;
        Kernel = kernel;
        Activation = activation;
    }

    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's height and width.</summary>
    public int Kernel { get; }

    /// <summary>The activation applied after the convolution (a shorthand for a following <see cref="ActivationLayerAttribute"/>).</summary>
    public Activation Activation { get; }

    /// <summary>The step between windows, in both directions; 1 unless stated.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side of the input; 0 unless stated.</summary>
    public int Padding { get; set; }

    /// <summary>The spacing of kernel taps (1: adjacent pixels); 1 unless stated.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Whether the layer has a bias per output channel; true unless stated.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// When true, the windows must tile the padded input exactly ((input + 2·Padding − Dilation·(kernel − 1) − 1) divisible by
    /// Stride); otherwise a compile-time error says by how much they do not, instead of PyTorch's silent flooring.
    /// </summary>
    public bool ExactDivision { get; set; }
}

/// <summary>
/// 2-D max pooling (PyTorch's <c>nn.MaxPool2d(kernel, stride)</c>, no padding, floor mode). Ties go to the first maximal
/// element of the window in row-major order, as in PyTorch.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Max pooling over square windows of <paramref name="kernel"/> pixels.</summary>
    public MaxPool2DAttribute(int kernel) => Kernel = kernel;

    /// <summary>The window's height and width.</summary>
    public int Kernel { get; }

    /// <summary>The step between windows; the kernel size unless stated (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>When true, the windows must tile the input exactly (see <see cref="Conv2DAttribute.ExactDivision"/>).</summary>
    public bool ExactDivision { get; set; }
}

/// <summary>2-D average pooling (PyTorch's <c>nn.AvgPool2d(kernel, stride)</c>, no padding, floor mode).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Attribute
{
    /// <summary>Average pooling over square windows of <paramref name="kernel"/> pixels.</summary>
    public AvgPool2DAttribute(int kernel) => Kernel = kernel;

    /// <summary>The window's height and width.</summary>
    public int Kernel { get; }

    /// <summary>The step between windows; the kernel size unless stated (PyTorch's default).</summary>
    public int Stride { get; set; }

    /// <summary>When true, the windows must tile the input exactly (see <see cref="Conv2DAttribute.ExactDivision"/>).</summary>
    public bool ExactDivision { get; set; }
}

/// <summary>
/// Flattens an image [channels, height, width] into channels · height · width features (PyTorch's <c>nn.Flatten()</c>;
/// in NCHW layout it moves no data). Needed between the image layers and the first dense layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}

/// <summary>
/// Dropout with drop probability <see cref="Probability"/> (PyTorch's <c>nn.Dropout(p)</c>): active only in training
/// passes (kept units are scaled by 1/(1 − p)); the identity in evaluation mode, in which predictions and every curvature
/// quantity are computed.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Dropout dropping each unit with probability <paramref name="probability"/> (0 ≤ p &lt; 1).</summary>
    public DropoutAttribute(double probability) => Probability = probability;

    /// <summary>The drop probability p.</summary>
    public double Probability { get; }
}
