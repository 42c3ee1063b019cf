using System;
using System.Numerics;
using System.Numerics.Tensors;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The diagonal Laplace posterior: precision h = s·diag(GGN) + P₀ (s = (σ_declared/σ)² for a Gaussian likelihood, else 1),
/// with the exact diagonal GGN (full softmax Λ) accumulated over the training set. Everything is O(P).
/// </summary>
public sealed class DiagonalLaplace<TNet, T> : LaplacePosterior<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _ggn;
    private readonly double[] _precision;
    private DiagonalCovariance? _covariance;

    internal DiagonalLaplace(T[] mean, LikelihoodTerms terms, double[] ggn, PriorPrecision prior, double? sigma)
        : base(mean, terms, prior, sigma)
    {
        _ggn = ggn;
        _precision = new double[ggn.Length];
        for (int i = 0; i < ggn.Length; i++) _precision[i] = GgnScale * ggn[i] + PriorValues[i];
    }

    public override LaplaceStructure Structure => LaplaceStructure.Diagonal;

    /// <summary>Σₙ diag(Jₙᵀ Λₙ Jₙ) at the declared likelihood [P].</summary>
    public ReadOnlySpan<double> GgnDiagonal => _ggn;

    /// <summary>The posterior precision h [P].</summary>
    public ReadOnlySpan<double> Precision => _precision;

    public override double LogDeterminant
    {
        get
        {
            double sum = 0;
            foreach (double h in _precision) sum += Math.Log(h);
            return sum;
        }
    }

    public override Covariance Covariance => _covariance ??= new DiagonalCovariance(Inverse(_precision));

    private protected override double LogDetAndTraces(PriorPrecision prior, double[]? priorValues, double scale, Span<double> traces)
    {
        double logDet = 0;
        traces.Clear();
        var layers = TNet.Layers;
        int largest = 0;
        foreach (var layer in layers) largest = Math.Max(largest, layer.ParameterCount);
        double[] buffer = System.Buffers.ArrayPool<double>.Shared.Rent(largest);
        try
        {
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                Span<double> h = buffer.AsSpan(0, layer.ParameterCount);
                ReadOnlySpan<double> g = _ggn.AsSpan(layer.WeightOffset, layer.ParameterCount);
                // h = s·g + p, then Σ log h (and Σ 1/h), vectorised: O(P) per evaluation of the evidence.
                if (priorValues is null)
                {
                    TensorPrimitives.Multiply(g, scale, h);
                    TensorPrimitives.Add(h, prior.Structure == PriorStructure.Isotropic ? prior.Delta : prior.Values[l], h);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(g, scale, priorValues.AsSpan(layer.WeightOffset, layer.ParameterCount), h);
                }
                if (!traces.IsEmpty)
                {
                    double trace = 0;
                    foreach (double v in h) trace += 1 / v;
                    if (traces.Length == 1) traces[0] += trace;
                    else traces[l] = trace;
                }
                TensorPrimitives.Log(h, h);
                logDet += TensorPrimitives.Sum<double>(h);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
        return logDet;
    }

    private protected override void PrecisionProduct(ReadOnlySpan<double> vector, Span<double> result)
    {
        for (int i = 0; i < _precision.Length; i++) result[i] = _precision[i] * vector[i];
    }

    private protected override void CovarianceProduct(ReadOnlySpan<double> vector, Span<double> result)
    {
        for (int i = 0; i < _precision.Length; i++) result[i] = vector[i] / _precision[i];
    }

    private protected override void Deviation(ReadOnlySpan<double> z, Span<double> deviation)
    {
        for (int i = 0; i < _precision.Length; i++) deviation[i] = z[i] / Math.Sqrt(_precision[i]);
    }

    private protected override void AccumulateFunctionalCovariance(ReadOnlySpan<T> inputs, int m, Span<double> covariances) =>
        RunFunctionalCovariance(inputs, m, DiagonalLayerVariances(Inverse(_precision), 0), covariances);

    private protected override LaplacePosterior<TNet, T> Rebuild(PriorPrecision prior, double? sigma) =>
        new DiagonalLaplace<TNet, T>(MeanStorage, Terms, _ggn, prior, sigma);

    private static double[] Inverse(double[] values)
    {
        var inverse = new double[values.Length];
        for (int i = 0; i < values.Length; i++) inverse[i] = 1 / values[i];
        return inverse;
    }
}
