using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// A shape-specialised kernel over a contiguous chunk of a batch. Generated networks implement one per pass; the
/// spans it gets are already sliced to its rows (the output span to its rows for <see cref="BatchParallel.MapRows{TKernel,T}"/>,
/// a whole parameter-sized buffer of its own for <see cref="BatchParallel.SumGradients{TKernel,T}"/>).
/// </summary>
public interface IBatchKernel<T> where T : unmanaged
{
    /// <summary>Processes <paramref name="count"/> examples and returns a partial sum (a loss, or 0).</summary>
    static abstract double Run(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> output, int count, T scale);
}

/// <summary>
/// Splits a batch into one contiguous chunk per core and runs a kernel on each: the chunk, not the GEMM, is the unit
/// of parallelism, so each batch costs one fork/join. Callers' spans are pinned for the duration of the call, so
/// generated code needs no unsafe code of its own.
/// </summary>
public static unsafe class BatchParallel
{
    /// <summary>How many workers a batch gets: one per core, each with at least <paramref name="minRowsPerWorker"/> rows.</summary>
    public static int WorkerCount(int batch, int minRowsPerWorker) =>
        Math.Max(1, Math.Min(Environment.ProcessorCount, batch / Math.Max(1, minRowsPerWorker)));

    /// <summary>
    /// Runs <typeparamref name="TKernel"/> on row chunks; the outputs [batch, outputSize] are split by rows
    /// (outputSize may be 0 for kernels that only return a sum). Returns the sum of the chunks' results, in chunk order.
    /// </summary>
    public static double MapRows<TKernel, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int inputSize,
        ReadOnlySpan<T> targets, int targetSize, Span<T> outputs, int outputSize, int batch, T scale, int minRowsPerWorker)
        where TKernel : IBatchKernel<T>
        where T : unmanaged
    {
        int workers = WorkerCount(batch, minRowsPerWorker);
        if (workers == 1 || batch == 0)
        {
            return TKernel.Run(parameters, inputs.Slice(0, batch * inputSize), targets.Slice(0, batch * targetSize),
                outputs.Slice(0, batch * outputSize), batch, scale);
        }
        double[] partial = ArrayPool<double>.Shared.Rent(workers);
        try
        {
            fixed (T* p = parameters)
            fixed (T* x = inputs)
            fixed (T* y = targets)
            fixed (T* o = outputs)
            {
                nint pp = (nint)p, px = (nint)x, py = (nint)y, po = (nint)o;
                int pLength = parameters.Length;
                Run(workers, w =>
                {
                    (int start, int count) = Chunk(batch, workers, w);
                    partial[w] = TKernel.Run(
                        new ReadOnlySpan<T>((T*)pp, pLength),
                        new ReadOnlySpan<T>((T*)px + (long)start * inputSize, count * inputSize),
                        new ReadOnlySpan<T>((T*)py + (long)start * targetSize, count * targetSize),
                        new Span<T>((T*)po + (long)start * outputSize, count * outputSize),
                        count, scale);
                });
            }
            double sum = 0;
            for (int w = 0; w < workers; w++) sum += partial[w];
            return sum;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partial);
        }
    }

    /// <summary>
    /// Runs <typeparamref name="TKernel"/> on row chunks, each writing a whole gradient of its own (the first into
    /// <paramref name="gradient"/>, the others into pooled buffers), then sums the gradients into
    /// <paramref name="gradient"/>. Returns the sum of the chunks' losses.
    /// </summary>
    public static double SumGradients<TKernel, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int inputSize,
        ReadOnlySpan<T> targets, int targetSize, Span<T> gradient, int batch, T scale, int minRowsPerWorker)
        where TKernel : IBatchKernel<T>
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int workers = WorkerCount(batch, minRowsPerWorker);
        if (workers == 1 || batch == 0)
        {
            if (batch == 0)
            {
                gradient.Clear();
                return 0;
            }
            return TKernel.Run(parameters, inputs.Slice(0, batch * inputSize), targets.Slice(0, batch * targetSize), gradient, batch, scale);
        }
        int size = gradient.Length;
        double[] partial = ArrayPool<double>.Shared.Rent(workers);
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
                Run(workers, w =>
                {
                    (int start, int count) = Chunk(batch, workers, w);
                    Span<T> own = w == 0 ? new Span<T>((T*)pg, size) : extra[w].AsSpan(0, size);
                    partial[w] = TKernel.Run(
                        new ReadOnlySpan<T>((T*)pp, pLength),
                        new ReadOnlySpan<T>((T*)px + (long)start * inputSize, count * inputSize),
                        new ReadOnlySpan<T>((T*)py + (long)start * targetSize, count * targetSize),
                        own, count, scale);
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
            ArrayPool<double>.Shared.Return(partial);
            for (int w = 1; w < workers; w++)
            {
                if (extra[w] is { } buffer) ArrayPool<T>.Shared.Return(buffer);
            }
        }
    }

    private static (int Start, int Count) Chunk(int batch, int workers, int worker)
    {
        int start = (int)((long)batch * worker / workers);
        int end = (int)((long)batch * (worker + 1) / workers);
        return (start, end - start);
    }

    private static void Run(int workers, Action<int> body)
    {
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
