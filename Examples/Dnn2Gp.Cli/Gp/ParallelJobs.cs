using System;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;

namespace Dnn2Gp.Cli.Gp;

/// <summary>Runs independent jobs (one trained network each) on all cores with a progress bar (or periodic lines when not interactive).</summary>
internal static class ParallelJobs
{
    public static void Run(string description, int count, Action<int> job)
    {
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(description, maxValue: count);
                    Parallel.For(0, count, options, i =>
                    {
                        job(i);
                        task.Increment(1);
                    });
                });
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int step = Math.Max(1, count / 10);
        Parallel.For(0, count, options, i =>
        {
            job(i);
            int now = Interlocked.Increment(ref done);
            if (now % step == 0 || now == count)
                Console.WriteLine(FormattableString.Invariant($"# {description}: {now}/{count} done ({clock.Elapsed.TotalSeconds:F0} s)"));
        });
    }
}
