using System;

namespace Dnn2Gp.Dsl;

/// <summary>
/// Marks a <c>partial record</c> as a network declaration. The layers are the <see cref="DenseAttribute"/> and
/// <see cref="ActivationLayerAttribute"/> attributes on the same record, in source order; the likelihood and
/// the prior are one likelihood attribute and at most one prior attribute.
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
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network taking <paramref name="input"/> features per example.</summary>
    public NetworkAttribute(int input) => Input = input;

    /// <summary>The number of input features per example.</summary>
    public int Input { get; }

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
