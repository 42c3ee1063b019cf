using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// A shape-specialised kernel over a contiguous chunk of a batch. Generated networks implement one per forward pass; the
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
/// <remarks>
/// The chunks run on the runtime's worker team: the caller takes the first chunk and team thread i takes chunk i when
/// it is on time (the rows <see cref="MinibatchSampler{T}"/> gathered on that core), else any thread does. When the
/// team is taken (a call from inside another parallel call, or from a second thread at the same time) they run on
/// <c>Parallel.For</c> instead (<see cref="ForEachWorker"/>), with the same result. <see cref="SumGradients{TKernel,T}"/>
/// (what generated networks use for their gradients) gives each chunk a gradient of its own and adds them in chunk
/// order, each worker summing its own range of the gradient.
/// </remarks>
public static unsafe class BatchParallel
{
    /// <summary>Tests set this to run the <c>Parallel.For</c> path instead of the worker team.</summary>
    internal static bool ForceFallback { get; set; }

    /// <summary>How many workers a batch gets: one per core, each with at least <paramref name="minRowsPerWorker"/> rows.</summary>
    public static int WorkerCount(int batch, int minRowsPerWorker) =>
        Math.Max(1, Math.Min(Environment.ProcessorCount, batch / Math.Max(1, minRowsPerWorker)));

    /// <summary>The rows [start, start + count) of chunk <paramref name="worker"/> when <paramref name="batch"/> rows are
    /// split over <paramref name="workers"/> workers (the split every parallel pass over a batch uses).</summary>
    public static (int Start, int Count) Chunk(int batch, int workers, int worker)
    {
        int start = (int)((long)batch * worker / workers);
        int end = (int)((long)batch * (worker + 1) / workers);
        return (start, end - start);
    }

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
        double* partial = stackalloc double[workers];
        fixed (T* p = parameters)
        fixed (T* x = inputs)
        fixed (T* y = targets)
        fixed (T* o = outputs)
        {
            var job = new MapJob<TKernel, T>
            {
                Parameters = p, ParameterLength = parameters.Length, Inputs = x, InputSize = inputSize,
                Targets = y, TargetSize = targetSize, Outputs = o, OutputSize = outputSize, Batch = batch, Scale = scale,
                Workers = workers, Partial = partial,
            };
            if (ForceFallback || !WorkerTeam.TryRun(workers, ref job))
            {
                ForEachWorker(workers, job.Execute);
            }
        }
        double sum = 0;
        for (int w = 0; w < workers; w++) sum += partial[w];
        return sum;
    }

    /// <summary>
    /// Runs <typeparamref name="TKernel"/> on row chunks, each writing a whole gradient of its own (the first into
    /// <paramref name="gradient"/>, the others into per-worker buffers), then sums the gradients into
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
        double* partial = stackalloc double[workers];
        nint* gradients = stackalloc nint[workers];
        fixed (T* p = parameters)
        fixed (T* x = inputs)
        fixed (T* y = targets)
        fixed (T* g = gradient)
        {
            var job = new GradientJob<TKernel, T>
            {
                Parameters = p, ParameterLength = parameters.Length, Inputs = x, InputSize = inputSize,
                Targets = y, TargetSize = targetSize, Gradient = g, GradientLength = gradient.Length, Batch = batch,
                Workers = workers, Scale = scale, Partial = partial, Gradients = gradients,
            };
            if (ForceFallback || !WorkerTeam.TryRun(workers, ref job))
            {
                SumGradientsFallback(ref job, workers);
            }
            else
            {
                var reduce = new ReduceJob<T> { Gradient = g, Length = gradient.Length, Gradients = gradients, Workers = workers };
                if (!WorkerTeam.TryRun(workers, ref reduce))
                {
                    reduce.Execute(0, 1);
                }
            }
        }
        double sum = 0;
        for (int w = 0; w < workers; w++) sum += partial[w];
        return sum;
    }

    /// <summary>The range [start, end) of a length-<paramref name="length"/> vector that worker
    /// <paramref name="worker"/> of <paramref name="workers"/> owns: contiguous, in 64-byte units but the last.</summary>
    internal static (int Start, int End) Range(int length, int workers, int worker, int elementSize)
        => Split(length, workers, worker, Math.Max(1, 64 / elementSize));

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of [0, length), in whole units but the last.</summary>
    private static (int Start, int End) Split(int length, int parts, int part, int unit)
    {
        int units = (length + unit - 1) / unit;
        int start = (int)Math.Min((long)units * part / parts * unit, length);
        int end = (int)Math.Min((long)units * (part + 1) / parts * unit, length);
        return (start, end);
    }

    private static void SumGradientsFallback<TKernel, T>(ref GradientJob<TKernel, T> job, int workers)
        where TKernel : IBatchKernel<T>
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int size = job.GradientLength;
        var extra = new T[]?[workers];
        var handles = new GCHandle[workers];
        try
        {
            for (int w = 1; w < workers; w++)
            {
                extra[w] = ArrayPool<T>.Shared.Rent(size);
                handles[w] = GCHandle.Alloc(extra[w], GCHandleType.Pinned);
                job.Gradients[w] = handles[w].AddrOfPinnedObject();
            }
            var copy = job;
            ForEachWorker(workers, copy.Compute);
            var gradient = new Span<T>(job.Gradient, size);
            for (int w = 1; w < workers; w++)
            {
                TensorPrimitives.Add(gradient, extra[w].AsSpan(0, size), gradient);
            }
        }
        finally
        {
            for (int w = 1; w < workers; w++)
            {
                if (handles[w].IsAllocated) handles[w].Free();
                if (extra[w] is { } buffer) ArrayPool<T>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(w) for w in [0, workers) on <c>Parallel.For</c> (inline when there is one worker) and
    /// rethrows the first exception of a part as itself, not wrapped in an <see cref="AggregateException"/>: the runtime's
    /// one fork/join outside the worker team.
    /// </summary>
    internal static void ForEachWorker(int workers, Action<int> body)
    {
        if (workers == 1)
        {
            body(0);
            return;
        }
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

    /// <summary>One MapRows call: part w runs the kernel on chunk w and stores its result.</summary>
    private struct MapJob<TKernel, T> : ITeamJob
        where TKernel : IBatchKernel<T>
        where T : unmanaged
    {
        public T* Parameters, Inputs, Targets, Outputs;
        public int ParameterLength, InputSize, TargetSize, OutputSize, Batch, Workers;
        public T Scale;
        public double* Partial;

        public readonly void Execute(int part, int parts)
        {
            (int start, int count) = Chunk(Batch, parts, part);
            Partial[part] = TKernel.Run(
                new ReadOnlySpan<T>(Parameters, ParameterLength),
                new ReadOnlySpan<T>(Inputs + ((long)start * InputSize), count * InputSize),
                new ReadOnlySpan<T>(Targets + ((long)start * TargetSize), count * TargetSize),
                new Span<T>(Outputs + ((long)start * OutputSize), count * OutputSize),
                count, Scale);
        }

        /// <summary>The body for <c>Parallel.For</c>.</summary>
        public readonly void Execute(int part) => Execute(part, Workers);
    }

    /// <summary>
    /// The kernel part of one SumGradients call: part w runs the kernel on chunk w into a gradient of its own (part 0
    /// into the caller's).
    /// </summary>
    private struct GradientJob<TKernel, T> : ITeamJob
        where TKernel : IBatchKernel<T>
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        public T* Parameters, Inputs, Targets, Gradient;
        public int ParameterLength, InputSize, TargetSize, GradientLength, Batch, Workers;
        public T Scale;
        public double* Partial;
        public nint* Gradients;

        public readonly void Execute(int part, int parts)
        {
            if (part > 0)
            {
                Gradients[part] = (nint)PartGradients<T>.Get(part, GradientLength);
            }
            Compute(part);
        }

        /// <summary>The kernel on chunk <paramref name="part"/>, into Gradients[part] (the caller's for part 0).</summary>
        public readonly void Compute(int part)
        {
            (int start, int count) = Chunk(Batch, Workers, part);
            T* own = part == 0 ? Gradient : (T*)Gradients[part];
            Partial[part] = TKernel.Run(
                new ReadOnlySpan<T>(Parameters, ParameterLength),
                new ReadOnlySpan<T>(Inputs + ((long)start * InputSize), count * InputSize),
                new ReadOnlySpan<T>(Targets + ((long)start * TargetSize), count * TargetSize),
                new Span<T>(own, GradientLength), count, Scale);
        }
    }

    /// <summary>The sum of one SumGradients call: part r adds the other chunks' gradients over its range, in chunk order.</summary>
    private struct ReduceJob<T> : ITeamJob where T : unmanaged, System.Numerics.INumberBase<T>
    {
        public T* Gradient;
        public int Length, Workers;
        public nint* Gradients;

        public readonly void Execute(int part, int parts)
        {
            (int start, int end) = Range(Length, parts, part, sizeof(T));
            var sum = new Span<T>(Gradient + start, end - start);
            for (int w = 1; w < Workers; w++)
            {
                TensorPrimitives.Add(sum, new ReadOnlySpan<T>((T*)Gradients[w] + start, end - start), sum);
            }
        }
    }

    /// <summary>The team's per-part gradient buffers of SumGradients: pinned, grown on demand and then reused (only
    /// ever used inside a team job, of which one runs at a time).</summary>
    private static class PartGradients<T> where T : unmanaged
    {
        private static readonly T[]?[] s_buffers = new T[]?[WorkerTeam.MaxParts];

        public static T* Get(int part, int length)
        {
            ref T[]? buffer = ref s_buffers[part];
            if (buffer is null || buffer.Length < length)
            {
                buffer = GC.AllocateUninitializedArray<T>(length, pinned: true);
            }
            return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        }
    }
}
