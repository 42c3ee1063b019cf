using System;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>How the predictive class probabilities E[softmax(f)] (or E[sigmoid(f)]) under f ~ N(μ, Σ_f) are approximated.</summary>
public enum LinkApproximation
{
    /// <summary>The probit approximation: sigmoid(μ/√(1 + πσ²/8)); for softmax the same scaling per logit (laplace-torch's 'probit').</summary>
    Probit,

    /// <summary>A Monte-Carlo average over seeded draws f ~ N(μ, Σ_f) per input (the full K × K covariance).</summary>
    MonteCarlo,
}

/// <summary>
/// Classification predictives from a Gaussian predictive of the logits (a <see cref="FunctionPrediction"/>): class
/// probabilities by a link approximation, the variance of the linearised probabilities diag(Λ Σ_f Λ) (dnn2gp's
/// "predictive_var_f", the epistemic part) and the aleatoric p(1 − p).
/// </summary>
public static class LinkApproximations
{
    /// <summary>
    /// Writes the predictive probabilities [m, K] (Bernoulli: [m, 1], the probability of label 1) under
    /// <paramref name="link"/>; Monte-Carlo uses <paramref name="samples"/> draws per input from a generator seeded by
    /// <paramref name="seed"/> (input e uses its own stream, so results do not depend on batching).
    /// </summary>
    public static void Probabilities(Likelihood likelihood, FunctionPrediction prediction, LinkApproximation link, Span<double> probabilities,
        int samples = 1000, int seed = 0)
    {
        int m = Check(likelihood, prediction, probabilities, "probabilities");
        if (!Enum.IsDefined(link)) throw new ArgumentOutOfRangeException(nameof(link), link, "Use Probit or MonteCarlo.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        int k = prediction.Outputs;
        ReadOnlySpan<double> mean = prediction.Mean, covariances = prediction.Covariances;
        var f = new double[k];
        var p = new double[k];
        var lower = new double[k * k];
        var z = new double[k];
        for (int e = 0; e < m; e++)
        {
            ReadOnlySpan<double> mu = mean.Slice(e * k, k);
            ReadOnlySpan<double> sigma = covariances.Slice(e * k * k, k * k);
            Span<double> dst = probabilities.Slice(e * k, k);
            if (link == LinkApproximation.Probit)
            {
                for (int j = 0; j < k; j++) f[j] = mu[j] / Math.Sqrt(1 + Math.PI / 8 * Math.Max(sigma[j * k + j], 0));
                Link(likelihood, f, dst);
                continue;
            }
            PsdFactor(sigma, k, lower);
            var random = new Random(HashCode.Combine(seed, e));
            dst.Clear();
            for (int s = 0; s < samples; s++)
            {
                for (int j = 0; j < k; j++) z[j] = Data.Gaussian.Next(random);
                for (int i = 0; i < k; i++)
                {
                    double v = mu[i];
                    for (int j = 0; j <= i; j++) v += lower[i * k + j] * z[j];
                    f[i] = v;
                }
                Link(likelihood, f, p);
                for (int j = 0; j < k; j++) dst[j] += p[j];
            }
            for (int j = 0; j < k; j++) dst[j] /= samples;
        }
    }

    /// <summary>diag(Λ Σ_f Λ) [m, K] at the mean logits: the variance of the linearised probabilities (Bernoulli: Λ² Var f).</summary>
    public static void ProbabilityVariances(Likelihood likelihood, FunctionPrediction prediction, Span<double> variances)
    {
        int m = Check(likelihood, prediction, variances, "variances");
        int k = prediction.Outputs;
        var p = new double[k];
        var lambda = new double[k * k];
        for (int e = 0; e < m; e++)
        {
            ReadOnlySpan<double> sigma = prediction.Covariances.Slice(e * k * k, k * k);
            Link(likelihood, prediction.Mean.Slice(e * k, k), p);
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++) lambda[i * k + j] = likelihood is BernoulliLikelihood ? p[0] * (1 - p[0]) : (i == j ? p[i] : 0) - p[i] * p[j];
            }
            for (int a = 0; a < k; a++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++) sum += lambda[a * k + i] * sigma[i * k + j] * lambda[j * k + a];
                }
                variances[e * k + a] = sum;
            }
        }
    }

    /// <summary>The aleatoric variance p(1 − p) [m, K] at the mean logits (dnn2gp's "predictive_noise").</summary>
    public static void AleatoricVariances(Likelihood likelihood, FunctionPrediction prediction, Span<double> variances)
    {
        int m = Check(likelihood, prediction, variances, "variances");
        int k = prediction.Outputs;
        var p = new double[k];
        for (int e = 0; e < m; e++)
        {
            Link(likelihood, prediction.Mean.Slice(e * k, k), p);
            for (int j = 0; j < k; j++) variances[e * k + j] = p[j] * (1 - p[j]);
        }
    }

    private static void Link(Likelihood likelihood, ReadOnlySpan<double> f, Span<double> p)
    {
        if (likelihood is BernoulliLikelihood) p[0] = OutputFactors.Sigmoid(f[0]);
        else OutputFactors.Softmax(f, p);
    }

    /// <summary>
    /// L with L Lᵀ = A for a symmetric positive semi-definite k × k A: Cholesky in which a pivot below k·2⁻⁴⁰·max(diag A)
    /// (a direction of zero variance, e.g. the softmax's all-ones one) gives a zero column.
    /// </summary>
    internal static void PsdFactor(ReadOnlySpan<double> a, int k, Span<double> lower)
    {
        lower.Slice(0, k * k).Clear();
        double max = 0;
        for (int i = 0; i < k; i++) max = Math.Max(max, a[i * k + i]);
        double tolerance = k * Math.ScaleB(1.0, -40) * max;
        for (int j = 0; j < k; j++)
        {
            double d = a[j * k + j];
            for (int q = 0; q < j; q++) d -= lower[j * k + q] * lower[j * k + q];
            if (d <= tolerance) continue;
            double root = Math.Sqrt(d);
            lower[j * k + j] = root;
            for (int i = j + 1; i < k; i++)
            {
                double s = a[i * k + j];
                for (int q = 0; q < j; q++) s -= lower[i * k + q] * lower[j * k + q];
                lower[i * k + j] = s / root;
            }
        }
    }

    private static int Check(Likelihood likelihood, FunctionPrediction prediction, Span<double> destination, string name)
    {
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(prediction);
        if (likelihood is GaussianLikelihood)
            throw new ArgumentException("Link approximations are for classification likelihoods; a Gaussian predictive is already the predictive of y (add σ²).", nameof(likelihood));
        if (likelihood is BernoulliLikelihood && prediction.Outputs != 1)
            throw new ArgumentException($"A Bernoulli likelihood has one logit, but the prediction has {prediction.Outputs} outputs.", nameof(prediction));
        long needed = (long)prediction.Count * prediction.Outputs;
        if (destination.Length < needed)
            throw new ArgumentException($"'{name}' has {destination.Length:N0} elements, but [{prediction.Count:N0}, {prediction.Outputs}] needs {needed:N0}.", name);
        return prediction.Count;
    }
}
