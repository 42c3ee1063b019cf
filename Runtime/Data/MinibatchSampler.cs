using System;
using System.Numerics;
using System.Runtime.Intrinsics.X86;
using Dnn2Gp.Runtime.Cpu;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// Cuts a <see cref="Dataset"/> into minibatches: each epoch visits every example once, in an order shuffled by a
/// seeded Fisher–Yates shuffle, and each batch's inputs and targets are gathered (converted to
/// <typeparamref name="T"/>) into buffers allocated once by the constructor.
/// </summary>
/// <example>
/// <code>
/// var sampler = new MinibatchSampler&lt;float&gt;(train, batchSize: 128, seed: 1);
/// for (int epoch = 0; epoch &lt; epochs; epoch++)
///     while (sampler.NextBatch())
///         Net.LossAndGradient(w, sampler.Inputs, sampler.Targets, sampler.CurrentBatchSize, g, scale);
/// </code>
/// </example>
/// <typeparam name="T">The element type the network computes in.</typeparam>
public sealed class MinibatchSampler<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dataset _data;
    private readonly int[] _order;
    private readonly T[] _inputs;
    private readonly T[] _targets;
    private readonly Random _random;
    private int _position = -1; // -1: no epoch in progress
    private int _batchStart;

    /// <param name="data">The data set to sample from; it must not be empty.</param>
    /// <param name="batchSize">The number of examples per batch; positive. It is clamped to the data set's size.</param>
    /// <param name="seed">Seeds the shuffles; the same seed gives the same sequence of batches.</param>
    /// <param name="dropLast">Leave out the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <param name="shuffle">Shuffle every epoch (otherwise examples come in data set order).</param>
    public MinibatchSampler(Dataset data, int batchSize, int seed, bool dropLast = false, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
            throw new ArgumentException($"Data set '{data.Name}' is empty; there is nothing to sample.", nameof(data));
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        _data = data;
        BatchSize = Math.Min(batchSize, data.Count);
        DropLast = dropLast;
        Shuffle = shuffle;
        _random = new Random(seed);
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++)
            _order[i] = i;
        _inputs = new T[BatchSize * data.InputSize];
        _targets = new T[BatchSize * data.TargetSize];
        BatchesPerEpoch = dropLast ? data.Count / BatchSize : (data.Count + BatchSize - 1) / BatchSize;
    }

    /// <summary>The data set sampled from.</summary>
    public Dataset Data => _data;

    /// <summary>The (maximum) number of examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a last, smaller batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Whether every epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The number of epochs started so far (1 during the first epoch).</summary>
    public int Epoch { get; private set; }

    /// <summary>The number of examples in the current batch (at most <see cref="BatchSize"/>; 0 before the first batch).</summary>
    public int CurrentBatchSize { get; private set; }

    /// <summary>The current batch's inputs, [CurrentBatchSize, InputSize] row-major.</summary>
    public ReadOnlySpan<T> Inputs => _inputs.AsSpan(0, CurrentBatchSize * _data.InputSize);

    /// <summary>The current batch's targets, [CurrentBatchSize, TargetSize] row-major.</summary>
    public ReadOnlySpan<T> Targets => _targets.AsSpan(0, CurrentBatchSize * _data.TargetSize);

    /// <summary>The data set indices of the current batch's examples.</summary>
    public ReadOnlySpan<int> Indices => _order.AsSpan(_batchStart, CurrentBatchSize);

    /// <summary>The whole input buffer, [BatchSize, InputSize]; only the first <see cref="CurrentBatchSize"/> rows are current.</summary>
    public T[] InputBuffer => _inputs;

    /// <summary>The whole target buffer, [BatchSize, TargetSize]; only the first <see cref="CurrentBatchSize"/> rows are current.</summary>
    public T[] TargetBuffer => _targets;

    /// <summary>Starts a new epoch (shuffling if <see cref="Shuffle"/>), abandoning the rest of the current one.</summary>
    public void StartEpoch()
    {
        if (Shuffle)
        {
            for (int i = _order.Length - 1; i > 0; i--)
            {
                int j = _random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }
        Epoch++;
        _position = 0;
        _batchStart = 0;
        CurrentBatchSize = 0;
    }

    /// <summary>
    /// Gathers the next batch of the epoch and returns true, or returns false when the epoch is over. A call after
    /// the end of an epoch (or the first call) starts a new epoch, so <c>while (sampler.NextBatch())</c> runs one epoch.
    /// </summary>
    public bool NextBatch()
    {
        if (_position < 0)
            StartEpoch();
        int remaining = _order.Length - _position;
        int size = Math.Min(BatchSize, remaining);
        if (size == 0 || (DropLast && size < BatchSize))
        {
            _position = -1;
            CurrentBatchSize = 0;
            _batchStart = 0;
            return false;
        }

        Gather(_position, size);
        _batchStart = _position;
        _position += size;
        CurrentBatchSize = size;
        return true;
    }

    /// <summary>Below this many input elements per batch the gather runs on the calling thread.</summary>
    internal const int ParallelGatherThreshold = 1 << 15;

    /// <summary>Whether big batches may be gathered by the worker team (tests turn it off to get the serial reference).</summary>
    internal bool AllowParallelGather { get; set; } = true;

    /// <summary>
    /// Copies examples _order[first .. first + size) into the batch buffers. Big batches are gathered by the worker
    /// team, part w being the rows <see cref="BatchParallel.Chunk"/> gives chunk w, which the network's parallel passes
    /// hand the same team thread, so they are then read from that core's cache.
    /// </summary>
    private unsafe void Gather(int first, int size)
    {
        int workers = Math.Min(WorkerTeam.Size, size);
        if (!AllowParallelGather || workers < 2 || (long)size * _data.InputSize < ParallelGatherThreshold)
        {
            GatherRows(first, 0, size);
            return;
        }
        var job = new GatherJob { Sampler = this, First = first, Size = size };
        if (!WorkerTeam.TryRun(workers, ref job))
        {
            GatherRows(first, 0, size);
        }
    }

    /// <summary>Copies rows [start, start + count) of the batch: example _order[first + k] into row k.</summary>
    /// <summary>How many rows ahead the gather asks for a source row (its loads then overlap the copies before it).</summary>
    private const int PrefetchRows = 2;

    private void GatherRows(int first, int start, int count)
    {
        int inputSize = _data.InputSize, targetSize = _data.TargetSize;
        ReadOnlySpan<float> inputs = _data.Inputs, targets = _data.Targets;
        int end = start + count;
        for (int k = start; k < end; k++)
        {
            if (k + PrefetchRows < end)
            {
                Prefetch(inputs.Slice(_order[first + k + PrefetchRows] * inputSize, inputSize));
            }
            int i = _order[first + k];
            Convert(inputs.Slice(i * inputSize, inputSize), _inputs.AsSpan(k * inputSize, inputSize));
            Convert(targets.Slice(i * targetSize, targetSize), _targets.AsSpan(k * targetSize, targetSize));
        }
    }

    /// <summary>Asks the caches for every line of <paramref name="row"/>: a shuffled batch's rows are scattered over a
    /// data set far larger than the caches, so each row would otherwise start with a full memory latency.</summary>
    private static unsafe void Prefetch(ReadOnlySpan<float> row)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        fixed (float* p = row)
        {
            byte* start = (byte*)p, end = (byte*)(p + row.Length);
            for (byte* line = start; line < end; line += 64)
            {
                Sse.Prefetch0(line);
            }
        }
    }

    /// <summary>One parallel gather: part w copies chunk w of the batch's rows.</summary>
    private struct GatherJob : ITeamJob
    {
        public MinibatchSampler<T> Sampler;
        public int First, Size;

        public readonly void Execute(int part, int parts)
        {
            (int start, int count) = BatchParallel.Chunk(Size, parts, part);
            Sampler.GatherRows(First, start, count);
        }
    }

    private static void Convert(ReadOnlySpan<float> source, Span<T> destination)
    {
        if (typeof(T) == typeof(float))
        {
            source.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination));
            return;
        }
        for (int i = 0; i < source.Length; i++)
            destination[i] = T.CreateTruncating(source[i]);
    }
}
