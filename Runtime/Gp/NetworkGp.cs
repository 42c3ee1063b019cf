using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>
/// DNN2GP (Khan et al. 2019): a trained network w* as a Gaussian process. The linear model ỹᵢ = J(xᵢ) w + εᵢ with
/// pseudo-targets ỹᵢ = J(xᵢ) w* − Λᵢ⁻¹ rᵢ, noise εᵢ ~ N(0, Λᵢ⁻¹) and prior w ~ N(0, S₀ = P₀⁻¹) has, when w* is a
/// stationary point of the training loss, exactly the Laplace–GGN posterior N(w*, (GGN + P₀)⁻¹); equivalently f̃ is a GP
/// with kernel κ(x, x′) = J(x) S₀ J(x′)ᵀ (δ⁻¹ J Jᵀ for an isotropic prior) regressed on the pseudo-targets.
/// </summary>
/// <remarks>
/// <para>
/// Function space (M = N·c rows, c = K except Bernoulli's 1): the model is whitened by a square-root factor S of Λ, so the
/// noise is I and the kernel Z S₀ Zᵀ of the rows Z = Sᵀ J is contracted from factored Jacobians (never formed); one
/// Cholesky of Z S₀ Zᵀ + I (jitter ladder, reported) gives the GP predictive and the marginal likelihood. Weight space
/// (P × P): the twin <see cref="FullLaplace{TNet,T}"/> with the same prior and noise; its mean is solved, not assumed, so
/// both forms agree to rounding on any problem. The marginal likelihood's weight-space form is the Laplace–GGN formula of
/// METHODS I.5, which equals the GP form exactly when w* is stationary.
/// </para>
/// <para>Softmax outputs: the null direction of Λ is removed (pseudo-inverse, pseudo-determinant; see <c>OutputSpace</c>).</para>
/// </remarks>
public sealed class NetworkGp<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly T[] _inputs;
    private readonly T[] _targets;
    private readonly double[] _outputs;       // f_w*(xᵢ) [N, K]
    private readonly double[] _linearised;    // J(xᵢ) w* [N, K]
    private readonly double[] _seeds;         // Sᵢᵀ rows [N, c, K]
    private readonly double[] _whitened;      // zᵢ = Sᵢᵀ J w* − Sᵢ⁺ rᵢ [N·c]
    private readonly double[] _whitenedResidual; // Sᵢ⁺ rᵢ [N·c]
    private readonly double _logPseudoDeterminant;
    private readonly JitterPolicy _jitter;
    private readonly Covariance _priorCovariance;
    private FactorSet? _trainFactors;
    private CholeskyFactor? _gram;
    private double[]? _alpha;
    private FullLaplace<TNet, T>? _weightSpace;
    private double[]? _posteriorMean;

    private NetworkGp(T[] parameters, T[] inputs, T[] targets, int n, PriorPrecision prior, double? sigma, JitterPolicy jitter)
    {
        _parameters = parameters;
        _inputs = inputs;
        _targets = targets;
        TrainCount = n;
        Prior = prior;
        NoiseSigma = sigma;
        _jitter = jitter;
        int k = TNet.OutputSize, c = SeedsPerExample, p = TNet.ParameterCount;
        var likelihood = TNet.Likelihood;
        double s = sigma ?? 1.0;

        var f = new T[(long)n * k];
        TNet.Forward(parameters, inputs, f, n);
        _outputs = Convert(f);
        var jw = new T[(long)n * k];
        Curvature<TNet, T>.JacobianVectorProduct(parameters, inputs, n, parameters, jw);
        _linearised = Convert(jw);

        _seeds = new double[(long)n * c * k];
        _whitened = new double[(long)n * c];
        _whitenedResidual = new double[(long)n * c];
        var target = new double[TNet.TargetSize];
        double logDet = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> fi = _outputs.AsSpan(i * k, k);
            for (int t = 0; t < target.Length; t++) target[t] = double.CreateTruncating(targets[i * target.Length + t]);
            Span<double> seeds = _seeds.AsSpan(i * c * k, c * k);
            Span<double> u = _whitenedResidual.AsSpan(i * c, c);
            OutputSpace.Seeds(likelihood, fi, s, seeds);
            OutputSpace.WhitenedResidual(likelihood, fi, target, s, u);
            ReadOnlySpan<double> ji = _linearised.AsSpan(i * k, k);
            for (int r = 0; r < c; r++)
            {
                double dot = 0;
                for (int j = 0; j < k; j++) dot += seeds[r * k + j] * ji[j];
                _whitened[i * c + r] = dot - u[r];
            }
            logDet += OutputSpace.LogPseudoDeterminant(likelihood, fi, s);
        }
        _logPseudoDeterminant = logDet;
        _priorCovariance = prior.Structure == PriorStructure.Isotropic
            ? new IsotropicCovariance(p, 1 / prior.Delta)
            : new DiagonalCovariance(Reciprocal(prior.Expand(TNet.Layers)));
    }

    /// <summary>
    /// Builds the GP of the network at <paramref name="parameters"/> (w*) from <paramref name="n"/> training inputs and
    /// targets, with the prior precision P₀ (default: the declared prior) and, for a Gaussian likelihood, the noise σ
    /// (default: the declared one). Copies what it keeps; inputs are checked (finite, labels in range) before any work.
    /// </summary>
    public static NetworkGp<TNet, T> Create(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int n,
        PriorPrecision? prior = null, double? sigma = null, JitterPolicy? jitter = null)
    {
        ModelArguments.CheckTraining<TNet, T>(parameters, inputs, targets, n);
        prior ??= PriorPrecision.FromDeclared(TNet.Prior);
        prior.CheckFor(TNet.Layers);
        double? noise = null;
        if (TNet.Likelihood is GaussianLikelihood g) noise = ModelArguments.CheckSigma(sigma ?? g.Sigma);
        else if (sigma is not null)
            throw new ArgumentException($"{TNet.Name}: a noise σ applies to a Gaussian likelihood only, but the network has {TNet.Likelihood}.", nameof(sigma));
        return new NetworkGp<TNet, T>(parameters.ToArray(), inputs.Slice(0, n * TNet.InputSize).ToArray(),
            targets.Slice(0, n * TNet.TargetSize).ToArray(), n, prior, noise, jitter ?? JitterPolicy.Default);
    }

    /// <summary>N, the training examples.</summary>
    public int TrainCount { get; }

    /// <summary>The prior precision P₀ (the GP prior kernel is J P₀⁻¹ Jᵀ).</summary>
    public PriorPrecision Prior { get; }

    /// <summary>σ of a Gaussian likelihood (null for classification).</summary>
    public double? NoiseSigma { get; }

    /// <summary>c, the whitened rows per training example (K, or 1 for Bernoulli).</summary>
    public static int SeedsPerExample => OutputSpace.SeedCount(TNet.Likelihood, TNet.OutputSize);

    /// <summary>M = N·c, the order of the function-space algebra.</summary>
    public int FunctionSpaceOrder => TrainCount * SeedsPerExample;

    /// <summary>The report of the Cholesky factorisation of the whitened Gram matrix Z S₀ Zᵀ + I (computed on first use).</summary>
    public CholeskyReport GramFactorisation => Gram().Report;

    /// <summary>The GP mean function f_w*(x): the network's outputs at w* [m, K].</summary>
    public void Mean(ReadOnlySpan<T> inputs, int m, Span<double> outputs)
    {
        ModelArguments.CheckInputs<TNet, T>(_parameters, inputs, m, nameof(inputs));
        int k = TNet.OutputSize;
        NetworkArguments.CheckOutputs(TNet.Name, outputs.Length, k, m);
        var f = new T[(long)m * k];
        TNet.Forward(_parameters, inputs, f, m);
        for (int i = 0; i < f.Length; i++) outputs[i] = double.CreateTruncating(f[i]);
    }

    /// <summary>The DNN2GP prior kernel κ(X₁, X₂) = J(X₁) S₀ J(X₂)ᵀ of the logits, per output [K, M₁, M₂] or full [M₁K, M₂K].</summary>
    public void PriorKernel(ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2, KernelBlocks blocks, Span<double> kernel)
    {
        ModelArguments.CheckInputs<TNet, T>(_parameters, inputs1, m1, nameof(inputs1));
        ModelArguments.CheckInputs<TNet, T>(_parameters, inputs2, m2, nameof(inputs2));
        Curvature<TNet, T>.Kernel(_parameters, inputs1, m1, inputs2, m2, _priorCovariance, blocks, kernel);
    }

    /// <summary>
    /// The GP posterior kernel of f̃ between any inputs, κ(X₁, X₂) − κ(X₁, X) (κ(X, X) + Λ⁻¹)⁻¹ κ(X, X₂) — which is
    /// J(X₁) Σ J(X₂)ᵀ with Σ the full Laplace covariance — per output [K, M₁, M₂] or full [M₁K, M₂K], in function space
    /// (M × M solves) or weight space (the twin's P × P factor).
    /// </summary>
    public void PosteriorKernel(ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2, KernelBlocks blocks, Span<double> kernel,
        PredictiveForm form = PredictiveForm.FunctionSpace)
    {
        ModelArguments.CheckInputs<TNet, T>(_parameters, inputs1, m1, nameof(inputs1));
        ModelArguments.CheckInputs<TNet, T>(_parameters, inputs2, m2, nameof(inputs2));
        if (!Enum.IsDefined(form)) throw new ArgumentOutOfRangeException(nameof(form), form, "Use FunctionSpace or WeightSpace.");
        int k = TNet.OutputSize, w1 = m1 * k, w2 = m2 * k, order = FunctionSpaceOrder;
        long needed = (long)m1 * m2 * k * (blocks == KernelBlocks.Full ? k : 1);
        if (kernel.Length != needed)
            throw new ArgumentException($"{TNet.Name}: the {blocks} kernel of {m1:N0} × {m2:N0} inputs needs {needed:N0} values, but 'kernel' has {kernel.Length:N0}.", nameof(kernel));
        if (form == PredictiveForm.WeightSpace)
        {
            WeightSpace.Kernel(inputs1, m1, inputs2, m2, blocks, kernel);
            return;
        }
        var full = new double[(long)w1 * w2];
        var test1 = Curvature<TNet, T>.CollectFactors(_parameters, inputs1, m1);
        bool same = inputs1 == inputs2 && m1 == m2;
        var test2 = same ? test1 : Curvature<TNet, T>.CollectFactors(_parameters, inputs2, m2);
        Curvature<TNet, T>.Kernel(test1, test2, _priorCovariance, KernelBlocks.Full, full);
        var lower = Gram().Lower;
        var v1 = new double[(long)order * w1];
        Curvature<TNet, T>.Kernel(TrainFactors(), test1, _priorCovariance, KernelBlocks.Full, v1);
        Triangular.SolveLower(lower, order, v1, w1, w1);
        double[] v2 = v1;
        if (!same)
        {
            v2 = new double[(long)order * w2];
            Curvature<TNet, T>.Kernel(TrainFactors(), test2, _priorCovariance, KernelBlocks.Full, v2);
            Triangular.SolveLower(lower, order, v2, w2, w2);
        }
        Cpu.Gemm.MultiplyParallel(true, false, w1, w2, order, -1.0, v1, w1, v2, w2, 1.0, full, w2);
        if (blocks == KernelBlocks.Full)
        {
            full.CopyTo(kernel);
            return;
        }
        for (int r = 0; r < k; r++)
        {
            for (int i = 0; i < m1; i++)
            {
                for (int j = 0; j < m2; j++) kernel[(r * m1 + i) * m2 + j] = full[(long)(i * k + r) * w2 + j * k + r];
            }
        }
    }

    /// <summary>The pseudo-targets ỹᵢ = J(xᵢ) w* − Λᵢ⁺ rᵢ of the training set [N, K] (regression: yᵢ − f(xᵢ) + J(xᵢ) w*).</summary>
    public void PseudoTargets(Span<double> targets)
    {
        int k = TNet.OutputSize, n = TrainCount;
        NetworkArguments.CheckOutputs(TNet.Name, targets.Length, k, n);
        var target = new double[TNet.TargetSize];
        var correction = new double[k];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < target.Length; t++) target[t] = double.CreateTruncating(_targets[i * target.Length + t]);
            OutputSpace.PseudoInverseResidual(TNet.Likelihood, _outputs.AsSpan(i * k, k), target, NoiseSigma ?? 1, correction);
            for (int j = 0; j < k; j++) targets[i * k + j] = _linearised[i * k + j] - correction[j];
        }
    }

    /// <summary>The pseudo-noise covariances Λᵢ⁻¹ [N, K, K] (σ² I; 1/(s(1 − s)); the pseudo-inverse for softmax).</summary>
    public void PseudoNoise(Span<double> noise)
    {
        int k = TNet.OutputSize, n = TrainCount;
        if (noise.Length < (long)n * k * k)
            throw new ArgumentException($"{TNet.Name}: 'noise' has {noise.Length:N0} elements, but [{n:N0}, {k}, {k}] needs {(long)n * k * k:N0}.", nameof(noise));
        for (int i = 0; i < n; i++) OutputSpace.PseudoNoise(TNet.Likelihood, _outputs.AsSpan(i * k, k), NoiseSigma ?? 1, noise.Slice(i * k * k, k * k));
    }

    /// <summary>
    /// The GP predictive of f̃ at <paramref name="m"/> inputs: mean J(x) m_post (equal to J(x) w* at a stationary w*) and
    /// covariance per input, computed in function space (M × M) or in weight space (P × P); the two agree to rounding.
    /// For the network's own mean f_w*(x) with the GP variance, as the paper plots it, use <see cref="Mean"/> beside this.
    /// </summary>
    public FunctionPrediction Predict(ReadOnlySpan<T> inputs, int m, PredictiveForm form = PredictiveForm.FunctionSpace)
    {
        ModelArguments.CheckInputs<TNet, T>(_parameters, inputs, m, nameof(inputs));
        if (!Enum.IsDefined(form)) throw new ArgumentOutOfRangeException(nameof(form), form, "Use FunctionSpace or WeightSpace.");
        return form == PredictiveForm.FunctionSpace ? PredictFunctionSpace(inputs, m) : PredictWeightSpace(inputs, m);
    }

    /// <summary>
    /// The log marginal likelihood of the pseudo-targets: the GP Cholesky form (<see cref="PredictiveForm.FunctionSpace"/>,
    /// as the official code computes it) or the weight-space Laplace–GGN form (exactly equal when w* is stationary).
    /// </summary>
    public MarginalLikelihood LogMarginalLikelihood(PredictiveForm form = PredictiveForm.FunctionSpace)
    {
        if (!Enum.IsDefined(form)) throw new ArgumentOutOfRangeException(nameof(form), form, "Use FunctionSpace or WeightSpace.");
        int n = TrainCount, c = SeedsPerExample, nullDirections = OutputSpace.NullDirections(TNet.Likelihood);
        double log2Pi = Math.Log(2 * Math.PI);
        if (form == PredictiveForm.FunctionSpace)
        {
            var gram = Gram();
            double quadratic = 0;
            var alpha = Alpha();
            for (int i = 0; i < alpha.Length; i++) quadratic += _whitened[i] * alpha[i];
            double value = -0.5 * quadratic - 0.5 * gram.LogDeterminant() - 0.5 * n * (c - nullDirections) * log2Pi + 0.5 * _logPseudoDeterminant;
            return new MarginalLikelihood(value, form, gram.Report);
        }
        var twin = WeightSpace;
        double residual = 0;
        foreach (double u in _whitenedResidual) residual += u * u;
        double[] p = Prior.Expand(TNet.Layers);
        double priorTerm = 0, logPrior = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double w = double.CreateTruncating(_parameters[i]);
            priorTerm += p[i] * w * w;
            logPrior += Math.Log(p[i]);
        }
        double weightValue = -0.5 * residual - 0.5 * priorTerm + 0.5 * logPrior - 0.5 * twin.LogDeterminant + 0.5 * _logPseudoDeterminant
            - 0.5 * n * (c - nullDirections) * log2Pi;
        return new MarginalLikelihood(weightValue, form, twin.Factorisation);
    }

    /// <summary>
    /// The GP-form marginal likelihood for every isotropic prior precision δ (and, for a Gaussian likelihood, noise σ),
    /// from one eigendecomposition of the unit-variance kernel of the training set (J Jᵀ, or whitened Z Zᵀ): O(M) per
    /// (δ, σ) with no pass over the data. At (δ, σ) of this GP it equals <see cref="LogMarginalLikelihood"/>.
    /// </summary>
    public KernelEvidence Evidence()
    {
        int n = TrainCount, k = TNet.OutputSize, p = TNet.ParameterCount;
        var unit = new IsotropicCovariance(p, 1.0);
        if (TNet.Likelihood is GaussianLikelihood)
        {
            var factors = Curvature<TNet, T>.CollectFactors(_parameters, _inputs, n);
            int order = n * k;
            var kernel = new double[(long)order * order];
            Curvature<TNet, T>.Kernel(factors, factors, unit, KernelBlocks.Full, kernel);
            var targets = new double[order];
            PseudoTargets(targets);
            return new KernelEvidence(kernel, order, targets, tunableNoise: true);
        }
        int m = FunctionSpaceOrder, nullDirections = OutputSpace.NullDirections(TNet.Likelihood);
        var z = new double[(long)m * m];
        Curvature<TNet, T>.Kernel(TrainFactors(), TrainFactors(), unit, KernelBlocks.Full, z);
        double constant = 0.5 * n * nullDirections * Math.Log(2 * Math.PI) + 0.5 * _logPseudoDeterminant;
        return new KernelEvidence(z, m, _whitened, tunableNoise: false, constant);
    }

    /// <summary>The weight-space twin: the full Laplace posterior with the same prior and noise (fitted on first use).</summary>
    public FullLaplace<TNet, T> WeightSpace => _weightSpace ??= (FullLaplace<TNet, T>)Laplace<TNet, T>.Fit(_parameters, _inputs, _targets, TrainCount,
        LaplaceStructure.Full, Prior, NoiseSigma, _jitter);

    /// <summary>m_post = (GGN + P₀)⁻¹ Zᵀ z, the linear model's posterior mean (= w* at a stationary w*) [P].</summary>
    public ReadOnlySpan<double> PosteriorMean => PosteriorMeanArray();

    private FunctionPrediction PredictFunctionSpace(ReadOnlySpan<T> inputs, int m)
    {
        int k = TNet.OutputSize, width = m * k, order = FunctionSpaceOrder;
        var train = TrainFactors();
        var test = Curvature<TNet, T>.CollectFactors(_parameters, inputs, m);
        var cross = new double[(long)order * width]; // [N·c, m·K]
        Curvature<TNet, T>.Kernel(train, test, _priorCovariance, KernelBlocks.Full, cross);
        var alpha = Alpha();
        var mean = new double[width];
        Cpu.Gemm.Multiply(true, false, width, 1, order, 1.0, cross, width, alpha, 1, 0.0, mean, 1);
        var covariances = new double[(long)m * k * k];
        FunctionalCovariances<TNet, T>.Accumulate(_parameters, inputs, m, PriorLayers(), covariances);
        Triangular.SolveLower(Gram().Lower, order, cross, width, width);
        for (int q = 0; q < order; q++)
        {
            ReadOnlySpan<double> v = cross.AsSpan(q * width, width);
            for (int e = 0; e < m; e++)
            {
                Span<double> dst = covariances.AsSpan(e * k * k, k * k);
                for (int a = 0; a < k; a++)
                {
                    double va = v[e * k + a];
                    for (int b = 0; b < k; b++) dst[a * k + b] -= va * v[e * k + b];
                }
            }
        }
        return new FunctionPrediction(m, k, mean, covariances, NoiseSigma is double s ? s * s : null, PredictiveForm.FunctionSpace);
    }

    private FunctionPrediction PredictWeightSpace(ReadOnlySpan<T> inputs, int m)
    {
        int k = TNet.OutputSize;
        var posteriorMean = PosteriorMeanArray();
        var tangent = new T[posteriorMean.Length];
        for (int i = 0; i < tangent.Length; i++) tangent[i] = T.CreateTruncating(posteriorMean[i]);
        var jm = new T[(long)m * k];
        Curvature<TNet, T>.JacobianVectorProduct(_parameters, inputs, m, tangent, jm);
        var covariances = new double[(long)m * k * k];
        WeightSpace.FunctionalCovariance(inputs, m, covariances);
        return new FunctionPrediction(m, k, Convert(jm), covariances, NoiseSigma is double s ? s * s : null, PredictiveForm.WeightSpace);
    }

    private double[] PosteriorMeanArray()
    {
        if (_posteriorMean is not null) return _posteriorMean;
        int n = TrainCount, k = TNet.OutputSize, c = SeedsPerExample, p = TNet.ParameterCount;
        // Zᵀ z = Σᵢ Jᵢᵀ (Sᵢ zᵢ): a vector-Jacobian product with cotangents uᵢ = Σ_r zᵢ,r (row r of Sᵢᵀ).
        var cotangents = new T[(long)n * k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int r = 0; r < c; r++) sum += _whitened[i * c + r] * _seeds[(i * c + r) * k + j];
                cotangents[i * k + j] = T.CreateTruncating(sum);
            }
        }
        var b = new T[p];
        Curvature<TNet, T>.VectorJacobianProduct(_parameters, _inputs, n, cotangents, b);
        var rhs = Convert(b);
        var mean = new double[p];
        WeightSpace.MultiplyCovariance(rhs, mean);
        return _posteriorMean = mean;
    }

    private FactorSet TrainFactors()
    {
        if (_trainFactors is not null) return _trainFactors;
        int n = TrainCount, c = SeedsPerExample, k = TNet.OutputSize;
        var seeds = new T[(long)n * c * k];
        for (int i = 0; i < seeds.Length; i++) seeds[i] = T.CreateTruncating(_seeds[i]);
        return _trainFactors = Curvature<TNet, T>.CollectFactors(_parameters, _inputs, n, seeds, c);
    }

    private CholeskyFactor Gram()
    {
        if (_gram is not null) return _gram;
        int order = FunctionSpaceOrder;
        Curvature<TNet, T>.Plan.Kernel(TrainCount, TrainCount, _priorCovariance.Structure, KernelBlocks.Full).EnsureFits();
        var kernel = new double[(long)order * order];
        var train = TrainFactors();
        Curvature<TNet, T>.Kernel(train, train, _priorCovariance, KernelBlocks.Full, kernel);
        for (int i = 0; i < order; i++) kernel[(long)i * order + i] += 1.0;
        return _gram = Cholesky.Factor(kernel, order, _jitter, $"whitened DNN2GP Gram matrix Z S₀ Zᵀ + I ({order}×{order})");
    }

    private double[] Alpha()
    {
        if (_alpha is not null) return _alpha;
        var alpha = new double[_whitened.Length];
        Gram().Solve(_whitened, alpha);
        return _alpha = alpha;
    }

    private LayerVariances?[] PriorLayers()
    {
        var layers = TNet.Layers;
        if (Prior.Structure == PriorStructure.Isotropic)
        {
            var result = new LayerVariances?[layers.Count];
            for (int l = 0; l < layers.Count; l++) result[l] = LayerVariances.Isotropic(1 / Prior.Delta);
            return result;
        }
        return FunctionalCovariances<TNet, T>.DiagonalLayers(Reciprocal(Prior.Expand(layers)), 0);
    }

    private static double[] Convert(T[] values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = double.CreateTruncating(values[i]);
        return result;
    }

    private static double[] Reciprocal(double[] values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = 1 / values[i];
        return result;
    }
}
