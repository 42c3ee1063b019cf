using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>One parallel job of a <see cref="WorkerTeam"/>: its parts, each run once, in any order, by any thread.</summary>
internal interface ITeamJob
{
    /// <summary>Part <paramref name="part"/> (0 ≤ part &lt; parts) of the job.</summary>
    void Execute(int part, int parts);
}

/// <summary>
/// A fixed team of threads, one per core, for the fork/joins of training (a few per minibatch, each a few hundred
/// microseconds of work). The caller takes part in its own job; the other threads are dedicated background threads
/// that wait briefly for the next job (spinning, then yielding) before they block, so a fork costs a few cache-line
/// writes and a join a spin rather than a thread-pool dispatch and a wake-up.
/// </summary>
/// <remarks>
/// <para>
/// Each part of a job is claimed by exactly one thread. Thread i first claims part i (the caller is thread 0), so work
/// split the same way in successive jobs (gather a chunk of a batch, then compute on it) finds its data in that core's
/// cache; then it claims whatever parts are left. When a worker is late (descheduled on a busy machine, or blocked
/// after a long idle period), the caller does its part instead of waiting for it.
/// </para>
/// <para>
/// One job runs at a time. <see cref="TryRun{TJob}"/> returns false, running nothing, when the team is taken (another
/// thread's job, or a call from inside a job); callers then fall back to their own serial or <c>Parallel.For</c> path,
/// so nesting never deadlocks. An exception in a part is rethrown to the caller once every part has finished.
/// </para>
/// </remarks>
internal static unsafe class WorkerTeam
{
    /// <summary>The most parts a job can have.</summary>
    public const int MaxParts = 64;

    /// <summary>How long an idle worker spins for the next job before it blocks (a minibatch step's serial gaps are
    /// microseconds; longer idle periods should not burn a core another process could use).</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private static readonly object s_startLock = new();

    /// <summary>1 for a part that is taken (or beyond the current job), 0 for one still to run.</summary>
    private static readonly int[] s_claims = NewClaims();

    private static Worker[]? s_workers;
    private static int s_busy;
    private static int s_parts;
    private static int s_remaining;
    private static delegate*<void*, int, int, void> s_body;
    private static void* s_context;
    private static ExceptionDispatchInfo? s_error;

    /// <summary>The number of threads of the team, the caller included: one per core.</summary>
    public static int Size { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Runs <c>job.Execute(p, parts)</c> for p = 0 … parts − 1 on the team and the calling thread, and returns true when
    /// all have finished. Returns false without running anything when the team is taken, when the team is the caller
    /// alone, or when <paramref name="parts"/> is not in 2 … <see cref="MaxParts"/>. <paramref name="job"/> must be a
    /// local variable of the caller (the other threads reach it through its address while the call lasts).
    /// </summary>
    public static bool TryRun<TJob>(int parts, ref TJob job) where TJob : struct, ITeamJob
    {
        if (parts < 2 || parts > MaxParts || Size < 2 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            Worker[] team = s_workers ?? Start();
            s_body = &Invoke<TJob>;
            s_context = Unsafe.AsPointer(ref job);
            s_parts = parts;
            s_error = null;
            s_remaining = parts;
            for (int p = 0; p < parts; p++)
            {
                Volatile.Write(ref s_claims[p], 0); // after the job's fields; every entry at or beyond parts stays 1
            }
            int helpers = Math.Min(parts, Size);
            for (int w = 1; w < helpers; w++)
            {
                team[w].Post();
            }

            RunParts(0);

            var spinner = default(SpinWait);
            while (Volatile.Read(ref s_remaining) != 0)
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

    private static void Invoke<TJob>(void* context, int part, int parts) where TJob : struct, ITeamJob
        => Unsafe.AsRef<TJob>(context).Execute(part, parts);

    /// <summary>Claims and runs part <paramref name="first"/> (if it is part of the job), then any part left.</summary>
    private static void RunParts(int first)
    {
        int parts = Volatile.Read(ref s_parts);
        if (first < parts)
        {
            TryRunPart(first);
        }
        for (int p = 0; p < parts; p++)
        {
            TryRunPart(p);
        }
    }

    private static void TryRunPart(int part)
    {
        if (Volatile.Read(ref s_claims[part]) != 0 || Interlocked.Exchange(ref s_claims[part], 1) != 0)
        {
            return;
        }
        // The claim succeeded, so this job is still running and its caller waits for this part: its fields hold.
        try
        {
            s_body(s_context, part, s_parts);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
        }
        finally
        {
            Interlocked.Decrement(ref s_remaining);
        }
    }

    private static int[] NewClaims()
    {
        var claims = new int[MaxParts];
        Array.Fill(claims, 1);
        return claims;
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

    /// <summary>One dedicated thread: waits until a job is posted to it, then claims parts of it.</summary>
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

        /// <summary>Tells the thread a job was published (the static fields, written before) and wakes it if it blocked.</summary>
        public void Post()
        {
            Interlocked.Increment(ref _ticket); // full fence: the job is visible first, and _state is read after
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
                // A late thread may find the job done (every part claimed) or even the next one published: it only
                // ever runs parts it claims, and a part can only be claimed while its job runs.
                RunParts(_index);
            }
        }

        private long WaitForJob(long seen)
        {
            long start = Stopwatch.GetTimestamp();
            var spinner = default(SpinWait);
            long ticket;
            while ((ticket = Volatile.Read(ref _ticket)) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < s_spinTicks)
                {
                    // Spins, then yields between checks: on a busy machine the time slice goes to a thread with work
                    // (the caller, say) rather than to this wait.
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                spinner.Reset();
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
