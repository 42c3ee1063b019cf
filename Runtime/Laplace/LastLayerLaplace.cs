using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The last-layer Laplace posterior: the dense precision s·GGN_L + P₀,L over the last parametrised layer's d parameters
/// (<see cref="LaplacePosterior{TNet,T}.Offset"/> … + d − 1), every other parameter fixed at w*. Its Jacobian rows are the
/// layer's input features times the back-propagated output factors, so the GGN costs O(N·K·d²) whatever the size of
/// the rest of the network. Vectors of <see cref="LaplacePosterior{TNet,T}.MultiplyCovariance"/> and friends are over
/// those d parameters.
/// </summary>
public sealed class LastLayerLaplace<TNet, T> : LaplacePosterior<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DensePrecision _precision;
    private readonly JitterPolicy _jitter;

    internal LastLayerLaplace(T[] mean, LikelihoodTerms terms, DenseCurvature curvature, PriorPrecision prior, double? sigma, JitterPolicy jitter)
        : base(mean, terms, prior, sigma)
    {
        _jitter = jitter;
        int d = curvature.Dimension;
        _precision = new DensePrecision(curvature, TNet.Layers, Layer.WeightOffset, PriorValues, GgnScale, jitter, $"last-layer posterior precision ({d}×{d})");
    }

    public override LaplaceStructure Structure => LaplaceStructure.LastLayer;

    public override int Offset => Layer.WeightOffset;

    public override int Dimension => Layer.ParameterCount;

    /// <summary>The last parametrised layer, the one the posterior is over.</summary>
    public static LayerInfo Layer => TNet.Layers[TNet.Layers.Count - 1];

    /// <summary>The GGN of the last layer's parameters at the declared likelihood, d × d row-major.</summary>
    public ReadOnlySpan<double> Ggn => _precision.Curvature.Ggn;

    /// <summary>What the Cholesky factorisation of the precision needed.</summary>
    public CholeskyReport Factorisation => _precision.Report;

    public override double LogDeterminant => _precision.LogDeterminant;

    /// <summary>Not available: a last-layer posterior is no covariance over all P parameters (use <see cref="Kernel"/> and <see cref="LaplacePosterior{TNet,T}.FunctionalCovariance"/>).</summary>
    public override Covariance Covariance => throw new NotSupportedException(
        $"{TNet.Name}: a last-layer posterior covers {Dimension:N0} of {TNet.ParameterCount:N0} parameters and is not a Covariance over all of them; use Kernel, FunctionalCovariance or Predict.");

    private protected override int FirstCoveredLayer => TNet.Layers.Count - 1;

    public override void Kernel(ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2, KernelBlocks blocks, Span<double> kernel)
    {
        ModelArguments.CheckInputs<TNet, T>(Mean, inputs1, m1, nameof(inputs1));
        ModelArguments.CheckInputs<TNet, T>(Mean, inputs2, m2, nameof(inputs2));
        DenseRows<TNet, T>.Kernel(Mean, inputs1, m1, inputs2, m2, FirstCoveredLayer, Offset, _precision, blocks, kernel);
    }

    private protected override double LogDetAndTraces(PriorPrecision prior, double[]? priorValues, double scale, Span<double> traces) =>
        _precision.LogDetAndTraces(prior, priorValues, scale, traces);

    private protected override void PrecisionProduct(ReadOnlySpan<double> vector, Span<double> result) => _precision.Multiply(vector, result);

    private protected override void CovarianceProduct(ReadOnlySpan<double> vector, Span<double> result) => _precision.Solve(vector, result);

    private protected override void Deviation(ReadOnlySpan<double> z, Span<double> deviation) => _precision.Deviation(z, deviation);

    private protected override void AccumulateFunctionalCovariance(ReadOnlySpan<T> inputs, int m, Span<double> covariances) =>
        DenseRows<TNet, T>.FunctionalCovariance(Mean, inputs, m, FirstCoveredLayer, Offset, _precision, covariances);

    private protected override LaplacePosterior<TNet, T> Rebuild(PriorPrecision prior, double? sigma) =>
        new LastLayerLaplace<TNet, T>(MeanStorage, Terms, _precision.Curvature, prior, sigma, _jitter);
}
