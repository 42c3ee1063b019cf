using System;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>
/// The per-example output-space algebra of the DNN2GP linear model ỹ = J w + ε, ε ~ N(0, Λ⁻¹), for the built-in
/// likelihoods, in double. With a square-root factor S of Λ (Λ = S Sᵀ, the seeds of
/// <see cref="OutputFactors.SquareRootHessian{T}"/>), the whitened model z = Sᵀ ỹ = (Sᵀ J) w + ε′ has unit noise, and
/// z = Sᵀ J w* − S⁺ r. S⁺ r has a closed form: Gaussian σ r, Bernoulli r/√Λ, softmax r/√p (Σ r = 0, so S (r/√p) = r and
/// r/√p ⟂ null(S) = span(√p)).
/// </summary>
/// <remarks>
/// The softmax Λ = diag(p) − ppᵀ is singular along 1 (shifting every logit changes nothing): its pseudo-inverse is
/// Λ⁺ = P₁ diag(1/p) P₁ with P₁ = I − 11ᵀ/K, its pseudo-determinant K·Πₖ pₖ, and the whitened model has one
/// direction per example (along √p) in which both the rows and the target are zero; it adds ½ log 2π to log p(z) and is
/// removed again, so the marginal likelihood is over the non-null space (as METHODS I.3 suggests). Bernoulli's Λ is
/// floored at 10⁻⁹ as the official code does; softmax probabilities are floored at 10⁻¹² where divided by.
/// </remarks>
internal static class OutputSpace
{
    /// <summary>The floor of a Bernoulli s(1 − s), as in the official dnn2gp code.</summary>
    public const double BernoulliFloor = 1e-9;

    /// <summary>The floor of a softmax probability where one is divided by.</summary>
    public const double ProbabilityFloor = 1e-12;

    /// <summary>Whitened seeds per example (c).</summary>
    public static int SeedCount(Likelihood likelihood, int k) => OutputFactors.SquareRootCount(likelihood, k);

    /// <summary>Whitened directions per example that carry no information (softmax: 1; otherwise 0).</summary>
    public static int NullDirections(Likelihood likelihood) => likelihood is CategoricalLikelihood ? 1 : 0;

    /// <summary>r = ∂ℓ/∂f of one example (f [K], its target or label).</summary>
    public static void Residual(Likelihood likelihood, ReadOnlySpan<double> f, ReadOnlySpan<double> target, Span<double> r)
    {
        int k = f.Length;
        switch (likelihood)
        {
            case GaussianLikelihood g:
                for (int j = 0; j < k; j++) r[j] = (f[j] - target[j]) / (g.Sigma * g.Sigma);
                break;
            case BernoulliLikelihood:
                r[0] = OutputFactors.Sigmoid(f[0]) - target[0];
                break;
            default:
            {
                Probabilities(likelihood, f, r);
                r[(int)target[0]] -= 1;
                break;
            }
        }
    }

    /// <summary>E[y | f]: f (Gaussian), sigmoid (Bernoulli), softmax (categorical).</summary>
    public static void Probabilities(Likelihood likelihood, ReadOnlySpan<double> f, Span<double> p)
    {
        switch (likelihood)
        {
            case GaussianLikelihood: f.CopyTo(p); break;
            case BernoulliLikelihood: p[0] = OutputFactors.Sigmoid(f[0]); break;
            default: OutputFactors.Softmax(f, p); break;
        }
    }

    /// <summary>
    /// S⁺ r [c] for noise σ (Gaussian; the whitening is by 1/σ): the whitened residual, with ‖S⁺ r‖² = rᵀ Λ⁺ r.
    /// The Gaussian residual here is f − y in units of σ.
    /// </summary>
    public static void WhitenedResidual(Likelihood likelihood, ReadOnlySpan<double> f, ReadOnlySpan<double> target, double sigma, Span<double> u)
    {
        int k = f.Length;
        switch (likelihood)
        {
            case GaussianLikelihood:
                for (int j = 0; j < k; j++) u[j] = (f[j] - target[j]) / sigma;
                break;
            case BernoulliLikelihood:
            {
                double s = OutputFactors.Sigmoid(f[0]);
                u[0] = (s - target[0]) / Math.Sqrt(Math.Max(s * (1 - s), BernoulliFloor));
                break;
            }
            default:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                OutputFactors.Softmax(f, p);
                int label = (int)target[0];
                for (int j = 0; j < k; j++) u[j] = (p[j] - (j == label ? 1 : 0)) / Math.Sqrt(Math.Max(p[j], ProbabilityFloor));
                break;
            }
        }
    }

    /// <summary>The whitening seeds Sᵀ rows [c, K] of one example (rows of Sᵀ = columns of S) for noise σ (Gaussian).</summary>
    public static void Seeds(Likelihood likelihood, ReadOnlySpan<double> f, double sigma, Span<double> seeds)
    {
        int k = f.Length;
        switch (likelihood)
        {
            case GaussianLikelihood:
                seeds.Slice(0, k * k).Clear();
                for (int j = 0; j < k; j++) seeds[j * k + j] = 1 / sigma;
                break;
            case BernoulliLikelihood:
            {
                double s = OutputFactors.Sigmoid(f[0]);
                seeds[0] = Math.Sqrt(Math.Max(s * (1 - s), BernoulliFloor));
                break;
            }
            default:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                OutputFactors.Softmax(f, p);
                for (int c = 0; c < k; c++)
                {
                    double root = Math.Sqrt(p[c]);
                    for (int j = 0; j < k; j++) seeds[c * k + j] = root * ((j == c ? 1 : 0) - p[j]);
                }
                break;
            }
        }
    }

    /// <summary>log pdet Λ of one example for noise σ: −2K log σ, log s(1 − s) (floored), log(K Πₖ pₖ).</summary>
    public static double LogPseudoDeterminant(Likelihood likelihood, ReadOnlySpan<double> f, double sigma)
    {
        int k = f.Length;
        switch (likelihood)
        {
            case GaussianLikelihood:
                return -2 * k * Math.Log(sigma);
            case BernoulliLikelihood:
            {
                double s = OutputFactors.Sigmoid(f[0]);
                return Math.Log(Math.Max(s * (1 - s), BernoulliFloor));
            }
            default:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                OutputFactors.Softmax(f, p);
                double sum = Math.Log(k);
                for (int j = 0; j < k; j++) sum += Math.Log(Math.Max(p[j], ProbabilityFloor));
                return sum;
            }
        }
    }

    /// <summary>Λ⁺ r [K] (Λ⁻¹ r for Gaussian and Bernoulli).</summary>
    public static void PseudoInverseResidual(Likelihood likelihood, ReadOnlySpan<double> f, ReadOnlySpan<double> target, double sigma, Span<double> result)
    {
        int k = f.Length;
        switch (likelihood)
        {
            case GaussianLikelihood:
                for (int j = 0; j < k; j++) result[j] = f[j] - target[j];
                break;
            case BernoulliLikelihood:
            {
                double s = OutputFactors.Sigmoid(f[0]);
                result[0] = (s - target[0]) / Math.Max(s * (1 - s), BernoulliFloor);
                break;
            }
            default:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                OutputFactors.Softmax(f, p);
                int label = (int)target[0];
                double mean = 0;
                for (int j = 0; j < k; j++)
                {
                    result[j] = (p[j] - (j == label ? 1 : 0)) / Math.Max(p[j], ProbabilityFloor);
                    mean += result[j];
                }
                mean /= k;
                for (int j = 0; j < k; j++) result[j] -= mean;
                break;
            }
        }
    }

    /// <summary>The pseudo-noise Λ⁺ [K, K] of one example (σ² I, 1/(s(1 − s)), or P₁ diag(1/p) P₁).</summary>
    public static void PseudoNoise(Likelihood likelihood, ReadOnlySpan<double> f, double sigma, Span<double> noise)
    {
        int k = f.Length;
        noise.Slice(0, k * k).Clear();
        switch (likelihood)
        {
            case GaussianLikelihood:
                for (int j = 0; j < k; j++) noise[j * k + j] = sigma * sigma;
                break;
            case BernoulliLikelihood:
            {
                double s = OutputFactors.Sigmoid(f[0]);
                noise[0] = 1 / Math.Max(s * (1 - s), BernoulliFloor);
                break;
            }
            default:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                OutputFactors.Softmax(f, p);
                // (P₁ D⁻¹ P₁)ᵢⱼ = δᵢⱼ/pᵢ − (1/pᵢ + 1/pⱼ)/K + Σ(1/p)/K².
                double total = 0;
                for (int j = 0; j < k; j++) total += 1 / Math.Max(p[j], ProbabilityFloor);
                for (int i = 0; i < k; i++)
                {
                    double ai = 1 / Math.Max(p[i], ProbabilityFloor);
                    for (int j = 0; j < k; j++)
                    {
                        double aj = 1 / Math.Max(p[j], ProbabilityFloor);
                        noise[i * k + j] = (i == j ? ai : 0) - (ai + aj) / k + total / ((double)k * k);
                    }
                }
                break;
            }
        }
    }
}
