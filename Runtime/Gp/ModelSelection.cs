using System;
using System.Collections.Generic;
using System.Linq;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>One model of a comparison: its name, log marginal likelihood, log Bayes factor against the best, and posterior probability.</summary>
public readonly record struct RankedModel(string Name, double LogMarginalLikelihood, double LogBayesFactor, double Probability);

/// <summary>
/// Model selection by the marginal likelihood across separately trained networks (e.g. widths, depths or noise levels):
/// ranks the models, gives each one's log Bayes factor against the best and its posterior probability under a uniform
/// prior over the models.
/// </summary>
public static class ModelSelection
{
    /// <summary>The models ranked best first.</summary>
    /// <exception cref="ArgumentException">No models, or a log marginal likelihood that is NaN.</exception>
    public static IReadOnlyList<RankedModel> Rank(IReadOnlyList<(string Name, double LogMarginalLikelihood)> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("Model selection needs at least one model.", nameof(models));
        foreach (var (name, value) in models)
        {
            if (double.IsNaN(value) || double.IsPositiveInfinity(value))
                throw new ArgumentException($"Model '{name}' has log marginal likelihood {value}; it must be finite or −∞ (a failed fit).", nameof(models));
        }
        double best = models.Max(m => m.LogMarginalLikelihood);
        double normaliser = 0;
        foreach (var m in models) normaliser += Math.Exp(m.LogMarginalLikelihood - best);
        return models
            .Select(m => new RankedModel(m.Name, m.LogMarginalLikelihood, m.LogMarginalLikelihood - best, Math.Exp(m.LogMarginalLikelihood - best) / normaliser))
            .OrderByDescending(m => m.LogMarginalLikelihood)
            .ToList();
    }
}
