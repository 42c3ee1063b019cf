using System;
using System.Threading;
using System.Threading.Tasks;
using Dnn2Gp.Runtime.Cpu;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>
/// The worker team: every part of a job runs exactly once and is done when the call returns, an exception reaches the
/// caller after the other parts ran, and a taken team says so instead of nesting.
/// </summary>
public sealed unsafe class WorkerTeamTests
{
    private static bool HasTeam => WorkerTeam.Size >= 2;

    /// <summary>Counts the runs of each part and writes a value that depends on the round.</summary>
    private struct CountingJob : ITeamJob
    {
        public int* Calls;
        public long* Written;
        public long Round;

        public readonly void Execute(int part, int parts)
        {
            Interlocked.Increment(ref Calls[part]);
            Written[part] = Round * 1000 + part + parts;
        }
    }

    private struct ThrowingJob : ITeamJob
    {
        public int Thrower;
        public int* Finished;

        public readonly void Execute(int part, int parts)
        {
            if (part == Thrower)
            {
                throw new InvalidOperationException($"part {part} failed");
            }
            Thread.SpinWait(1000);
            Interlocked.Increment(ref *Finished);
        }
    }

    private struct NestedJob : ITeamJob
    {
        public int* NestedRan;

        public readonly void Execute(int part, int parts)
        {
            var inner = new SumJob { Count = NestedRan };
            if (WorkerTeam.TryRun(parts, ref inner))
            {
                throw new InvalidOperationException("a nested job ran on the taken team");
            }
        }
    }

    private struct SumJob : ITeamJob
    {
        public int* Count;

        public readonly void Execute(int part, int parts) => Interlocked.Increment(ref *Count);
    }

    [Fact]
    public void EveryPartRunsExactlyOnceAndIsDoneWhenTheCallReturns()
    {
        int* calls = stackalloc int[WorkerTeam.MaxParts];
        long* written = stackalloc long[WorkerTeam.MaxParts];
        if (!HasTeam)
        {
            var none = new CountingJob { Calls = calls, Written = written };
            Assert.False(WorkerTeam.TryRun(2, ref none));
            return;
        }
        foreach (int parts in new[] { 2, WorkerTeam.Size, WorkerTeam.Size + 1, 7, WorkerTeam.MaxParts })
        {
            new Span<int>(calls, WorkerTeam.MaxParts).Clear();
            int rounds = parts == WorkerTeam.Size ? 3000 : 300;
            for (long round = 1; round <= rounds; round++)
            {
                var job = new CountingJob { Calls = calls, Written = written, Round = round };
                Assert.True(RunWhenFree(parts, ref job));
                for (int p = 0; p < parts; p++) Assert.Equal(round * 1000 + p + parts, written[p]);
            }
            for (int p = 0; p < WorkerTeam.MaxParts; p++) Assert.Equal(p < parts ? rounds : 0, calls[p]);
        }
    }

    [Fact]
    public void AnExceptionReachesTheCallerAfterTheOtherPartsRan()
    {
        if (!HasTeam)
        {
            return;
        }
        int parts = Math.Max(3, WorkerTeam.Size);
        for (int thrower = 0; thrower < parts; thrower++)
        {
            int finished = 0;
            var job = new ThrowingJob { Thrower = thrower, Finished = &finished };
            string? message = null;
            try
            {
                RunWhenFree(parts, ref job);
            }
            catch (InvalidOperationException e)
            {
                message = e.Message;
            }
            Assert.Equal($"part {thrower} failed", message);
            Assert.Equal(parts - 1, Volatile.Read(ref finished));
        }

        // The team is usable again afterwards.
        int count = 0;
        var after = new SumJob { Count = &count };
        Assert.True(RunWhenFree(parts, ref after));
        Assert.Equal(parts, count);
    }

    [Fact]
    public void ANestedCallIsRefusedAndOutOfRangeCountsRunNothing()
    {
        int count = 0;
        var job = new SumJob { Count = &count };
        Assert.False(WorkerTeam.TryRun(1, ref job));
        Assert.False(WorkerTeam.TryRun(WorkerTeam.MaxParts + 1, ref job));
        Assert.Equal(0, count);
        if (!HasTeam)
        {
            return;
        }
        int nested = 0;
        var outer = new NestedJob { NestedRan = &nested };
        Assert.True(RunWhenFree(WorkerTeam.Size, ref outer));
        Assert.Equal(0, nested);
    }

    [Fact]
    public void ConcurrentCallersEachGetTheTeamOrAFalse()
    {
        if (!HasTeam)
        {
            return;
        }
        int ran = 0, refused = 0;
        Parallel.For(0, 4, _ =>
        {
            int count = 0, mine = 0;
            for (int i = 0; i < 500; i++)
            {
                var job = new SumJob { Count = &count };
                if (WorkerTeam.TryRun(3, ref job))
                {
                    mine++;
                    Interlocked.Increment(ref ran);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
            Assert.Equal(3 * mine, count);
        });
        Assert.Equal(2000, ran + refused);
        Assert.True(ran > 0);
    }

    /// <summary>TryRun, retried while another test (running in parallel) holds the team.</summary>
    private static bool RunWhenFree<TJob>(int parts, ref TJob job) where TJob : struct, ITeamJob
    {
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < 1_000_000; attempt++)
        {
            if (WorkerTeam.TryRun(parts, ref job))
            {
                return true;
            }
            spinner.SpinOnce();
        }
        return false;
    }
}
