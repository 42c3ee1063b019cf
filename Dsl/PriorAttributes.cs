using System;

namespace Dnn2Gp.Dsl;

/// <summary>
/// Isotropic Gaussian prior p(w) = N(0, δ⁻¹ I) over all parameters. The generated penalty is ½ δ ‖w‖².
/// A network without a prior attribute has δ = 0 (a flat prior).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class IsotropicGaussianPriorAttribute : Attribute
{
    /// <summary>A prior with precision <paramref name="precision"/> (δ ≥ 0, finite).</summary>
    public IsotropicGaussianPriorAttribute(double precision) => Precision = precision;

    /// <summary>The prior precision δ.</summary>
    public double Precision { get; }
}

/// <summary>
/// A Gaussian prior with one precision per parametrised (dense or convolution) layer (weight and bias of that layer
/// share it), in layer order.
/// The generated penalty is ½ Σₗ δₗ ‖wₗ‖².
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LayerwiseGaussianPriorAttribute : Attribute
{
    /// <summary>One precision per dense or convolution layer, each δₗ ≥ 0 and finite.</summary>
    public LayerwiseGaussianPriorAttribute(params double[] precisions) => Precisions = precisions;

    /// <summary>The per-layer precisions.</summary>
    public double[] Precisions { get; }
}
