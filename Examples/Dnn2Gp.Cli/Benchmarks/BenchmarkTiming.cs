using System;
using System.Diagnostics;
using System.Threading;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>Shared timing helpers of the benchmarks: one warm-up, then timed repeats; medians; peak managed memory.</summary>
internal static class BenchmarkTiming
{
    private static long s_peakBytes;

    /// <summary>Untimed warm-up: at least one run, then more until this long has passed (at most <see cref="MaxWarmUpRuns"/>).</summary>
    public const double WarmUpSeconds = 1.5;

    /// <summary>The most untimed warm-up runs.</summary>
    public const int MaxWarmUpRuns = 20;

    /// <summary>
    /// Runs <paramref name="body"/> untimed until it is warm (at least once, and for <see cref="WarmUpSeconds"/>: .NET's
    /// tiered JIT promotes hot methods to optimised code only after they have run for a while, so one warm-up run leaves
    /// short workloads partly unoptimised), then <paramref name="repeats"/> times timed, while a background sampler
    /// records the largest managed heap size seen (see <see cref="PeakManagedMegabytes"/>).
    /// </summary>
    public static double[] Repeat(int repeats, Action body)
    {
        using var sampler = new PeakSampler();
        var warm = Stopwatch.StartNew();
        int warmUps = 0;
        do
        {
            body();
            warmUps++;
        }
        while (warm.Elapsed.TotalSeconds < WarmUpSeconds && warmUps < MaxWarmUpRuns);
        var times = new double[Math.Max(1, repeats)];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            body();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        return times;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /// <summary>
    /// The largest managed heap (live and not yet collected objects, <see cref="GC.GetTotalMemory(bool)"/>) seen while
    /// workloads ran, sampled every millisecond, in MB. It includes pooled buffers and the workload's own data.
    /// </summary>
    public static double PeakManagedMegabytes() => Math.Max(Interlocked.Read(ref s_peakBytes), GC.GetTotalMemory(false)) / (1024.0 * 1024.0);

    /// <summary>The process's peak working set (managed and native, runtime included), in MB.</summary>
    public static double PeakWorkingSetMegabytes() => Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    private sealed class PeakSampler : IDisposable
    {
        private volatile bool _stop;
        private readonly Thread _thread;

        public PeakSampler()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    long now = GC.GetTotalMemory(false);
                    long seen = Interlocked.Read(ref s_peakBytes);
                    if (now > seen) Interlocked.Exchange(ref s_peakBytes, now);
                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Priority = ThreadPriority.BelowNormal };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
