using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// Per-input covariances J(xₑ) Σ J(xₑ)ᵀ [m, K, K] of the logits under a layer-block covariance given as
/// <see cref="LayerVariances"/> (diagonal, isotropic or a KFAC eigenbasis), by <see cref="FunctionalCovarianceVisitor{T}"/>
/// over the generated backward pass: the GLM predictive variance of a diagonal or KFAC posterior, and the prior
/// variance k(x, x) of the DNN2GP kernel.
/// </summary>
internal static unsafe class FunctionalCovariances<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Adds J Σ Jᵀ of <paramref name="m"/> inputs to <paramref name="covariances"/> [m, K, K].</summary>
    public static void Accumulate(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int m, LayerVariances?[] layers, Span<double> covariances)
    {
        int k = TNet.OutputSize;
        fixed (double* destination = covariances)
        {
            var visitors = new FunctionalCovarianceVisitor<T>[Curvature<TNet, T>.WorkerCount(m)];
            for (int w = 0; w < visitors.Length; w++) visitors[w] = new FunctionalCovarianceVisitor<T>(destination, layers);
            Curvature<TNet, T>.Run(parameters, inputs, default, m, new IdentitySeed<T>(k), visitors);
        }
    }

    /// <summary>Per-parameter variances [P] in the augmented layout of every layer from <paramref name="firstLayer"/> on.</summary>
    public static LayerVariances?[] DiagonalLayers(ReadOnlySpan<double> variances, int firstLayer)
    {
        var table = TNet.Layers;
        var result = new LayerVariances?[table.Count];
        for (int l = firstLayer; l < table.Count; l++)
        {
            var layer = table[l];
            var s = new double[layer.WeightRows * layer.AugmentedColumns];
            KroneckerCovariance.Gather(layer, variances, s);
            result[l] = LayerVariances.Diagonal(s);
        }
        return result;
    }
}
