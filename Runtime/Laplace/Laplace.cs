using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The one factory of Laplace posteriors: <see cref="Fit"/> takes trained parameters w*, the training data and a
/// <see cref="LaplaceStructure"/>, and returns the matching <see cref="LaplacePosterior{TNet,T}"/>
/// (<see cref="FullLaplace{TNet,T}"/>, <see cref="DiagonalLaplace{TNet,T}"/>, <see cref="KfacLaplace{TNet,T}"/> or
/// <see cref="LastLayerLaplace{TNet,T}"/>), all from the exact GGN of the declared likelihood.
/// </summary>
/// <example>
/// <code>
/// var laplace = Laplace&lt;MnistMlp, float&gt;.Fit(w, train.Inputs, train.Targets, train.Count, LaplaceStructure.Diagonal,
///     PriorPrecision.Isotropic(1e-4));
/// var prediction = laplace.Predict(test.Inputs, test.Count);          // f_w*(x) and J Σ Jᵀ per input
/// var tuned = LaplaceTuning.GridSearch(laplace, Grids.Logspace(-4, 4, 100));  // δ by the evidence, O(P) per point
/// </code>
/// </example>
public static class Laplace<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Fits a Laplace posterior around <paramref name="parameters"/> (w*) on <paramref name="n"/> training inputs and
    /// targets. The prior defaults to the one the network declares; <paramref name="sigma"/> (Gaussian likelihood only)
    /// overrides the declared noise; <paramref name="jitter"/> is the ladder the dense structures' Cholesky may climb
    /// (<see cref="JitterPolicy.Default"/>; the jitter used is reported by their <c>Factorisation</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A shape is wrong, an input or parameter is NaN or infinite, a label is out of range,
    /// or the prior does not fit the network or structure — all checked before any work.</exception>
    /// <exception cref="InsufficientMemoryException">A full posterior whose P × P matrices cannot fit (nothing is started).</exception>
    /// <exception cref="NotPositiveDefiniteException">A dense precision did not factor even with the largest jitter allowed.</exception>
    public static LaplacePosterior<TNet, T> Fit(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int n,
        LaplaceStructure structure, PriorPrecision? prior = null, double? sigma = null, JitterPolicy? jitter = null)
    {
        if (!Enum.IsDefined(structure))
            throw new ArgumentOutOfRangeException(nameof(structure), structure, "Unknown Laplace structure; use Full, Diagonal, Kfac or LastLayer.");
        ModelArguments.CheckTraining<TNet, T>(parameters, inputs, targets, n);
        var layers = TNet.Layers;
        prior ??= PriorPrecision.FromDeclared(TNet.Prior);
        prior.CheckFor(layers);
        if (sigma is double s)
        {
            if (TNet.Likelihood is not GaussianLikelihood)
                throw new ArgumentException($"{TNet.Name}: a noise σ applies to a Gaussian likelihood only, but the network has {TNet.Likelihood}.", nameof(sigma));
            ModelArguments.CheckSigma(s);
        }
        var policy = jitter ?? JitterPolicy.Default;
        switch (structure)
        {
            case LaplaceStructure.Full:
                Curvature<TNet, T>.Plan.FullGgn.EnsureFits();
                break;
            case LaplaceStructure.Kfac:
                foreach (var layer in layers)
                {
                    if (layer.Kind != ParametrizedLayerKind.Dense)
                        throw new NotSupportedException($"{TNet.Name}: KFAC posteriors are implemented for dense layers; {layer} is not. Use a diagonal or last-layer posterior.");
                }
                KfacLaplace<TNet, T>.CheckPrior(prior);
                break;
        }

        T[] mean = parameters.ToArray();
        var terms = LikelihoodTerms.Compute<TNet, T>(parameters, inputs, targets, n);
        switch (structure)
        {
            case LaplaceStructure.Diagonal:
            {
                var ggn = new double[TNet.ParameterCount];
                Curvature<TNet, T>.GgnDiagonal(parameters, inputs, n, ggn);
                return new DiagonalLaplace<TNet, T>(mean, terms, ggn, prior, sigma);
            }
            case LaplaceStructure.Full:
            {
                int p = TNet.ParameterCount;
                var ggn = DenseRows<TNet, T>.Ggn(parameters, inputs, n, 0, 0, p);
                return new FullLaplace<TNet, T>(mean, terms, new DenseCurvature(ggn, p), prior, sigma, policy);
            }
            case LaplaceStructure.Kfac:
            {
                var factors = Curvature<TNet, T>.Kfac(parameters, inputs, n);
                double unitRoundoff = typeof(T) == typeof(float) ? Math.ScaleB(1.0, -23) : Math.ScaleB(1.0, -52);
                return new KfacLaplace<TNet, T>(mean, terms, new KfacEigen(factors, TNet.Name, unitRoundoff), prior, sigma);
            }
            default:
            {
                var last = LastLayerLaplace<TNet, T>.Layer;
                var ggn = DenseRows<TNet, T>.Ggn(parameters, inputs, n, layers.Count - 1, last.WeightOffset, last.ParameterCount);
                return new LastLayerLaplace<TNet, T>(mean, terms, new DenseCurvature(ggn, last.ParameterCount), prior, sigma, policy);
            }
        }
    }
}
