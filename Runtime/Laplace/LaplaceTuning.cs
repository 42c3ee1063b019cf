using System;
using System.Collections.Generic;
using System.Numerics;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Optimizers;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// Tunes a Laplace posterior's prior precision δ (scalar or per layer) and, for a Gaussian likelihood, its noise σ by
/// the Laplace–GGN evidence, from the curvature cached at fit time: a grid search (each point O(P) for diagonal and
/// KFAC posteriors and for dense ones with an isotropic prior, via one cached eigendecomposition of the GGN) or gradient
/// ascent on the log-hyperparameters with the closed-form gradient. Nothing passes over the data again; the tuned
/// posterior is <c>posterior.WithHyperparameters(result.Prior, result.Sigma)</c>.
/// </summary>
public static class LaplaceTuning
{
    /// <summary>
    /// Evaluates the evidence at every isotropic δ of <paramref name="deltas"/> (and every σ of <paramref name="sigmas"/>,
    /// Gaussian likelihood only; empty keeps the posterior's σ) and returns the best point with the whole grid.
    /// </summary>
    public static TuningResult GridSearch<TNet, T>(LaplacePosterior<TNet, T> posterior, ReadOnlySpan<double> deltas, ReadOnlySpan<double> sigmas = default)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(posterior);
        if (deltas.IsEmpty) throw new ArgumentException("The grid needs at least one δ.", nameof(deltas));
        foreach (double d in deltas)
        {
            if (!(d > 0) || !double.IsFinite(d)) throw new ArgumentOutOfRangeException(nameof(deltas), d, "Every δ of the grid must be positive and finite.");
        }
        if (!sigmas.IsEmpty && posterior.NoiseSigma is null)
            throw new ArgumentException("A σ grid applies to a Gaussian likelihood only.", nameof(sigmas));
        foreach (double s in sigmas) ModelArguments.CheckSigma(s, nameof(sigmas));
        double? own = posterior.NoiseSigma;
        int noiseCount = sigmas.IsEmpty ? 1 : sigmas.Length;
        var grid = new List<EvidencePoint>(deltas.Length * noiseCount);
        EvidencePoint best = new(double.NaN, double.NaN, double.NegativeInfinity);
        for (int j = 0; j < noiseCount; j++)
        {
            double? sigma = sigmas.IsEmpty ? own : sigmas[j];
            foreach (double delta in deltas)
            {
                double value = posterior.Evidence(PriorPrecision.Isotropic(delta), sigma, default, out _);
                var point = new EvidencePoint(delta, sigma ?? 1, value);
                grid.Add(point);
                if (value > best.LogMarginalLikelihood) best = point;
            }
        }
        return new TuningResult("grid", PredictiveForm.WeightSpace, PriorPrecision.Isotropic(best.Delta), own is null ? null : best.Sigma,
            best.LogMarginalLikelihood, grid.Count, grid);
    }

    /// <summary>
    /// Maximises the evidence over log δ (<see cref="PriorStructure.Isotropic"/>) or log δₗ per layer
    /// (<see cref="PriorStructure.Layerwise"/>) and, with <paramref name="tuneSigma"/>, log σ, by Adam with a step decaying
    /// from <paramref name="learningRate"/> to 1% of it over <paramref name="steps"/> steps, from the posterior's own
    /// hyperparameters (collapsed to their geometric mean for an isotropic search).
    /// </summary>
    public static TuningResult Optimize<TNet, T>(LaplacePosterior<TNet, T> posterior, PriorStructure structure = PriorStructure.Isotropic,
        bool tuneSigma = false, int steps = 300, double learningRate = 0.1)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(posterior);
        if (structure is not (PriorStructure.Isotropic or PriorStructure.Layerwise))
            throw new ArgumentOutOfRangeException(nameof(structure), structure, "Gradient tuning is implemented for isotropic and layer-wise priors.");
        if (tuneSigma && posterior.NoiseSigma is null)
            throw new ArgumentException("σ can be tuned for a Gaussian likelihood only.", nameof(tuneSigma));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and finite.");

        var layers = TNet.Layers;
        int count = structure == PriorStructure.Isotropic ? 1 : layers.Count;
        var theta = new double[count + 1];
        double[] start = InitialLogPrecisions(posterior.Prior, layers, count);
        start.CopyTo(theta, 0);
        theta[count] = Math.Log(posterior.NoiseSigma ?? 1);
        var gradient = new double[count + 1];
        var priorGradient = new double[count];
        var adam = new Adam<double>(count + 1, learningRate);
        double decay = Math.Pow(0.01, 1.0 / steps);
        for (int step = 0; step < steps; step++)
        {
            var prior = Prior(structure, theta, count);
            double? sigma = posterior.NoiseSigma is null ? null : Math.Exp(theta[count]);
            posterior.Evidence(prior, sigma, priorGradient, out double sigmaGradient);
            for (int i = 0; i < count; i++) gradient[i] = -priorGradient[i];
            gradient[count] = tuneSigma ? -sigmaGradient : 0;
            adam.Step(theta, gradient);
            adam.LearningRate *= decay;
        }
        var best = Prior(structure, theta, count);
        double? bestSigma = posterior.NoiseSigma is null ? null : Math.Exp(theta[count]);
        double value = posterior.Evidence(best, bestSigma, default, out _);
        return new TuningResult("gradient", PredictiveForm.WeightSpace, best, bestSigma, value, steps + 1, []);
    }

    private static PriorPrecision Prior(PriorStructure structure, double[] theta, int count)
    {
        if (structure == PriorStructure.Isotropic) return PriorPrecision.Isotropic(Math.Exp(theta[0]));
        var deltas = new double[count];
        for (int i = 0; i < count; i++) deltas[i] = Math.Exp(theta[i]);
        return PriorPrecision.Layerwise(deltas);
    }

    private static double[] InitialLogPrecisions(PriorPrecision prior, Curvature.LayerTable layers, int count)
    {
        var perParameter = prior.Expand(layers);
        var result = new double[count];
        if (count == 1)
        {
            double sum = 0;
            foreach (double v in perParameter) sum += Math.Log(v);
            result[0] = sum / perParameter.Length;
            return result;
        }
        for (int l = 0; l < layers.Count; l++)
        {
            double sum = 0;
            var layer = layers[l];
            for (int i = layer.WeightOffset; i < layer.WeightOffset + layer.ParameterCount; i++) sum += Math.Log(perParameter[i]);
            result[l] = sum / layer.ParameterCount;
        }
        return result;
    }
}
