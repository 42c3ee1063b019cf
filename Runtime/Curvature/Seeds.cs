using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>K identity seeds per example: the factors are the rows of the Jacobian of f (∂fₖ/∂z per layer).</summary>
public readonly struct IdentitySeed<T>(int outputCount) : IOutputSeed<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => outputCount;

    public void Fill(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds) =>
        OutputFactors.Identity(n, outputCount, seeds);
}

/// <summary>The columns of a square-root factor of the output Hessian: the factors give the exact (type-2) GGN.</summary>
public readonly struct SquareRootHessianSeed<T>(Likelihood likelihood, int outputs) : IOutputSeed<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => OutputFactors.SquareRootCount(likelihood, outputs);

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds) =>
        OutputFactors.SquareRootHessian(likelihood, f, n, outputs, seeds);
}

/// <summary>The rows of ∂E[y | f]/∂f: the factors give the Jacobians of the predicted probabilities (or means).</summary>
public readonly struct MeanJacobianSeed<T>(Likelihood likelihood, int outputs) : IOutputSeed<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => outputs;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds) =>
        OutputFactors.MeanJacobian(likelihood, f, n, outputs, seeds);
}

/// <summary>
/// One Monte-Carlo residual per example at a label drawn from the model (E[r rᵀ] = Λ): the factors give an unbiased
/// one-sample estimate of the GGN (the "MC" approximation of BackPACK, laplace-torch and KFAC).
/// </summary>
public readonly struct MonteCarloSeed<T>(Likelihood likelihood, int outputs, int seed, int sample) : IOutputSeed<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => 1;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds) =>
        OutputFactors.MonteCarloResidual(likelihood, f, start, n, outputs, seed, sample, seeds);
}

/// <summary>
/// The loss residual r = ∂ℓ(y, f)/∂f at the true targets: the factors give per-example loss gradients (their squares
/// summed are the empirical Fisher).
/// </summary>
public readonly struct ResidualSeed<T>(Likelihood likelihood, int outputs) : IOutputSeed<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => 1;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds)
    {
        if (targets.Length < n * (likelihood is GaussianLikelihood ? outputs : 1))
            throw new ArgumentException("The empirical Fisher needs the targets of every example.", nameof(targets));
        switch (likelihood)
        {
            case GaussianLikelihood gaussian:
            {
                double precision = 1.0 / (gaussian.Sigma * gaussian.Sigma);
                for (int i = 0; i < n * outputs; i++) seeds[i] = T.CreateTruncating(precision * (double.CreateTruncating(f[i]) - double.CreateTruncating(targets[i])));
                break;
            }
            case BernoulliLikelihood:
                for (int e = 0; e < n; e++) seeds[e] = T.CreateTruncating(OutputFactors.Sigmoid(double.CreateTruncating(f[e])) - double.CreateTruncating(targets[e]));
                break;
            case CategoricalLikelihood:
            {
                Span<double> p = outputs <= 256 ? stackalloc double[outputs] : new double[outputs];
                for (int e = 0; e < n; e++)
                {
                    OutputFactors.Softmax(f.Slice(e * outputs, outputs), p);
                    int label = int.CreateTruncating(targets[e]);
                    for (int j = 0; j < outputs; j++) seeds[e * outputs + j] = T.CreateTruncating(p[j] - (j == label ? 1.0 : 0.0));
                }
                break;
            }
            default:
                throw new NotSupportedException($"No residual for {likelihood}.");
        }
    }
}

/// <summary>
/// Caller-given seeds [batch, c, K] (a pinned buffer that outlives the pass): vector-Jacobian products, kernels of
/// custom output maps (e.g. FROMP's softmax over one task's head), or any linear combination of outputs.
/// </summary>
public readonly unsafe struct GivenSeed<T> : IOutputSeed<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T* _seeds;
    private readonly int _count, _outputs, _rows;

    /// <summary>Wraps <paramref name="rows"/> examples of <paramref name="count"/> seeds of <paramref name="outputs"/> values each, at a pinned address.</summary>
    public GivenSeed(T* seeds, int rows, int count, int outputs)
    {
        _seeds = seeds;
        _rows = rows;
        _count = count;
        _outputs = outputs;
    }

    public int Count => _count;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds)
    {
        if (start < 0 || start + n > _rows)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Rows {start}..{start + n - 1} requested from {_rows} given seed rows.");
        int perRow = _count * _outputs;
        new ReadOnlySpan<T>(_seeds + (long)start * perRow, n * perRow).CopyTo(seeds);
    }
}
