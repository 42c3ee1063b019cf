using System;
using System.Collections.Generic;
using System.Globalization;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.LinearAlgebra;
using Dnn2Gp.Runtime.Optimizers;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>
/// The GP-form marginal likelihood of targets t under y ~ N(0, K₀/δ + σ² I) for the whole family of prior precisions δ
/// and noise levels σ, from one eigendecomposition K₀ = U diag(μ) Uᵀ: with c = Uᵀ t,
/// log p(δ, σ) = −½ Σ cᵢ²/(μᵢ/δ + σ²) − ½ Σ log(μᵢ/δ + σ²) − (M/2) log 2π + constant, so every (δ, σ) costs O(M), and so
/// does its gradient. K₀ is a DNN2GP kernel with unit prior variance (J Jᵀ, or whitened Z Zᵀ with σ fixed at 1).
/// </summary>
/// <remarks>
/// K₀ is positive semi-definite by construction, so eigenvalues below zero are rounding errors (of order ε·‖K₀‖ for a
/// kernel of rank below M) and are counted as zero; σ² &gt; 0 keeps every term finite.
/// </remarks>
public sealed class KernelEvidence
{
    private readonly double[] _mu;
    private readonly double[] _squares;
    private readonly double _constant;

    /// <summary>
    /// Decomposes the symmetric <paramref name="order"/> × <paramref name="order"/> kernel K₀ (lower triangle read) and
    /// projects <paramref name="targets"/>. <paramref name="constant"/> is added to every value (e.g. the log-determinant of
    /// a whitening). With <paramref name="tunableNoise"/> false, σ is fixed at 1.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not fit, or a value is NaN or infinite.</exception>
    public KernelEvidence(ReadOnlySpan<double> kernel, int order, ReadOnlySpan<double> targets, bool tunableNoise = true, double constant = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(order);
        if (targets.Length != order)
            throw new ArgumentException($"The kernel is {order} × {order}, but {targets.Length} targets were given; give one per row.", nameof(targets));
        ModelArguments.CheckFinite("KernelEvidence", targets, nameof(targets));
        if (!double.IsFinite(constant)) throw new ArgumentOutOfRangeException(nameof(constant), constant, "The constant must be finite.");
        var eigen = EigenSystem.Compute(kernel, order, $"DNN2GP kernel ({order}×{order})");
        _mu = eigen.Eigenvalues.ToArray();
        var c = new double[order];
        eigen.Project(targets, c);
        _squares = new double[order];
        for (int i = 0; i < order; i++) _squares[i] = c[i] * c[i];
        _constant = constant - 0.5 * order * Math.Log(2 * Math.PI);
        TunableNoise = tunableNoise;
        Order = order;
    }

    /// <summary>M, the order of the kernel.</summary>
    public int Order { get; }

    /// <summary>Whether σ may differ from 1 (a Gaussian likelihood).</summary>
    public bool TunableNoise { get; }

    /// <summary>The eigenvalues μ of K₀, ascending.</summary>
    public ReadOnlySpan<double> Eigenvalues => _mu;

    /// <summary>log p(t | δ, σ) in O(M).</summary>
    public double LogMarginalLikelihood(double delta, double sigma = 1) => Evaluate(delta, sigma, out _, out _);

    /// <summary>log p(t | δ, σ) and its derivatives with respect to log δ and log σ, in O(M).</summary>
    public double Evaluate(double delta, double sigma, out double logDeltaGradient, out double logSigmaGradient)
    {
        CheckPoint(delta, sigma);
        double noise = sigma * sigma, value = 0, gDelta = 0, gSigma = 0;
        for (int i = 0; i < _mu.Length; i++)
        {
            double mu = Math.Max(_mu[i], 0), e = mu / delta + noise;
            value -= 0.5 * (_squares[i] / e + Math.Log(e));
            // ∂/∂e = ½ c²/e² − ½ /e;  ∂e/∂log δ = −μ/δ;  ∂e/∂log σ = 2σ².
            double de = 0.5 * (_squares[i] / (e * e) - 1 / e);
            gDelta -= de * mu / delta;
            gSigma += de * 2 * noise;
        }
        logDeltaGradient = gDelta;
        logSigmaGradient = TunableNoise ? gSigma : 0;
        return value + _constant;
    }

    /// <summary>log p on every (δ, σ) of the grid (σ = 1 when <paramref name="sigmas"/> is empty), best first in <see cref="TuningResult.Prior"/>.</summary>
    public TuningResult GridSearch(ReadOnlySpan<double> deltas, ReadOnlySpan<double> sigmas = default)
    {
        if (deltas.IsEmpty) throw new ArgumentException("The grid needs at least one δ.", nameof(deltas));
        ReadOnlySpan<double> noises = sigmas.IsEmpty ? [1.0] : sigmas;
        var grid = new List<EvidencePoint>(deltas.Length * noises.Length);
        EvidencePoint best = new(double.NaN, double.NaN, double.NegativeInfinity);
        foreach (double s in noises)
        {
            foreach (double d in deltas)
            {
                var point = new EvidencePoint(d, s, LogMarginalLikelihood(d, s));
                grid.Add(point);
                if (point.LogMarginalLikelihood > best.LogMarginalLikelihood) best = point;
            }
        }
        return new TuningResult("grid", PredictiveForm.FunctionSpace, PriorPrecision.Isotropic(best.Delta), TunableNoise ? best.Sigma : null,
            best.LogMarginalLikelihood, grid.Count, grid);
    }

    /// <summary>
    /// Maximises log p over log δ (and log σ when <paramref name="tuneSigma"/>) by Adam with a decaying step, from
    /// (<paramref name="delta"/>, <paramref name="sigma"/>).
    /// </summary>
    public TuningResult Maximize(double delta, double sigma = 1, bool tuneSigma = false, int steps = 300, double learningRate = 0.1)
    {
        CheckPoint(delta, sigma);
        if (tuneSigma && !TunableNoise) throw new ArgumentException("σ is fixed at 1 for this kernel (a classification likelihood).", nameof(tuneSigma));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var theta = new double[] { Math.Log(delta), Math.Log(sigma) };
        var gradient = new double[2];
        var adam = new Adam<double>(2, learningRate);
        double decay = Math.Pow(0.01, 1.0 / steps);
        for (int step = 0; step < steps; step++)
        {
            Evaluate(Math.Exp(theta[0]), Math.Exp(theta[1]), out double gd, out double gs);
            gradient[0] = -gd;
            gradient[1] = tuneSigma ? -gs : 0;
            adam.Step(theta, gradient);
            adam.LearningRate *= decay;
        }
        double bestDelta = Math.Exp(theta[0]), bestSigma = Math.Exp(theta[1]);
        return new TuningResult("gradient", PredictiveForm.FunctionSpace, PriorPrecision.Isotropic(bestDelta), TunableNoise ? bestSigma : null,
            LogMarginalLikelihood(bestDelta, bestSigma), steps + 1, []);
    }

    private void CheckPoint(double delta, double sigma)
    {
        if (!(delta > 0) || !double.IsFinite(delta))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "The prior precision δ must be positive and finite.");
        ModelArguments.CheckSigma(sigma);
        if (!TunableNoise && sigma != 1)
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, string.Create(CultureInfo.InvariantCulture,
                $"This kernel is whitened by the likelihood's Λ (classification), so its noise is fixed at σ = 1, not {sigma}."));
    }
}
