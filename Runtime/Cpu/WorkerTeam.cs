using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>One parallel job of a <see cref="WorkerTeam"/>: every worker calls <see cref="Execute"/> once.</summary>
internal interface ITeamJob
{
    /// <summary>The part of worker <paramref name="worker"/> (0 ≤ worker &lt; workers) of the job.</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// A fixed team of threads, one per core, for the fork/joins of training (a few per minibatch, each a few
/// hundred microseconds of work). The caller is worker 0 and does its share; the others are dedicated background
/// threads that spin briefly for the next job before they block, so a fork costs a cache-line write and a join a
/// spin rather than a thread-pool dispatch. Worker i is always the same thread, so work split the same way in
/// successive jobs (gather a chunk of a batch, then compute on it) finds its data in that core's cache.
/// </summary>
/// <remarks>
/// One job runs at a time. <see cref="TryRun{TJob}"/> returns false, running nothing, when the team is taken
/// (another thread's job, or a call from inside a job); callers then fall back to their own serial or
/// <c>Parallel.For</c> path, so nesting never deadlocks. An exception in a worker is rethrown to the caller after
/// every worker has stopped; a worker waiting in <see cref="Barrier"/> then leaves the job.
/// </remarks>
internal static unsafe class WorkerTeam
{
    /// <summary>How long an idle worker spins for the next job before it blocks (a minibatch step's serial gaps are
    /// microseconds; longer idle periods should not burn a core another process could use).</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private static readonly object s_startLock = new();
    private static Worker[]? s_workers;

    private static int s_busy;
    private static int s_pending;
    private static int s_jobWorkers;
    private static delegate*<void*, int, int, void> s_body;
    private static void* s_context;
    private static ExceptionDispatchInfo? s_error;

    private static int s_barrierArrived;
    private static int s_barrierPhase;

    /// <summary>The largest number of workers a job can have: one per core.</summary>
    public static int Size { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Runs <c>job.Execute(w, workers)</c> for w = 0 … workers − 1 concurrently, worker 0 on the calling thread, and
    /// returns true when all have finished. Returns false without running anything when the team is taken or
    /// <paramref name="workers"/> is not in 2 … <see cref="Size"/>. <paramref name="job"/> must be a local variable
    /// of the caller (workers reach it through its address while the call lasts).
    /// </summary>
    public static bool TryRun<TJob>(int workers, ref TJob job) where TJob : struct, ITeamJob
    {
        if (workers < 2 || workers > Size || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            Worker[] team = s_workers ?? Start();
            s_body = &Invoke<TJob>;
            s_context = Unsafe.AsPointer(ref job);
            s_jobWorkers = workers;
            s_error = null;
            s_barrierArrived = 0;
            Volatile.Write(ref s_pending, workers - 1);
            for (int w = 1; w < workers; w++)
            {
                team[w].Post();
            }

            Execute(0, workers);

            var spinner = default(SpinWait);
            while (Volatile.Read(ref s_pending) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            s_body = null;
            s_context = null;
            s_error?.Throw();
            return true;
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>
    /// Inside a job: returns when every worker of the job has called it (as many times). Throws, leaving the job, if
    /// another worker failed.
    /// </summary>
    public static void Barrier()
    {
        int phase = Volatile.Read(ref s_barrierPhase);
        if (Interlocked.Increment(ref s_barrierArrived) == s_jobWorkers)
        {
            s_barrierArrived = 0;
            Volatile.Write(ref s_barrierPhase, phase + 1);
            return;
        }
        var spinner = default(SpinWait);
        while (Volatile.Read(ref s_barrierPhase) == phase)
        {
            if (Volatile.Read(ref s_error) is not null)
            {
                throw new JobAbandonedException();
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static void Invoke<TJob>(void* context, int worker, int workers) where TJob : struct, ITeamJob
        => Unsafe.AsRef<TJob>(context).Execute(worker, workers);

    private static void Execute(int worker, int workers)
    {
        try
        {
            s_body(s_context, worker, workers);
        }
        catch (JobAbandonedException)
        {
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    private static Worker[] Start()
    {
        lock (s_startLock)
        {
            if (s_workers is null)
            {
                var team = new Worker[Size];
                for (int w = 1; w < team.Length; w++)
                {
                    team[w] = new Worker(w);
                }
                s_workers = team;
            }
            return s_workers;
        }
    }

    /// <summary>Thrown inside a job's other workers when one worker failed, to leave a barrier.</summary>
    private sealed class JobAbandonedException : Exception
    {
    }

    /// <summary>One dedicated thread: waits until a job is posted to it, runs its part, reports it done.</summary>
    private sealed class Worker
    {
        private const int Running = 0;
        private const int Sleeping = 1;

        private readonly int _index;
        private readonly SemaphoreSlim _wake = new(0);
        private long _ticket;
        private int _state;

        public Worker(int index)
        {
            _index = index;
            var thread = new Thread(Loop, maxStackSize: 1 << 20)
            {
                IsBackground = true,
                Name = $"Dnn2Gp worker {index}",
            };
            thread.Start();
        }

        /// <summary>Hands the published job (the static fields, written before) to this thread and wakes it if it blocked.</summary>
        public void Post()
        {
            Interlocked.Increment(ref _ticket); // full fence: the job's fields are visible first, and _state is read after
            if (Interlocked.Exchange(ref _state, Running) == Sleeping)
            {
                _wake.Release();
            }
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                seen = WaitForJob(seen);
                Execute(_index, s_jobWorkers);
                Interlocked.Decrement(ref s_pending);
            }
        }

        private long WaitForJob(long seen)
        {
            long start = Stopwatch.GetTimestamp();
            long ticket;
            while ((ticket = Volatile.Read(ref _ticket)) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < s_spinTicks)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                Interlocked.Exchange(ref _state, Sleeping); // full fence before the ticket is read again
                if (Volatile.Read(ref _ticket) == seen)
                {
                    _wake.Wait();
                }
                Interlocked.Exchange(ref _state, Running);
                start = Stopwatch.GetTimestamp();
            }
            return ticket;
        }
    }
}
