using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// A kernel of a seeded training pass (dropout) over a contiguous chunk of a batch: like <see cref="IBatchKernel{T}"/>,
/// but it also gets the chunk's first row in the batch and the pass's seed, so random masks depend on the row, not on
/// how the batch was split.
/// </summary>
public interface ISeededBatchKernel<T> where T : unmanaged
{
    /// <summary>Processes rows <paramref name="start"/> … start+count−1 and returns a partial loss.</summary>
    static abstract double Run(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient,
        int start, int count, T scale, ulong seed);
}

/// <summary>
/// <see cref="BatchParallel.SumGradients{TKernel,T}"/> for seeded training passes: one contiguous chunk per core, each
/// writing a whole gradient of its own, summed at the end. Callers' spans are pinned for the duration of the call.
/// </summary>
public static unsafe class SeededBatchParallel
{
    /// <summary>Runs <typeparamref name="TKernel"/> on row chunks and sums their gradients into <paramref name="gradient"/>; returns the summed loss.</summary>
    public static double SumGradients<TKernel, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int inputSize,
        ReadOnlySpan<T> targets, int targetSize, Span<T> gradient, int batch, T scale, ulong seed, int minRowsPerWorker)
        where TKernel : ISeededBatchKernel<T>
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int workers = BatchParallel.WorkerCount(batch, minRowsPerWorker);
        if (batch == 0)
        {
            gradient.Clear();
            return 0;
        }
        if (workers == 1)
        {
            return TKernel.Run(parameters, inputs.Slice(0, batch * inputSize), targets.Slice(0, batch * targetSize), gradient, 0, batch, scale, seed);
        }
        int size = gradient.Length;
        double[] partial = new double[workers];
        var extra = new T[]?[workers];
        try
        {
            for (int w = 1; w < workers; w++) extra[w] = ArrayPool<T>.Shared.Rent(size);
            fixed (T* p = parameters)
            fixed (T* x = inputs)
            fixed (T* y = targets)
            fixed (T* g = gradient)
            {
                nint pp = (nint)p, px = (nint)x, py = (nint)y, pg = (nint)g;
                int pLength = parameters.Length;
                BatchParallel.ForEachWorker(workers, w =>
                {
                    int start = (int)((long)batch * w / workers), end = (int)((long)batch * (w + 1) / workers);
                    Span<T> own = w == 0 ? new Span<T>((T*)pg, size) : extra[w].AsSpan(0, size);
                    partial[w] = TKernel.Run(
                        new ReadOnlySpan<T>((T*)pp, pLength),
                        new ReadOnlySpan<T>((T*)px + (long)start * inputSize, (end - start) * inputSize),
                        new ReadOnlySpan<T>((T*)py + (long)start * targetSize, (end - start) * targetSize),
                        own, start, end - start, scale, seed);
                });
            }
            double sum = partial[0];
            for (int w = 1; w < workers; w++)
            {
                TensorPrimitives.Add(gradient, extra[w].AsSpan(0, size), gradient);
                sum += partial[w];
            }
            return sum;
        }
        finally
        {
            for (int w = 1; w < workers; w++)
            {
                if (extra[w] is { } buffer) ArrayPool<T>.Shared.Return(buffer);
            }
        }
    }
}
