using System;
using System.Diagnostics;
using System.Numerics;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.Optimizers;

namespace Dnn2Gp.Runtime.Training;

/// <summary>What a full-batch training run did: the final objective, epochs, time and the scheduler's reductions.</summary>
public sealed record FullBatchReport(double Objective, int Epochs, TimeSpan Elapsed, double FinalLearningRate, int Reductions);

/// <summary>
/// Full-batch MAP training as the DNN2GP experiments do it (METHODS I.10, E1/E3/E4): every step minimises the summed
/// negative log joint −Σᵢ log p(yᵢ | f(xᵢ), σ) − Σⱼ log N(wⱼ; 0, 1/pⱼ), normalising constants included (so a plateau
/// scheduler sees the official code's values), with a given prior precision P₀ and, for a Gaussian likelihood, a noise σ
/// that may differ from the declared one (the loss is rescaled by (σ_declared/σ)²).
/// </summary>
public sealed class FullBatchTrainer<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly T[] _targets;
    private readonly T[] _prior;
    private readonly double[] _priorDouble;
    private readonly double _priorConstant;
    private readonly double _scale;
    private readonly double _nllOffset;
    private readonly T[] _gradient;

    /// <summary>Copies <paramref name="n"/> training examples (checked: finite inputs, valid targets) and fixes the objective.</summary>
    public FullBatchTrainer(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int n, PriorPrecision prior, double? sigma = null)
    {
        ArgumentNullException.ThrowIfNull(prior);
        var probe = new T[TNet.ParameterCount];
        ModelArguments.CheckTraining<TNet, T>(probe, inputs, targets, n);
        prior.CheckFor(TNet.Layers);
        Count = n;
        _inputs = inputs.Slice(0, n * TNet.InputSize).ToArray();
        _targets = targets.Slice(0, n * TNet.TargetSize).ToArray();
        _priorDouble = prior.Expand(TNet.Layers);
        _prior = new T[_priorDouble.Length];
        double constant = 0;
        for (int i = 0; i < _prior.Length; i++)
        {
            _prior[i] = T.CreateTruncating(_priorDouble[i]);
            constant += 0.5 * (Math.Log(2 * Math.PI) - Math.Log(_priorDouble[i]));
        }
        _priorConstant = constant;
        Prior = prior;
        if (TNet.Likelihood is GaussianLikelihood g)
        {
            double s = ModelArguments.CheckSigma(sigma ?? g.Sigma);
            Sigma = s;
            _scale = g.Sigma * g.Sigma / (s * s);
            double observations = (double)n * TNet.OutputSize;
            _nllOffset = observations * 0.5 * (Math.Log(2 * Math.PI * s * s) - _scale * Math.Log(2 * Math.PI * g.Sigma * g.Sigma));
        }
        else
        {
            if (sigma is not null) throw new ArgumentException($"{TNet.Name}: a noise σ applies to a Gaussian likelihood only.", nameof(sigma));
            _scale = 1;
        }
        _gradient = new T[TNet.ParameterCount];
    }

    /// <summary>N.</summary>
    public int Count { get; }

    /// <summary>The prior in the objective.</summary>
    public PriorPrecision Prior { get; }

    /// <summary>σ of a Gaussian likelihood (null otherwise).</summary>
    public double? Sigma { get; }

    /// <summary>The objective at <paramref name="parameters"/>.</summary>
    public double Objective(ReadOnlySpan<T> parameters)
    {
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        double nll = _scale * TNet.Loss(parameters, _inputs, _targets, Count) + _nllOffset;
        return nll + PriorTerm(parameters);
    }

    /// <summary>The objective and its gradient (overwrites <paramref name="gradient"/>).</summary>
    public double ObjectiveAndGradient(ReadOnlySpan<T> parameters, Span<T> gradient)
    {
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        NetworkArguments.CheckGradient(TNet.Name, gradient.Length, TNet.ParameterCount);
        double nll = TNet.LossAndGradient(parameters, _inputs, _targets, Count, gradient, T.CreateTruncating(_scale)) + _nllOffset;
        for (int i = 0; i < gradient.Length; i++) gradient[i] += _prior[i] * parameters[i];
        return nll + PriorTerm(parameters);
    }

    /// <summary>
    /// Runs <paramref name="epochs"/> full-batch steps of <paramref name="optimizer"/> on <paramref name="parameters"/> (in
    /// place), feeding each step's objective to <paramref name="scheduler"/> after the step, as the official code does.
    /// </summary>
    public FullBatchReport Train(Span<T> parameters, IOptimizer<T> optimizer, int epochs, ReduceLROnPlateau<T>? scheduler = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        var clock = Stopwatch.StartNew();
        double objective = double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            objective = ObjectiveAndGradient(parameters, _gradient);
            if (!double.IsFinite(objective))
                throw new ArithmeticException($"{TNet.Name}: the training objective became {objective} at epoch {epoch + 1}; lower the learning rate.");
            optimizer.Step(parameters, _gradient);
            scheduler?.Step(objective);
            progress?.Report(epoch + 1);
        }
        return new FullBatchReport(objective, epochs, clock.Elapsed, optimizer.LearningRate, scheduler?.Reductions ?? 0);
    }

    private double PriorTerm(ReadOnlySpan<T> parameters)
    {
        double sum = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            double w = double.CreateTruncating(parameters[i]);
            sum += _priorDouble[i] * w * w;
        }
        return 0.5 * sum + _priorConstant;
    }
}
