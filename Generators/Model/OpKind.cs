namespace Dnn2Gp.Generators.Model;

/// <summary>
/// Element-wise ops. The values mirror <c>Dnn2Gp.Dsl.Activation</c> (a test pins this), so the parser can map the
/// attribute's enum constant directly. Each member has one row in <c>Emitting/OpTable.cs</c>.
/// </summary>
internal enum OpKind
{
    Identity = 0,
    Relu = 1,
    Tanh = 2,
    Sigmoid = 3,
    Softplus = 4,
    Elu = 5,
    Gelu = 6,
    Erf = 7,
}

/// <summary>The element type of generated code; mirrors <c>Dnn2Gp.Dsl.ElementType</c>.</summary>
internal enum ElementKind
{
    Single = 0,
    Double = 1,
}

/// <summary>The kinds of layer a sequential network is made of.</summary>
internal enum LayerKind
{
    Dense,
    Activation,
    /// <summary>A 2-D convolution on NCHW images (parametrised, like <see cref="Dense"/>).</summary>
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    /// <summary>Image [C, H, W] to C·H·W features: no data moves in NCHW.</summary>
    Flatten,
    /// <summary>Active in training passes only; the identity in evaluation mode.</summary>
    Dropout,
}

/// <summary>The built-in likelihoods.</summary>
internal enum LossKind
{
    Gaussian,
    Bernoulli,
    Categorical,
}

/// <summary>The built-in priors.</summary>
internal enum PriorKind
{
    /// <summary>One precision for every parameter.</summary>
    Isotropic,
    /// <summary>One precision per dense or convolution layer.</summary>
    Layerwise,
}
