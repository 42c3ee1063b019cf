using System;

namespace Dnn2Gp.Dsl;

/// <summary>
/// Gaussian likelihood p(y | f) = N(y; f, σ² I) for regression. The negative log-likelihood per output is
/// (y - f)² / (2σ²) + ½ log(2πσ²); the output Hessian is Λ = I / σ².
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GaussianLikelihoodAttribute : Attribute
{
    /// <summary>A Gaussian likelihood with noise standard deviation <paramref name="sigma"/> (must be positive and finite).</summary>
    public GaussianLikelihoodAttribute(double sigma) => Sigma = sigma;

    /// <summary>The noise standard deviation σ.</summary>
    public double Sigma { get; }
}

/// <summary>
/// Bernoulli likelihood with the logit link, for binary labels y ∈ {0, 1} and one network output f:
/// p(y = 1 | f) = sigmoid(f). Needs exactly one output.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BernoulliLikelihoodAttribute : Attribute
{
}

/// <summary>
/// Categorical likelihood with the softmax link, for class labels y ∈ {0, ..., K-1} and K ≥ 2 outputs:
/// p(y = k | f) = softmax(f)_k. The output Hessian is Λ = diag(p) - p pᵀ.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CategoricalLikelihoodAttribute : Attribute
{
}
