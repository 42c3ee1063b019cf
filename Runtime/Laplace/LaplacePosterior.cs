using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// A Laplace posterior q(w) = N(w*, Σ) around trained parameters w*, with precision Σ⁻¹ = GGN + P₀ in one of the
/// structures of <see cref="LaplaceStructure"/> (made by <see cref="Laplace{TNet,T}.Fit"/>). It gives the precision and
/// covariance as operators, samples, the log-determinant, the <see cref="Curvature.Covariance"/> for kernels, the
/// linearised (GLM) predictive J(x) Σ J(x)ᵀ, and the Laplace–GGN evidence with its hyperparameters (the prior
/// precision and, for a Gaussian likelihood, the noise σ) changeable from the cached curvature.
/// </summary>
/// <remarks>
/// All linear algebra is in double. Vectors passed to <see cref="MultiplyPrecision"/>, <see cref="MultiplyCovariance"/>
/// are over the posterior's own parameters: all P of them, or for <see cref="LaplaceStructure.LastLayer"/> the
/// <see cref="Dimension"/> parameters of the last layer starting at <see cref="Offset"/>.
/// </remarks>
public abstract class LaplacePosterior<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private double[]? _layerSquares;

    private protected LaplacePosterior(T[] mean, LikelihoodTerms terms, PriorPrecision prior, double? sigma)
    {
        _mean = mean;
        Terms = terms;
        Prior = prior;
        NoiseSigma = terms.Likelihood is GaussianLikelihood g ? sigma ?? g.Sigma : null;
        PriorValues = prior.Expand(TNet.Layers);
        GgnScale = terms.GgnScale(NoiseSigma);
    }

    /// <summary>The structure of the precision.</summary>
    public abstract LaplaceStructure Structure { get; }

    /// <summary>The prior precision P₀ in the posterior.</summary>
    public PriorPrecision Prior { get; }

    /// <summary>The noise σ of a Gaussian likelihood the GGN is scaled to (the declared one unless changed); null for classification.</summary>
    public double? NoiseSigma { get; }

    /// <summary>N, the training examples the GGN sums over.</summary>
    public int TrainCount => Terms.Examples;

    /// <summary>w*, the posterior mean (the trained parameters, all P of them).</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>The first network parameter the posterior is over (0 except for a last-layer posterior).</summary>
    public virtual int Offset => 0;

    /// <summary>How many parameters the posterior is over (P, or the last layer's count).</summary>
    public virtual int Dimension => TNet.ParameterCount;

    /// <summary>log p(y | w*) of the training data (normalising constants included), with <see cref="NoiseSigma"/>.</summary>
    public double LogLikelihood => Terms.LogLikelihood(NoiseSigma);

    /// <summary>log det Σ⁻¹, the log-determinant of the posterior precision (over <see cref="Dimension"/> parameters).</summary>
    public abstract double LogDeterminant { get; }

    /// <summary>The covariance Σ as a <see cref="Curvature.Covariance"/> over all P parameters, for <c>Curvature.Kernel</c>.</summary>
    /// <exception cref="NotSupportedException">A last-layer posterior (use <see cref="Kernel"/> and <see cref="FunctionalCovariance"/>).</exception>
    public abstract Covariance Covariance { get; }

    private protected LikelihoodTerms Terms { get; }

    /// <summary>The stored w* (shared with posteriors rebuilt from this one; never written).</summary>
    private protected T[] MeanStorage => _mean;

    /// <summary>P₀ per network parameter [P].</summary>
    private protected double[] PriorValues { get; }

    /// <summary>(σ_declared / σ)²: the factor between the GGN as computed and the GGN at <see cref="NoiseSigma"/>.</summary>
    private protected double GgnScale { get; }

    /// <summary>The parametrised layers the posterior covers (all, or the last one).</summary>
    private protected virtual int FirstCoveredLayer => 0;

    /// <summary>result = Σ⁻¹ v (vectors of <see cref="Dimension"/> values).</summary>
    public void MultiplyPrecision(ReadOnlySpan<double> vector, Span<double> result)
    {
        CheckVector(vector, nameof(vector));
        CheckVector(result, nameof(result));
        PrecisionProduct(vector, result);
    }

    /// <summary>result = Σ v (vectors of <see cref="Dimension"/> values).</summary>
    public void MultiplyCovariance(ReadOnlySpan<double> vector, Span<double> result)
    {
        CheckVector(vector, nameof(vector));
        CheckVector(result, nameof(result));
        CovarianceProduct(vector, result);
    }

    /// <summary>Writes one draw w ~ N(w*, Σ) as a whole parameter vector [P] (the parameters outside the posterior stay at w*).</summary>
    public void Sample(int seed, Span<T> parameters) => Samples(1, seed, parameters);

    /// <summary>Writes <paramref name="count"/> draws w ~ N(w*, Σ) [count, P], from a generator seeded by <paramref name="seed"/>.</summary>
    public void Samples(int count, int seed, Span<T> samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int p = TNet.ParameterCount, d = Dimension, offset = Offset;
        if (samples.Length < (long)count * p)
            throw new ArgumentException($"{TNet.Name}: 'samples' has {samples.Length:N0} elements, but {count} samples of {p:N0} parameters need {(long)count * p:N0}.", nameof(samples));
        var random = new Random(seed);
        var z = new double[d];
        var deviation = new double[d];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < d; i++) z[i] = Data.Gaussian.Next(random);
            Deviation(z, deviation);
            Span<T> w = samples.Slice(s * p, p);
            _mean.CopyTo(w);
            for (int i = 0; i < d; i++) w[offset + i] = T.CreateTruncating(double.CreateTruncating(_mean[offset + i]) + deviation[i]);
        }
    }

    /// <summary>
    /// The Laplace–GGN evidence log p(y) ≈ log p(y | w*) − ½ w*ᵀ P₀ w* + ½ log det P₀ − ½ log det Σ⁻¹ (over the posterior's
    /// parameters) at the posterior's own hyperparameters.
    /// </summary>
    public double LogMarginalLikelihood() => Evidence(Prior, NoiseSigma, default, out _);

    /// <summary>
    /// The evidence with another prior precision and (Gaussian likelihood) noise σ, from the cached curvature at the same
    /// w*: O(P) per call for diagonal and KFAC posteriors and for full/last-layer ones with an isotropic prior (a cached
    /// eigendecomposition of the GGN); a Cholesky factorisation otherwise. No pass over the data.
    /// </summary>
    public double LogMarginalLikelihood(PriorPrecision prior, double? sigma = null)
    {
        CheckHyperparameters(prior, sigma);
        return Evidence(prior, sigma ?? NoiseSigma, default, out _);
    }

    /// <summary>
    /// The evidence at (<paramref name="prior"/>, <paramref name="sigma"/>) and its closed-form gradient with respect to the
    /// log-hyperparameters: log δ (isotropic prior, one entry) or log δₗ (layer-wise prior, one entry per layer) into
    /// <paramref name="logPriorGradient"/>, and log σ (Gaussian likelihood; 0 otherwise). Costs as
    /// <see cref="LogMarginalLikelihood(PriorPrecision, double?)"/>, plus O(P²) for a dense layer-wise search.
    /// </summary>
    public double LogMarginalLikelihood(PriorPrecision prior, double? sigma, Span<double> logPriorGradient, out double logSigmaGradient)
    {
        CheckHyperparameters(prior, sigma);
        int expected = prior.Structure switch
        {
            PriorStructure.Isotropic => 1,
            PriorStructure.Layerwise => TNet.Layers.Count,
            _ => throw new NotSupportedException("Evidence gradients are implemented for isotropic and layer-wise priors."),
        };
        if (logPriorGradient.Length != expected)
            throw new ArgumentException($"{TNet.Name}: a {prior.Structure} prior has {expected} log-precision(s), but 'logPriorGradient' has {logPriorGradient.Length} elements.", nameof(logPriorGradient));
        return Evidence(prior, sigma ?? NoiseSigma, logPriorGradient, out logSigmaGradient);
    }

    /// <summary>A posterior at the same w* with another prior precision and (Gaussian likelihood) noise σ, reusing the cached curvature.</summary>
    public LaplacePosterior<TNet, T> WithHyperparameters(PriorPrecision prior, double? sigma = null)
    {
        CheckHyperparameters(prior, sigma);
        return Rebuild(prior, sigma ?? NoiseSigma);
    }

    /// <summary>
    /// The per-input covariance of the linearised outputs, J(xₑ) Σ J(xₑ)ᵀ, for <paramref name="m"/> inputs: [m, K, K].
    /// Diagonal and KFAC posteriors contract the factored Jacobians (no per-example Jacobian is formed); full and
    /// last-layer ones solve with their Cholesky factor on blocks of explicit rows.
    /// </summary>
    public void FunctionalCovariance(ReadOnlySpan<T> inputs, int m, Span<double> covariances)
    {
        ModelArguments.CheckInputs<TNet, T>(_mean, inputs, m, nameof(inputs));
        int k = TNet.OutputSize;
        if (covariances.Length < (long)m * k * k)
            throw new ArgumentException($"{TNet.Name}: 'covariances' has {covariances.Length:N0} elements, but [{m:N0}, {k}, {k}] needs {(long)m * k * k:N0}.", nameof(covariances));
        covariances.Slice(0, m * k * k).Clear();
        if (m > 0) AccumulateFunctionalCovariance(inputs, m, covariances);
    }

    /// <summary>
    /// The posterior kernel J(X₁) Σ J(X₂)ᵀ of the logits (<see cref="KernelBlocks.PerOutput"/> [K, M₁, M₂] or
    /// <see cref="KernelBlocks.Full"/> [M₁K, M₂K]).
    /// </summary>
    public virtual void Kernel(ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2, KernelBlocks blocks, Span<double> kernel)
    {
        ModelArguments.CheckInputs<TNet, T>(_mean, inputs1, m1, nameof(inputs1));
        ModelArguments.CheckInputs<TNet, T>(_mean, inputs2, m2, nameof(inputs2));
        Curvature<TNet, T>.Kernel(_mean, inputs1, m1, inputs2, m2, Covariance, blocks, kernel);
    }

    /// <summary>
    /// The linearised (GLM) predictive of f at <paramref name="m"/> inputs: mean f_w*(x) and covariance J(x) Σ J(x)ᵀ, with
    /// σ² attached for a Gaussian likelihood (<see cref="FunctionPrediction.VarianceOfY"/>).
    /// </summary>
    public FunctionPrediction Predict(ReadOnlySpan<T> inputs, int m)
    {
        ModelArguments.CheckInputs<TNet, T>(_mean, inputs, m, nameof(inputs));
        int k = TNet.OutputSize;
        var outputs = new T[(long)m * k];
        TNet.Forward(_mean, inputs, outputs, m);
        var mean = new double[outputs.Length];
        for (int i = 0; i < mean.Length; i++) mean[i] = double.CreateTruncating(outputs[i]);
        var covariances = new double[(long)m * k * k];
        FunctionalCovariance(inputs, m, covariances);
        return new FunctionPrediction(m, k, mean, covariances, NoiseSigma is double s ? s * s : null, PredictiveForm.WeightSpace);
    }

    /// <summary>
    /// The evidence at (<paramref name="prior"/>, <paramref name="sigma"/>) and, when <paramref name="logPriorGradient"/> is
    /// not empty, its gradient with respect to log δ (one entry, isotropic) or log δₗ (one per layer), and with respect to
    /// log σ (Gaussian).
    /// </summary>
    internal double Evidence(PriorPrecision prior, double? sigma, Span<double> logPriorGradient, out double logSigmaGradient)
    {
        double scale = Terms.GgnScale(sigma);
        var layers = TNet.Layers;
        int first = Offset, d = Dimension;
        bool gradient = !logPriorGradient.IsEmpty;
        if (gradient && prior.Structure == PriorStructure.Diagonal)
            throw new NotSupportedException("Evidence gradients are implemented for isotropic and layer-wise priors.");
        // Per-parameter precisions only for a diagonal prior; otherwise per layer, with cached Σ w² per layer (O(L)).
        double[]? p = prior.Structure != PriorStructure.Diagonal ? null : ReferenceEquals(prior, Prior) ? PriorValues : prior.Expand(layers);
        double quadratic = 0, logPrior = 0;
        if (p is null)
        {
            double[] squares = LayerSquares();
            for (int l = FirstCoveredLayer; l < layers.Count; l++)
            {
                double delta = prior.Structure == PriorStructure.Isotropic ? prior.Delta : prior.Values[l];
                quadratic += delta * squares[l];
                logPrior += layers[l].ParameterCount * Math.Log(delta);
            }
        }
        else
        {
            for (int i = first; i < first + d; i++)
            {
                double w = double.CreateTruncating(_mean[i]);
                quadratic += p[i] * w * w;
                logPrior += Math.Log(p[i]);
            }
        }
        Span<double> traces = gradient ? new double[logPriorGradient.Length] : default;
        double logDet = LogDetAndTraces(prior, p, scale, traces);
        double value = Terms.LogLikelihood(sigma) - 0.5 * quadratic + 0.5 * logPrior - 0.5 * logDet;
        logSigmaGradient = 0;
        if (!gradient) return value;

        // ∂/∂ log δₗ = −½ δₗ ‖wₗ‖² + ½ nₗ − ½ δₗ tr_l(Σ);  ∂/∂ log σ = SSE/σ² − NK + d − Σₗ δₗ tr_l(Σ).
        double weightedTrace = 0;
        if (prior.Structure == PriorStructure.Isotropic)
        {
            double delta = prior.Delta;
            logPriorGradient[0] = -0.5 * delta * SquaredNorm(first, d) + 0.5 * d - 0.5 * delta * traces[0];
            weightedTrace = delta * traces[0];
        }
        else
        {
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                if (l < FirstCoveredLayer)
                {
                    logPriorGradient[l] = 0;
                    continue;
                }
                double delta = prior.Values[l];
                logPriorGradient[l] = -0.5 * delta * SquaredNorm(layer.WeightOffset, layer.ParameterCount) + 0.5 * layer.ParameterCount - 0.5 * delta * traces[l];
                weightedTrace += delta * traces[l];
            }
        }
        if (sigma is double s) logSigmaGradient = Terms.LogLikelihoodSigmaGradient(s) + d - weightedTrace;
        return value;
    }

    /// <summary>
    /// log det(scale·GGN + P₀) over the posterior's parameters for <paramref name="prior"/> (its per-parameter precisions
    /// <paramref name="priorValues"/> [P] when it is diagonal, else null); when <paramref name="traces"/> is not empty also
    /// Σ (Σ)ᵢᵢ over all covered parameters (one entry, isotropic prior) or over each layer's parameters (one per layer).
    /// </summary>
    private protected abstract double LogDetAndTraces(PriorPrecision prior, double[]? priorValues, double scale, Span<double> traces);

    /// <summary>Σ wᵢ² over each layer's parameters (computed once).</summary>
    private double[] LayerSquares()
    {
        if (_layerSquares is not null) return _layerSquares;
        var layers = TNet.Layers;
        var squares = new double[layers.Count];
        for (int l = 0; l < layers.Count; l++) squares[l] = SquaredNorm(layers[l].WeightOffset, layers[l].ParameterCount);
        return _layerSquares = squares;
    }

    private protected abstract void PrecisionProduct(ReadOnlySpan<double> vector, Span<double> result);

    private protected abstract void CovarianceProduct(ReadOnlySpan<double> vector, Span<double> result);

    /// <summary>Σ^{1/2} z for a standard normal z (both of <see cref="Dimension"/> values), any square root with Σ^{1/2}Σ^{1/2}ᵀ = Σ.</summary>
    private protected abstract void Deviation(ReadOnlySpan<double> z, Span<double> deviation);

    private protected abstract void AccumulateFunctionalCovariance(ReadOnlySpan<T> inputs, int m, Span<double> covariances);

    private protected abstract LaplacePosterior<TNet, T> Rebuild(PriorPrecision prior, double? sigma);

    /// <summary>Σᵢ wᵢ² over parameters [offset, offset + count).</summary>
    private double SquaredNorm(int offset, int count)
    {
        double sum = 0;
        for (int i = offset; i < offset + count; i++)
        {
            double w = double.CreateTruncating(_mean[i]);
            sum += w * w;
        }
        return sum;
    }

    private protected void CheckHyperparameters(PriorPrecision prior, double? sigma)
    {
        ArgumentNullException.ThrowIfNull(prior);
        prior.CheckFor(TNet.Layers);
        CheckPriorForStructure(prior);
        if (sigma is double s)
        {
            if (Terms.Likelihood is not GaussianLikelihood)
                throw new ArgumentException($"{TNet.Name}: a noise σ applies to a Gaussian likelihood only, but the network has {Terms.Likelihood}.", nameof(sigma));
            ModelArguments.CheckSigma(s);
        }
    }

    /// <summary>Structure-specific restrictions on the prior (KFAC: one precision per layer).</summary>
    private protected virtual void CheckPriorForStructure(PriorPrecision prior) { }

    /// <summary>The variance of every covered parameter in the augmented layout [rows, cols] of each covered layer.</summary>
    private protected static LayerVariances?[] DiagonalLayerVariances(ReadOnlySpan<double> variances, int firstLayer) =>
        FunctionalCovariances<TNet, T>.DiagonalLayers(variances, firstLayer);

    /// <summary>Runs the functional-covariance visitor with logit seeds over <paramref name="m"/> inputs.</summary>
    private protected void RunFunctionalCovariance(ReadOnlySpan<T> inputs, int m, LayerVariances?[] layers, Span<double> covariances) =>
        FunctionalCovariances<TNet, T>.Accumulate(_mean, inputs, m, layers, covariances);

    private void CheckVector(ReadOnlySpan<double> vector, string name)
    {
        if (vector.Length != Dimension)
            throw new ArgumentException($"{TNet.Name}: '{name}' has {vector.Length:N0} elements, but the {Structure} posterior is over {Dimension:N0} parameters.", name);
    }
}
