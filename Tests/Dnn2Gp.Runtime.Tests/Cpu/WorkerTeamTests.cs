using System;
using System.Threading;
using System.Threading.Tasks;
using Dnn2Gp.Runtime.Cpu;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>
/// The worker team: every worker runs once per job, a barrier orders the phases of a job, exceptions reach the caller
/// without deadlocking a barrier, and a taken team says so instead of nesting.
/// </summary>
public sealed unsafe class WorkerTeamTests
{
    private static int Workers => WorkerTeam.Size;

    /// <summary>Records which workers ran, then (after a barrier) reads what every other worker wrote before it.</summary>
    private struct PhasedJob : ITeamJob
    {
        public int* Calls;
        public long* Written;
        public long* Seen;
        public long Round;

        public readonly void Execute(int worker, int workers)
        {
            Interlocked.Increment(ref Calls[worker]);
            Written[worker] = Round * 1000 + worker;
            WorkerTeam.Barrier();
            long sum = 0;
            for (int w = 0; w < workers; w++) sum += Written[w];
            Seen[worker] = sum;
            WorkerTeam.Barrier();
            Written[worker] = -1; // every worker has read before anyone overwrites
        }
    }

    private struct ThrowingJob : ITeamJob
    {
        public int Thrower;
        public int* Passed;

        public readonly void Execute(int worker, int workers)
        {
            if (worker == Thrower)
            {
                throw new InvalidOperationException($"worker {worker} failed");
            }
            WorkerTeam.Barrier(); // the others wait here for a worker that never comes
            Interlocked.Increment(ref *Passed);
        }
    }

    private struct NestedJob : ITeamJob
    {
        public int* NestedRan;

        public readonly void Execute(int worker, int workers)
        {
            var inner = new CountingJob { Count = NestedRan };
            if (WorkerTeam.TryRun(workers, ref inner))
            {
                throw new InvalidOperationException("a nested job ran on the taken team");
            }
        }
    }

    private struct CountingJob : ITeamJob
    {
        public int* Count;

        public readonly void Execute(int worker, int workers) => Interlocked.Increment(ref *Count);
    }

    [Fact]
    public void EveryWorkerRunsOncePerJobAndTheBarrierOrdersThePhases()
    {
        if (Workers < 2)
        {
            var none = new CountingJob();
            Assert.False(WorkerTeam.TryRun(2, ref none));
            return;
        }
        int* calls = stackalloc int[Workers];
        long* written = stackalloc long[Workers];
        long* seen = stackalloc long[Workers];
        for (int workers = 2; workers <= Workers; workers++)
        {
            for (int w = 0; w < Workers; w++) calls[w] = 0;
            for (long round = 1; round <= 2000; round++)
            {
                var job = new PhasedJob { Calls = calls, Written = written, Seen = seen, Round = round };
                Assert.True(RunWhenFree(workers, ref job));
                long expected = 0;
                for (int w = 0; w < workers; w++) expected += round * 1000 + w;
                for (int w = 0; w < workers; w++) Assert.Equal(expected, seen[w]);
            }
            for (int w = 0; w < Workers; w++) Assert.Equal(w < workers ? 2000 : 0, calls[w]);
        }
    }

    [Fact]
    public void AnExceptionReachesTheCallerAndReleasesTheOthersFromTheBarrier()
    {
        if (Workers < 2)
        {
            return;
        }
        int passed = 0;
        for (int thrower = 0; thrower < Workers; thrower++)
        {
            var job = new ThrowingJob { Thrower = thrower, Passed = &passed };
            string? message = null;
            try
            {
                RunWhenFree(Workers, ref job);
            }
            catch (InvalidOperationException e)
            {
                message = e.Message;
            }
            Assert.Equal($"worker {thrower} failed", message);
        }
        Assert.Equal(0, passed);

        // The team is usable again afterwards.
        int count = 0;
        var after = new CountingJob { Count = &count };
        Assert.True(RunWhenFree(Workers, ref after));
        Assert.Equal(Workers, count);
    }

    [Fact]
    public void ANestedCallIsRefusedAndOutOfRangeCountsRunNothing()
    {
        int count = 0;
        var one = new CountingJob { Count = &count };
        Assert.False(WorkerTeam.TryRun(1, ref one));
        Assert.False(WorkerTeam.TryRun(WorkerTeam.Size + 1, ref one));
        Assert.Equal(0, count);
        if (Workers < 2)
        {
            return;
        }
        int nested = 0;
        var job = new NestedJob { NestedRan = &nested };
        Assert.True(RunWhenFree(Workers, ref job));
        Assert.Equal(0, nested);
    }

    [Fact]
    public void ConcurrentCallersEachGetTheTeamOrAFalse()
    {
        if (Workers < 2)
        {
            return;
        }
        int ran = 0, refused = 0;
        Parallel.For(0, 4, _ =>
        {
            int count = 0;
            for (int i = 0; i < 500; i++)
            {
                var job = new CountingJob { Count = &count };
                if (WorkerTeam.TryRun(Workers, ref job)) Interlocked.Increment(ref ran);
                else Interlocked.Increment(ref refused);
            }
            Assert.Equal(0, count % Workers);
        });
        Assert.Equal(2000, ran + refused);
        Assert.True(ran > 0);
    }

    /// <summary>TryRun, retried while another test (running in parallel) holds the team.</summary>
    private static bool RunWhenFree<TJob>(int workers, ref TJob job) where TJob : struct, ITeamJob
    {
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < 1_000_000; attempt++)
        {
            if (WorkerTeam.TryRun(workers, ref job))
            {
                return true;
            }
            spinner.SpinOnce();
        }
        return false;
    }
}
