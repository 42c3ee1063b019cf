using System.Collections.Generic;
using System.Globalization;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>
/// A log marginal likelihood (natural log) and where it came from: the GP Cholesky form on the pseudo-targets
/// (<see cref="PredictiveForm.FunctionSpace"/>) or the weight-space Laplace–GGN form (<see cref="PredictiveForm.WeightSpace"/>),
/// with the report of the factorisation it needed (jitter, if any).
/// </summary>
public readonly record struct MarginalLikelihood(double Value, PredictiveForm Form, CholeskyReport Factorisation)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"log p = {Value:F4} ({(Form == PredictiveForm.FunctionSpace ? "GP form" : "weight-space form")}{(Factorisation.UsedJitter ? $", jitter {Factorisation.Jitter:G3}" : "")})");
}

/// <summary>One evaluation of a marginal likelihood on a hyperparameter grid: prior precision δ, noise σ (1 when fixed) and log p.</summary>
public readonly record struct EvidencePoint(double Delta, double Sigma, double LogMarginalLikelihood);

/// <summary>
/// The outcome of a hyperparameter search: the best prior (and noise σ for a Gaussian likelihood), its log marginal
/// likelihood, the form it was computed in, how many evaluations it took and, for a grid search, every grid point.
/// </summary>
/// <param name="Method">"grid" or "gradient".</param>
/// <param name="Form">Which marginal likelihood was maximised.</param>
/// <param name="Prior">The best prior precision.</param>
/// <param name="Sigma">The best noise σ (null when the likelihood has none or it was not tuned and is not Gaussian).</param>
/// <param name="LogMarginalLikelihood">log p at the best point.</param>
/// <param name="Evaluations">Evaluations of log p (and its gradient) made.</param>
/// <param name="Grid">The grid points in the order evaluated (empty for a gradient search).</param>
public sealed record TuningResult(string Method, PredictiveForm Form, PriorPrecision Prior, double? Sigma, double LogMarginalLikelihood,
    int Evaluations, IReadOnlyList<EvidencePoint> Grid)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Method} search ({Form}): {Prior}{(Sigma is double s ? $", σ = {s:G6}" : "")}, log p = {LogMarginalLikelihood:F4} after {Evaluations} evaluation(s)");
}
