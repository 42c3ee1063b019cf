using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Per-example matrices of the built-in likelihoods in output space, written as c seed rows per example ([n, c, K]):
/// a square-root factor S of the output Hessian Λ = S Sᵀ (for exact GGNs), the rows of ∂E[y | f]/∂f (for kernels of
/// the mean, e.g. FROMP's kernels of softmax probabilities) and Monte-Carlo residuals with E[r rᵀ] = Λ.
/// </summary>
/// <remarks>
/// Computed in double from the outputs, then stored in T. Categorical: p = softmax(f), Λ = diag(p) − ppᵀ and the
/// seeds of S are its columns √p_c (e_c − p) (then S Sᵀ = diag(p) − 2ppᵀ + ppᵀ Σp = Λ); Bernoulli: s = sigmoid(f),
/// √(s(1 − s)); Gaussian: I/σ.
/// </remarks>
public static class OutputFactors
{
    /// <summary>Seeds per example of <see cref="SquareRootHessian{T}"/> for a network with <paramref name="outputs"/> outputs.</summary>
    public static int SquareRootCount(Likelihood likelihood, int outputs) => likelihood is BernoulliLikelihood ? 1 : outputs;

    /// <summary>Writes the columns of a square-root factor S of Λ (S Sᵀ = Λ) as seeds [n, c, K] (c = <see cref="SquareRootCount"/>).</summary>
    public static void SquareRootHessian<T>(Likelihood likelihood, ReadOnlySpan<T> outputs, int n, int k, Span<T> seeds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = SquareRootCount(likelihood, k);
        CheckLength(seeds.Length, (long)n * c * k, "seeds", $"[{n}, {c}, {k}]");
        switch (likelihood)
        {
            case GaussianLikelihood gaussian:
                seeds.Slice(0, n * k * k).Clear();
                T inverseSigma = T.CreateTruncating(1.0 / gaussian.Sigma);
                for (int e = 0; e < n; e++)
                {
                    for (int j = 0; j < k; j++) seeds[(e * k + j) * k + j] = inverseSigma;
                }
                break;
            case BernoulliLikelihood:
                for (int e = 0; e < n; e++)
                {
                    double s = Sigmoid(double.CreateTruncating(outputs[e]));
                    seeds[e] = T.CreateTruncating(Math.Sqrt(s * (1 - s)));
                }
                break;
            case CategoricalLikelihood:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                for (int e = 0; e < n; e++)
                {
                    Softmax(outputs.Slice(e * k, k), p);
                    Span<T> rows = seeds.Slice(e * k * k, k * k);
                    for (int col = 0; col < k; col++)
                    {
                        double root = Math.Sqrt(p[col]);
                        Span<T> row = rows.Slice(col * k, k);
                        for (int j = 0; j < k; j++) row[j] = T.CreateTruncating(root * ((j == col ? 1.0 : 0.0) - p[j]));
                    }
                }
                break;
            }
            default:
                throw new NotSupportedException($"No square-root Hessian factor for {likelihood}.");
        }
    }

    /// <summary>
    /// Writes the rows of ∂E[y | f]/∂f as seeds [n, K, K]: the softmax Jacobian diag(p) − ppᵀ (= Λ) for a categorical
    /// likelihood, s(1 − s) for Bernoulli, the identity for Gaussian. Seeding a backward pass with them gives the
    /// Jacobians of the predicted probabilities (or means).
    /// </summary>
    public static void MeanJacobian<T>(Likelihood likelihood, ReadOnlySpan<T> outputs, int n, int k, Span<T> seeds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(seeds.Length, (long)n * k * k, "seeds", $"[{n}, {k}, {k}]");
        switch (likelihood)
        {
            case GaussianLikelihood:
                Identity(n, k, seeds);
                break;
            case BernoulliLikelihood:
                for (int e = 0; e < n; e++)
                {
                    double s = Sigmoid(double.CreateTruncating(outputs[e]));
                    seeds[e] = T.CreateTruncating(s * (1 - s));
                }
                break;
            case CategoricalLikelihood:
            {
                Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
                for (int e = 0; e < n; e++)
                {
                    Softmax(outputs.Slice(e * k, k), p);
                    Span<T> rows = seeds.Slice(e * k * k, k * k);
                    for (int i = 0; i < k; i++)
                    {
                        for (int j = 0; j < k; j++) rows[i * k + j] = T.CreateTruncating((i == j ? p[i] : 0.0) - p[i] * p[j]);
                    }
                }
                break;
            }
            default:
                throw new NotSupportedException($"No mean Jacobian for {likelihood}.");
        }
    }

    /// <summary>Writes K identity seeds per example ([n, K, K]): the backward pass then yields the Jacobian of f.</summary>
    public static void Identity<T>(int n, int k, Span<T> seeds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(seeds.Length, (long)n * k * k, "seeds", $"[{n}, {k}, {k}]");
        seeds.Slice(0, n * k * k).Clear();
        for (int e = 0; e < n; e++)
        {
            for (int j = 0; j < k; j++) seeds[(e * k + j) * k + j] = T.One;
        }
    }

    /// <summary>
    /// Writes one Monte-Carlo residual per example ([n, 1, K]): r = ∂ℓ(ŷ, f)/∂f at a label ŷ drawn from the model's own
    /// predictive p(y | f), so E[r rᵀ] = Λ. Example <c>start + e</c> uses its own generator seeded by (seed, row), so the
    /// draws do not depend on how a batch is split into chunks.
    /// </summary>
    public static void MonteCarloResidual<T>(Likelihood likelihood, ReadOnlySpan<T> outputs, int start, int n, int k, int seed, int sample, Span<T> seeds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(seeds.Length, (long)n * k, "seeds", $"[{n}, 1, {k}]");
        Span<double> p = k <= 256 ? stackalloc double[k] : new double[k];
        for (int e = 0; e < n; e++)
        {
            ulong state = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)(start + e) << 20) ^ (ulong)(uint)sample);
            switch (likelihood)
            {
                case GaussianLikelihood gaussian:
                    for (int j = 0; j < k; j++)
                    {
                        // ŷ = f + σ ε ⇒ r = (f − ŷ)/σ² = −ε/σ.
                        seeds[e * k + j] = T.CreateTruncating(-Normal(ref state) / gaussian.Sigma);
                    }
                    break;
                case BernoulliLikelihood:
                {
                    double s = Sigmoid(double.CreateTruncating(outputs[e]));
                    double y = Uniform(ref state) < s ? 1.0 : 0.0;
                    seeds[e] = T.CreateTruncating(s - y);
                    break;
                }
                case CategoricalLikelihood:
                {
                    Softmax(outputs.Slice(e * k, k), p);
                    double u = Uniform(ref state), cumulative = 0;
                    int label = k - 1;
                    for (int j = 0; j < k; j++)
                    {
                        cumulative += p[j];
                        if (u < cumulative)
                        {
                            label = j;
                            break;
                        }
                    }
                    for (int j = 0; j < k; j++) seeds[e * k + j] = T.CreateTruncating(p[j] - (j == label ? 1.0 : 0.0));
                    break;
                }
                default:
                    throw new NotSupportedException($"No Monte-Carlo residual for {likelihood}.");
            }
        }
    }

    internal static void Softmax<T>(ReadOnlySpan<T> f, Span<double> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        for (int j = 0; j < f.Length; j++) max = Math.Max(max, double.CreateTruncating(f[j]));
        double sum = 0;
        for (int j = 0; j < f.Length; j++)
        {
            p[j] = Math.Exp(double.CreateTruncating(f[j]) - max);
            sum += p[j];
        }
        for (int j = 0; j < f.Length; j++) p[j] /= sum;
    }

    internal static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static double Uniform(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    private static double Normal(ref ulong state)
    {
        double u1 = 1.0 - Uniform(ref state), u2 = Uniform(ref state);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void CheckLength(int length, long needed, string name, string shape)
    {
        if (length < needed) throw new ArgumentException($"'{name}' has {length} elements, but its shape {shape} needs {needed}.", name);
    }
}
