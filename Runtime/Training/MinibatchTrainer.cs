using System;
using System.Diagnostics;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;

namespace Dnn2Gp.Runtime.Training;

/// <summary>Progress inside an epoch, reported once per minibatch.</summary>
public readonly record struct TrainingProgress(int Epoch, int Batch, int BatchesPerEpoch, double MeanLoss);

/// <summary>What one epoch did: its mean objective per example (negative log-likelihood plus prior / N) and its time.</summary>
public sealed record EpochReport(int Epoch, double MeanLoss, TimeSpan Elapsed, int Examples);

/// <summary>Accuracy (classification; NaN for regression) and mean negative log-likelihood on a dataset.</summary>
public sealed record Evaluation(double Accuracy, double MeanNegativeLogLikelihood, int Count);

/// <summary>
/// Minibatch MAP training of a generated network: each step minimises the mean negative log-likelihood of the batch
/// plus the prior divided by the dataset size, so the objective is the per-example negative log joint, as in
/// DNN2GP and FROMP. Generic over the network, so the JIT specialises it and calls the generated code directly.
/// </summary>
public sealed class MinibatchTrainer<TNet> where TNet : INetwork<TNet, float>
{
    private readonly MinibatchSampler<float> _sampler;
    private readonly IOptimizer<float> _optimizer;
    private readonly float[] _gradient;
    private readonly bool _usePrior;
    private readonly int _seed;
    private int _epoch;

    /// <param name="train">Training data shaped for <typeparamref name="TNet"/> (checked, including for NaN or infinite values).</param>
    /// <param name="optimizer">The optimiser; its state persists across epochs.</param>
    /// <param name="batchSize">Examples per step; the last partial batch of an epoch is used too.</param>
    /// <param name="seed">Seed of the per-epoch shuffles and of the dropout masks (steps are training passes, see <see cref="INetwork{TSelf,T}.TrainingLossAndGradient"/>).</param>
    /// <param name="usePrior">Whether the declared prior is part of the objective (a prior whose precisions are all 0
    /// adds nothing, and is left out of the steps).</param>
    public MinibatchTrainer(Dataset train, IOptimizer<float> optimizer, int batchSize = 128, int seed = 0, bool usePrior = true)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckShapes(train);
        if (train.Count == 0) throw new ArgumentException($"The training set '{train.Name}' is empty.", nameof(train));
        _sampler = new MinibatchSampler<float>(train, batchSize, seed);
        _optimizer = optimizer;
        _gradient = new float[TNet.ParameterCount];
        _usePrior = usePrior && !PriorTerms.IsZero(TNet.Prior);
        _seed = seed;
    }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => _sampler.BatchesPerEpoch;

    /// <summary>Runs one epoch over the training set, updating <paramref name="parameters"/> in place.</summary>
    public EpochReport TrainEpoch(Span<float> parameters, IProgress<TrainingProgress>? progress = null)
    {
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        var clock = Stopwatch.StartNew();
        _epoch++;
        int count = _sampler.Data.Count, batches = 0, examples = 0;
        float priorScale = 1f / count;
        double total = 0;
        _sampler.StartEpoch();
        while (_sampler.NextBatch())
        {
            int b = _sampler.CurrentBatchSize;
            ulong passSeed = ((ulong)(uint)_seed << 40) ^ ((ulong)(uint)_epoch << 20) ^ (uint)batches;
            double loss = TNet.TrainingLossAndGradient(parameters, _sampler.Inputs, _sampler.Targets, b, _gradient, 1f / b, passSeed);
            if (_usePrior)
            {
                TNet.AddPriorGradient(parameters, _gradient, priorScale);
                loss += TNet.PriorPenalty(parameters) * priorScale;
            }
            _optimizer.Step(parameters, _gradient);
            total += loss * b;
            examples += b;
            batches++;
            progress?.Report(new TrainingProgress(_epoch, batches, _sampler.BatchesPerEpoch, total / examples));
        }
        return new EpochReport(_epoch, total / examples, clock.Elapsed, examples);
    }

    /// <summary>Accuracy and mean negative log-likelihood of <paramref name="parameters"/> on <paramref name="data"/>.</summary>
    public static Evaluation Evaluate(ReadOnlySpan<float> parameters, Dataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShapes(data);
        int k = TNet.OutputSize;
        var outputs = new float[Math.Min(batchSize, Math.Max(1, data.Count)) * k];
        bool classification = TNet.Likelihood is not GaussianLikelihood;
        long correct = 0;
        double nll = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int b = Math.Min(batchSize, data.Count - start);
            var inputs = data.Inputs.Slice(start * data.InputSize, b * data.InputSize);
            var targets = data.Targets.Slice(start * data.TargetSize, b * data.TargetSize);
            nll += TNet.Loss(parameters, inputs, targets, b);
            if (classification)
            {
                TNet.Forward(parameters, inputs, outputs, b);
                correct += Metrics.ClassificationMetrics.Accuracy(outputs.AsSpan(0, b * k), targets, b, k);
            }
        }
        int n = Math.Max(1, data.Count);
        return new Evaluation(classification ? (double)correct / n : double.NaN, nll / n, data.Count);
    }

    private static void CheckShapes(Dataset data)
    {
        if (data.InputSize != TNet.InputSize || data.TargetSize != TNet.TargetSize)
        {
            throw new ArgumentException(
                $"The dataset '{data.Name}' has {data.InputSize} inputs and {data.TargetSize} target value(s) per example, but {TNet.Name} takes {TNet.InputSize} inputs and {TNet.TargetSize} target value(s).",
                nameof(data));
        }
        var inputs = data.Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!float.IsFinite(inputs[i]))
            {
                throw new ArgumentException(
                    $"The dataset '{data.Name}' has a non-finite input ({inputs[i]}) in example {i / data.InputSize}, feature {i % data.InputSize}; clean or impute the data first.",
                    nameof(data));
            }
        }
    }
}
