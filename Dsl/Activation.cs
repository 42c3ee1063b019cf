namespace Dnn2Gp.Dsl;

/// <summary>Element-wise activation functions a layer can apply. A closed choice, so an enum.</summary>
public enum Activation
{
    /// <summary>f(x) = x.</summary>
    Identity = 0,
    /// <summary>f(x) = max(x, 0).</summary>
    Relu = 1,
    /// <summary>f(x) = tanh(x).</summary>
    Tanh = 2,
    /// <summary>f(x) = 1 / (1 + e^-x).</summary>
    Sigmoid = 3,
    /// <summary>f(x) = log(1 + e^x).</summary>
    Softplus = 4,
    /// <summary>f(x) = x for x &gt; 0, e^x - 1 otherwise (alpha = 1, as PyTorch's default).</summary>
    Elu = 5,
    /// <summary>f(x) = x Φ(x), the exact (erf-based) GELU, as PyTorch's default.</summary>
    Gelu = 6,
    /// <summary>f(x) = erf(x), the activation whose infinite-width kernel is the arc-sine kernel.</summary>
    Erf = 7,
}

/// <summary>The floating-point type the generated code computes in.</summary>
public enum ElementType
{
    /// <summary>32-bit float: training and inference (the default).</summary>
    Single = 0,
    /// <summary>64-bit double: small networks, derivative checks, linear algebra that must be exact.</summary>
    Double = 1,
}
