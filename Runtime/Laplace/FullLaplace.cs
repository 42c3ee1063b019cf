using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The full Laplace posterior: the dense P × P precision H = s·GGN + P₀ with the exact GGN (square-root factors of the
/// full Λ, a symmetric rank-k update in double), factored by Cholesky with the jitter ladder (<see cref="Factorisation"/>
/// reports what it needed). The GGN's eigendecomposition is computed on first use by the evidence of another isotropic
/// prior or noise, after which each such evaluation is O(P).
/// </summary>
public sealed class FullLaplace<TNet, T> : LaplacePosterior<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DensePrecision _precision;
    private readonly JitterPolicy _jitter;
    private DenseCovariance? _covariance;

    internal FullLaplace(T[] mean, LikelihoodTerms terms, DenseCurvature curvature, PriorPrecision prior, double? sigma, JitterPolicy jitter)
        : base(mean, terms, prior, sigma)
    {
        _jitter = jitter;
        int p = TNet.ParameterCount;
        _precision = new DensePrecision(curvature, TNet.Layers, 0, PriorValues, GgnScale, jitter, $"posterior precision ({p}×{p})");
    }

    public override LaplaceStructure Structure => LaplaceStructure.Full;

    /// <summary>The GGN Σₙ Jₙᵀ Λₙ Jₙ at the declared likelihood, P × P row-major.</summary>
    public ReadOnlySpan<double> Ggn => _precision.Curvature.Ggn;

    /// <summary>What the Cholesky factorisation of the precision needed: jitter (0 if none), attempts, smallest pivot.</summary>
    public CholeskyReport Factorisation => _precision.Report;

    /// <summary>The Cholesky factor of the precision.</summary>
    public CholeskyFactor Factor => _precision.Factor;

    /// <summary>The GGN's eigendecomposition (computed on first use; shared by posteriors rebuilt from this one).</summary>
    public EigenSystem GgnEigenSystem => _precision.Curvature.Eigen;

    public override double LogDeterminant => _precision.LogDeterminant;

    /// <summary>Σ = H⁻¹ as a dense covariance (formed on first use).</summary>
    public override Covariance Covariance => _covariance ??= new DenseCovariance(TNet.ParameterCount, _precision.Inverse);

    public override void Kernel(ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2, KernelBlocks blocks, Span<double> kernel)
    {
        ModelArguments.CheckInputs<TNet, T>(Mean, inputs1, m1, nameof(inputs1));
        ModelArguments.CheckInputs<TNet, T>(Mean, inputs2, m2, nameof(inputs2));
        DenseRows<TNet, T>.Kernel(Mean, inputs1, m1, inputs2, m2, 0, 0, _precision, blocks, kernel);
    }

    private protected override double LogDetAndTraces(PriorPrecision prior, double[]? priorValues, double scale, Span<double> traces) =>
        _precision.LogDetAndTraces(prior, priorValues, scale, traces);

    private protected override void PrecisionProduct(ReadOnlySpan<double> vector, Span<double> result) => _precision.Multiply(vector, result);

    private protected override void CovarianceProduct(ReadOnlySpan<double> vector, Span<double> result) => _precision.Solve(vector, result);

    private protected override void Deviation(ReadOnlySpan<double> z, Span<double> deviation) => _precision.Deviation(z, deviation);

    private protected override void AccumulateFunctionalCovariance(ReadOnlySpan<T> inputs, int m, Span<double> covariances) =>
        DenseRows<TNet, T>.FunctionalCovariance(Mean, inputs, m, 0, 0, _precision, covariances);

    private protected override LaplacePosterior<TNet, T> Rebuild(PriorPrecision prior, double? sigma) =>
        new FullLaplace<TNet, T>(MeanStorage, Terms, _precision.Curvature, prior, sigma, _jitter);
}
