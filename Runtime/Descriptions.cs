using System;
using System.Collections.Generic;
using System.Linq;

namespace Dnn2Gp.Runtime;

/// <summary>The likelihood a network was declared with, as a value a program can inspect.</summary>
public abstract record Likelihood
{
    private protected Likelihood() { }
}

/// <summary>p(y | f) = N(y; f, σ² I).</summary>
public sealed record GaussianLikelihood(double Sigma) : Likelihood;

/// <summary>p(y = 1 | f) = sigmoid(f).</summary>
public sealed record BernoulliLikelihood : Likelihood;

/// <summary>p(y = k | f) = softmax(f)ₖ.</summary>
public sealed record CategoricalLikelihood : Likelihood;

/// <summary>The prior a network was declared with, as a value a program can inspect.</summary>
public abstract record Prior
{
    private protected Prior() { }
}

/// <summary>p(w) = N(0, δ⁻¹ I).</summary>
public sealed record IsotropicGaussianPrior(double Precision) : Prior;

/// <summary>One precision per parametrised (dense or convolution) layer, in layer order.</summary>
public sealed record LayerwiseGaussianPrior : Prior
{
    private readonly double[] _precisions;

    public LayerwiseGaussianPrior(params double[] precisions)
    {
        ArgumentNullException.ThrowIfNull(precisions);
        _precisions = (double[])precisions.Clone();
    }

    /// <summary>The per-layer precisions.</summary>
    public IReadOnlyList<double> Precisions => _precisions;

    public bool Equals(LayerwiseGaussianPrior? other) => other is not null && _precisions.SequenceEqual(other._precisions);

    public override int GetHashCode() => _precisions.Aggregate(17, (h, d) => h * 31 + d.GetHashCode());
}
