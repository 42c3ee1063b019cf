using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>Progress inside a continual-learning run, reported once per minibatch.</summary>
/// <param name="Task">The 0-based task being trained.</param>
/// <param name="Tasks">The number of tasks.</param>
/// <param name="Epoch">The 1-based epoch of the task.</param>
/// <param name="Epochs">Epochs per task.</param>
/// <param name="Batch">The 1-based minibatch of the epoch.</param>
/// <param name="Batches">Minibatches per epoch.</param>
/// <param name="MeanLoss">The epoch's mean cross-entropy so far.</param>
/// <param name="MeanRegulariser">The epoch's mean regulariser so far.</param>
public readonly record struct ContinualProgress(int Task, int Tasks, int Epoch, int Epochs, int Batch, int Batches, double MeanLoss, double MeanRegulariser);

/// <summary>What training one task did and what it cost.</summary>
/// <param name="Task">The 0-based task.</param>
/// <param name="EpochSeconds">Wall time of each epoch (the optimisation steps only).</param>
/// <param name="EpochLosses">Each epoch's mean cross-entropy.</param>
/// <param name="EpochRegularisers">Each epoch's mean regulariser.</param>
/// <param name="PriorSeconds">Building the functional priors of the past tasks (means, kernels, Cholesky inverses).</param>
/// <param name="AfterTaskSeconds">Evaluation, memory selection and the GGN diagonal after training.</param>
/// <param name="MemoryRows">Memorable points of all past tasks regularised during this task.</param>
/// <param name="ClippedFraction">The fraction of steps whose gradient was clipped.</param>
public sealed record TaskReport(int Task, double[] EpochSeconds, double[] EpochLosses, double[] EpochRegularisers, double PriorSeconds,
    double AfterTaskSeconds, int MemoryRows, double ClippedFraction);

/// <summary>
/// Continual learning on a generated network, one task after another: FROMP (Pan et al., NeurIPS 2020) as its
/// official code runs it, its ablations FROMP-L2 / FRORP / FRORP-L2, online EWC with the exact GGN diagonal, and plain
/// Adam fine-tuning, all in one harness (<see cref="ContinualSettings"/> chooses).
/// </summary>
/// <remarks>
/// Per task t: at its start (t &gt; 1) the functional priors of every past task are rebuilt at the current weights
/// μₜ₋₁ (means and per-class kernels from Σ = diag(1/(F + δ))) and Adam's state is reset; then
/// <see cref="ContinualSettings.Epochs"/> epochs of shuffled minibatches, each step minimising
/// ℓ̄/τ + ½ Σₛ Σₖ Δₛₖᵀ Kₛₖ⁻¹ Δₛₖ with the gradient of the whole objective from one backward pass per row (minibatch rows
/// and memorable points alike) and clipped in 2-norm; then the test accuracy on every task so far, the memorable points of
/// task t (Λ-score per class) and F += the exact GGN diagonal of task t's head likelihood over its training set.
/// Everything is generic over the network and its element type, so the JIT specialises it per network.
/// </remarks>
public sealed class ContinualLearner<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly T[] _gradient;
    private readonly StepWorkspace<T> _workspace;
    private readonly Adam<T> _adam;
    private readonly double[] _ggn;
    private readonly double[] _ewcFisher;
    private readonly T[] _anchor;
    private readonly T[] _ewcWeights;
    private readonly T[] _ewcScratch;
    private readonly T[] _ewcWeighted;
    private readonly double[]? _priorPrecision;
    private readonly List<TaskMemory<T>> _memories = [];
    private readonly List<FunctionalPrior<T>> _priors = [];
    private readonly List<TaskReport> _reports = [];
    private MinibatchSampler<T>? _sampler;
    private int _current = -1;
    private long _steps, _clipped;
    private double _priorSeconds;

    /// <summary>A learner for <paramref name="sequence"/>, its weights initialised with <see cref="ContinualSettings.Seed"/>.</summary>
    /// <exception cref="ArgumentException">The network does not fit the sequence, or is not a softmax classifier.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public ContinualLearner(TaskSequence sequence, ContinualSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (TNet.OutputSize != sequence.OutputSize)
            throw new ArgumentException($"{TNet.Name} has {TNet.OutputSize} outputs, but the sequence '{sequence.Name}' needs {sequence.OutputSize}.", nameof(sequence));
        if (TNet.Likelihood is not CategoricalLikelihood)
            throw new ArgumentException($"{TNet.Name} declares {TNet.Likelihood}; continual classification needs a [CategoricalLikelihood] network (each task uses the softmax of its head).", nameof(sequence));
        if (TNet.TargetSize != 1)
            throw new ArgumentException($"{TNet.Name} takes {TNet.TargetSize} target values per example; a classifier takes one label.", nameof(sequence));
        Sequence = sequence;
        Settings = settings;
        int p = TNet.ParameterCount;
        _parameters = new T[p];
        TNet.InitializeParameters(_parameters, settings.Seed);
        _gradient = new T[p];
        _workspace = new StepWorkspace<T>(p, Environment.ProcessorCount);
        _adam = new Adam<T>(p, settings.LearningRate);
        _ggn = new double[p];
        _ewcFisher = settings.Regulariser == ContinualRegulariser.WeightSpace ? new double[p] : [];
        bool ewc = settings.Regulariser == ContinualRegulariser.WeightSpace;
        _anchor = ewc ? new T[p] : [];
        _ewcWeights = ewc ? new T[p] : [];
        _ewcScratch = ewc ? new T[p] : [];
        _ewcWeighted = ewc ? new T[p] : [];
        if (settings.Regulariser == ContinualRegulariser.Functional && settings.Kernel == FunctionalKernel.Gp)
            _priorPrecision = PriorPrecision(settings);
        Accuracies = new AccuracyMatrix(sequence.Count);
    }

    /// <summary>The task sequence.</summary>
    public TaskSequence Sequence { get; }

    /// <summary>The settings.</summary>
    public ContinualSettings Settings { get; }

    /// <summary>The current weights (updated in place by training; may be set for experiments and tests).</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>F: the exact GGN diagonal of the head likelihoods summed over the training sets of all finished tasks (FROMP family).</summary>
    public ReadOnlySpan<double> GgnDiagonal => _ggn;

    /// <summary>EWC's F̄: per past task the exact GGN diagonal of its head likelihood averaged over its training set, summed (EWC only).</summary>
    public ReadOnlySpan<double> EwcFisherDiagonal => _ewcFisher;

    /// <summary>The memories of the finished tasks (FROMP family).</summary>
    public IReadOnlyList<TaskMemory<T>> Memories => _memories;

    /// <summary>The functional priors of the task in progress (empty for task 1 and for EWC / fine-tuning).</summary>
    public IReadOnlyList<FunctionalPrior<T>> Priors => _priors;

    /// <summary>Test accuracies so far.</summary>
    public AccuracyMatrix Accuracies { get; }

    /// <summary>One report per finished task.</summary>
    public IReadOnlyList<TaskReport> Reports => _reports;

    /// <summary>The number of finished tasks.</summary>
    public int TasksFinished { get; private set; }

    /// <summary>The task in progress (0-based), or −1 between tasks.</summary>
    public int CurrentTask => _current;

    /// <summary>Trains every task in turn; returns the accuracy matrix.</summary>
    public AccuracyMatrix Run(IProgress<ContinualProgress>? progress = null)
    {
        while (TasksFinished < Sequence.Count) TrainTask(progress);
        return Accuracies;
    }

    /// <summary>Trains the next task (<see cref="BeginTask"/>, all epochs, <see cref="EndTask"/>) and reports on it.</summary>
    public TaskReport TrainTask(IProgress<ContinualProgress>? progress = null)
    {
        BeginTask();
        int epochs = Settings.Epochs;
        var seconds = new double[epochs];
        var losses = new double[epochs];
        var regularisers = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            var clock = Stopwatch.StartNew();
            (losses[e], regularisers[e]) = TrainEpoch(e + 1, progress);
            seconds[e] = clock.Elapsed.TotalSeconds;
        }
        return EndTask(seconds, losses, regularisers);
    }

    /// <summary>
    /// Starts the next task: for t &gt; 1 rebuilds the functional priors of the past tasks at the current weights (FROMP
    /// family) or stores them as the EWC anchor, and resets Adam.
    /// </summary>
    /// <exception cref="InvalidOperationException">A task is already in progress, or all tasks are finished.</exception>
    public void BeginTask()
    {
        if (_current >= 0) throw new InvalidOperationException($"Task {_current + 1} is in progress; call EndTask first.");
        if (TasksFinished >= Sequence.Count) throw new InvalidOperationException($"All {Sequence.Count} tasks of '{Sequence.Name}' are finished.");
        int t = TasksFinished;
        ContinualTask task = Sequence[t];
        CheckData(task);
        var clock = Stopwatch.StartNew();
        _priors.Clear();
        if (t > 0 && Settings.Regulariser == ContinualRegulariser.Functional)
        {
            DiagonalCovariance? covariance = null;
            if (_priorPrecision is not null)
            {
                var variances = new double[_ggn.Length];
                for (int i = 0; i < variances.Length; i++) variances[i] = 1 / (_ggn[i] + _priorPrecision[i]);
                covariance = new DiagonalCovariance(variances);
            }
            foreach (TaskMemory<T> memory in _memories)
                _priors.Add(FunctionalPrior<T>.Create<TNet>(_parameters, memory, covariance, Settings.KernelJitter));
        }
        if (t > 0 && Settings.Regulariser == ContinualRegulariser.WeightSpace)
        {
            _parameters.CopyTo(_anchor, 0);
            for (int i = 0; i < _ewcWeights.Length; i++) _ewcWeights[i] = T.CreateTruncating(Settings.EwcStrength * _ewcFisher[i]);
        }
        _priorSeconds = clock.Elapsed.TotalSeconds;
        _workspace.Invalidate();
        _adam.Reset();
        _sampler = new MinibatchSampler<T>(task.Train, Settings.BatchSize, SamplerSeed(t));
        _current = t;
        _steps = 0;
        _clipped = 0;
    }

    /// <summary>One epoch of the task in progress; returns its mean loss and mean regulariser.</summary>
    public (double Loss, double Regulariser) TrainEpoch(int epoch = 0, IProgress<ContinualProgress>? progress = null)
    {
        MinibatchSampler<T> sampler = _sampler ?? throw new InvalidOperationException("No task is in progress; call BeginTask first.");
        double loss = 0, regulariser = 0;
        int batches = 0;
        sampler.StartEpoch();
        while (sampler.NextBatch())
        {
            ObjectiveValue value = Step(sampler.Inputs, sampler.Targets, sampler.CurrentBatchSize);
            loss += value.Loss;
            regulariser += value.Regulariser;
            batches++;
            progress?.Report(new ContinualProgress(_current, Sequence.Count, epoch, Settings.Epochs, batches, sampler.BatchesPerEpoch, loss / batches, regulariser / batches));
        }
        return (loss / Math.Max(1, batches), regulariser / Math.Max(1, batches));
    }

    /// <summary>One optimisation step on a minibatch of the task in progress (labels task-relative): gradient, clipping, Adam.</summary>
    public ObjectiveValue Step(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch)
    {
        ObjectiveValue value = ComputeGradient(inputs, targets, batch, _gradient);
        if (Settings.AppliedClip is double clip)
        {
            double norm = Math.Sqrt(double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.SumOfSquares<T>(_gradient)));
            if (norm > clip)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(_gradient, T.CreateTruncating(clip / norm), _gradient);
                _clipped++;
            }
        }
        _steps++;
        _adam.Step(_parameters, _gradient);
        return value;
    }

    /// <summary>
    /// The gradient of the task in progress's objective at the current weights (before clipping): dataScale · ∇ℓ̄ on the
    /// minibatch plus the regulariser's gradient with the kernels fixed. <paramref name="batch"/> may be 0 (the
    /// regulariser alone).
    /// </summary>
    public ObjectiveValue ComputeGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch, Span<T> gradient)
    {
        if (_current < 0) throw new InvalidOperationException("No task is in progress; call BeginTask first.");
        NetworkArguments.CheckBatch(TNet.Name, _parameters.Length, TNet.ParameterCount, inputs.Length, TNet.InputSize, batch);
        NetworkArguments.CheckTargets(TNet.Name, targets.Length, 1, batch);
        NetworkArguments.CheckGradient(TNet.Name, gradient.Length, TNet.ParameterCount);
        ContinualTask task = Sequence[_current];
        for (int n = 0; n < batch; n++)
        {
            T y = targets[n];
            if (!(y >= T.Zero && y < T.CreateTruncating(task.Classes)) || y != T.Floor(y))
                throw new ArgumentException($"Task '{task.Name}': the label of example {n} is {y}, not a class in [0, {task.Classes}).", nameof(targets));
        }
        ObjectiveValue value = ContinualPasses<TNet, T>.Gradient(_parameters, inputs, targets, batch, task.HeadStart, task.Classes,
            Settings.DataScale, _priors, _workspace, gradient);
        if (Settings.Regulariser == ContinualRegulariser.WeightSpace && _current > 0)
        {
            // g += λ F̄ ⊙ (w − μ); penalty ½ Σ λ F̄ (w − μ)².
            Span<T> difference = _ewcScratch;
            System.Numerics.Tensors.TensorPrimitives.Subtract<T>(_parameters, _anchor, difference);
            System.Numerics.Tensors.TensorPrimitives.Multiply<T>(difference, _ewcWeights, _ewcWeighted);
            System.Numerics.Tensors.TensorPrimitives.Add<T>(gradient, _ewcWeighted, gradient);
            double penalty = 0.5 * double.CreateTruncating(System.Numerics.Tensors.TensorPrimitives.Dot<T>(_ewcWeighted, difference));
            value = value with { Regulariser = penalty };
        }
        return value;
    }

    /// <summary>
    /// Finishes the task in progress: the test accuracy on every task so far; then (FROMP family) its memorable points and
    /// F += its head-likelihood GGN diagonal, or (EWC) F̄ += that diagonal averaged over its training set.
    /// </summary>
    public TaskReport EndTask(double[]? epochSeconds = null, double[]? epochLosses = null, double[]? epochRegularisers = null)
    {
        if (_current < 0) throw new InvalidOperationException("No task is in progress; call BeginTask first.");
        var clock = Stopwatch.StartNew();
        int t = _current;
        ContinualTask task = Sequence[t];
        for (int s = 0; s <= t; s++) Accuracies[t, s] = TestAccuracy(Sequence[s]);
        bool last = t == Sequence.Count - 1;
        if (Settings.Regulariser == ContinualRegulariser.Functional)
        {
            _memories.Add(MemorablePoints.Select<TNet, T>(_parameters, task, Settings.MemoryPerTask, Settings.Selection, SelectionSeed(t)));
            if (_priorPrecision is not null && !last) AddHeadGgn(task, _ggn, 1.0);
        }
        else if (Settings.Regulariser == ContinualRegulariser.WeightSpace && !last)
        {
            AddHeadGgn(task, _ewcFisher, 1.0 / task.Train.Count);
        }
        int memoryRows = 0;
        foreach (var prior in _priors) memoryRows += prior.Count;
        var report = new TaskReport(t, epochSeconds ?? [], epochLosses ?? [], epochRegularisers ?? [], _priorSeconds, clock.Elapsed.TotalSeconds,
            memoryRows, _steps == 0 ? 0 : (double)_clipped / _steps);
        _reports.Add(report);
        _current = -1;
        _sampler = null;
        TasksFinished++;
        return report;
    }

    /// <summary>The accuracy of the current weights on <paramref name="task"/>'s test set (arg-max over its head).</summary>
    public double TestAccuracy(ContinualTask task) => Accuracy(_parameters, task, task.Test);

    /// <summary>The accuracy of <paramref name="parameters"/> on <paramref name="data"/> (labels of <paramref name="task"/>), arg-max over the task's head.</summary>
    public static double Accuracy(ReadOnlySpan<T> parameters, ContinualTask task, Dataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        int k = TNet.OutputSize, d = TNet.InputSize;
        if (data.InputSize != d)
            throw new ArgumentException($"'{data.Name}' has {data.InputSize} inputs per example, but {TNet.Name} takes {d}.", nameof(data));
        if (data.Count == 0) return double.NaN;
        int block = Math.Min(batchSize, data.Count);
        var outputs = new T[block * k];
        var single = new float[block * k];
        T[]? converted = typeof(T) == typeof(float) ? null : new T[block * d];
        long correct = 0;
        for (int start = 0; start < data.Count; start += block)
        {
            int n = Math.Min(block, data.Count - start);
            TNet.Forward(parameters, DataBlocks.Inputs(data, start, n, converted), outputs.AsSpan(0, n * k), n);
            for (int i = 0; i < n * k; i++) single[i] = float.CreateTruncating(outputs[i]);
            correct += task.CountCorrect(single.AsSpan(0, n * k), k, data.Targets.Slice(start, n), n);
        }
        return (double)correct / data.Count;
    }

    private void AddHeadGgn(ContinualTask task, double[] destination, double weight)
    {
        Dataset train = task.Train;
        const int block = 4096;
        var diagonal = weight == 1.0 ? destination : new double[destination.Length];
        T[]? converted = typeof(T) == typeof(float) ? null : new T[block * train.InputSize];
        for (int start = 0; start < train.Count; start += block)
        {
            int n = Math.Min(block, train.Count - start);
            ContinualPasses<TNet, T>.AccumulateHeadGgnDiagonal(_parameters, DataBlocks.Inputs(train, start, n, converted), n, task.HeadStart, task.Classes, diagonal);
        }
        if (!ReferenceEquals(diagonal, destination))
        {
            for (int i = 0; i < destination.Length; i++) destination[i] += weight * diagonal[i];
        }
    }

    private int SamplerSeed(int task) => unchecked(Settings.Seed * 1_000_003 + 7919 * (task + 1));

    private int SelectionSeed(int task) => unchecked(Settings.Seed * 1_000_033 + 104_729 * (task + 1));

    private static double[] PriorPrecision(ContinualSettings settings)
    {
        var delta = new double[TNet.ParameterCount];
        if (settings.PriorPrecision is double d)
        {
            Array.Fill(delta, d);
            return delta;
        }
        var declared = new T[TNet.ParameterCount];
        TNet.PriorHessianDiagonal(declared);
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = double.CreateTruncating(declared[i]);
            if (!(delta[i] > 0))
                throw new ArgumentException($"{TNet.Name} declares no positive prior precision for parameter {i} ({TNet.Prior}); FROMP's posterior Σ = diag(1/(F + δ)) needs δ > 0: declare a Gaussian prior or set ContinualSettings.PriorPrecision.", nameof(settings));
        }
        return delta;
    }

    private static void CheckData(ContinualTask task)
    {
        if (task.Train.InputSize != TNet.InputSize)
            throw new ArgumentException($"Task '{task.Name}' has {task.Train.InputSize} inputs per example, but {TNet.Name} takes {TNet.InputSize}.");
        if (task.Train.Count == 0)
            throw new ArgumentException($"Task '{task.Name}' has no training examples.");
    }
}
