using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// What the evidence needs of the data term at w*, computed once when a posterior is fitted: the log-likelihood
/// log p(y | w*) (normalising constants included) and, for a Gaussian likelihood, the sum of squared residuals so that
/// the noise σ can be changed afterwards without another pass over the data.
/// </summary>
internal sealed class LikelihoodTerms
{
    private LikelihoodTerms(Likelihood likelihood, int examples, int observations, double negativeLogLikelihood, double sumOfSquares)
    {
        Likelihood = likelihood;
        Examples = examples;
        Observations = observations;
        NegativeLogLikelihood = negativeLogLikelihood;
        SumOfSquares = sumOfSquares;
    }

    public Likelihood Likelihood { get; }

    /// <summary>N.</summary>
    public int Examples { get; }

    /// <summary>N·K scalar observations.</summary>
    public int Observations { get; }

    /// <summary>−log p(y | w*) under the declared likelihood.</summary>
    public double NegativeLogLikelihood { get; }

    /// <summary>Σ (y − f)² (Gaussian only; NaN otherwise).</summary>
    public double SumOfSquares { get; }

    /// <summary>The declared σ of a Gaussian likelihood, or null.</summary>
    public double? DeclaredSigma => Likelihood is GaussianLikelihood g ? g.Sigma : null;

    public static LikelihoodTerms Compute<TNet, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int n)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = TNet.OutputSize;
        double nll = TNet.Loss(parameters, inputs, targets, n);
        double squares = double.NaN;
        if (TNet.Likelihood is GaussianLikelihood)
        {
            var outputs = new T[(long)n * k];
            TNet.Forward(parameters, inputs, outputs, n);
            squares = 0;
            for (int i = 0; i < outputs.Length; i++)
            {
                double d = double.CreateTruncating(outputs[i]) - double.CreateTruncating(targets[i]);
                squares += d * d;
            }
        }
        return new LikelihoodTerms(TNet.Likelihood, n, n * k, nll, squares);
    }

    /// <summary>log p(y | w*) with noise σ (Gaussian; any σ) or as declared (classification; σ must be null).</summary>
    public double LogLikelihood(double? sigma)
    {
        if (Likelihood is not GaussianLikelihood)
        {
            if (sigma is not null)
                throw new ArgumentException($"A noise σ applies to a Gaussian likelihood only; this network has {Likelihood}.", nameof(sigma));
            return -NegativeLogLikelihood;
        }
        double s = sigma ?? DeclaredSigma!.Value;
        return -SumOfSquares / (2 * s * s) - Observations * (Math.Log(s) + 0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>∂ log p(y | w*) / ∂ log σ = SSE/σ² − N·K (Gaussian).</summary>
    public double LogLikelihoodSigmaGradient(double sigma) => SumOfSquares / (sigma * sigma) - Observations;

    /// <summary>The GGN scale for noise σ relative to the declared one: (σ_declared / σ)² (1 for classification).</summary>
    public double GgnScale(double? sigma)
    {
        if (Likelihood is not GaussianLikelihood g) return 1.0;
        double s = sigma ?? g.Sigma;
        return g.Sigma * g.Sigma / (s * s);
    }
}
