using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Cli.Benchmarks;

namespace Dnn2Gp.Cli;

/// <summary>
/// <c>dnn2gp bench &lt;workload&gt;</c>: times a standard workload and prints
/// <c>&lt;workload&gt; &lt;median_seconds&gt; &lt;peak_managed_MB&gt;</c> (details on lines starting with '#').
/// Warm-up runs (at least one, and 1.5 s), then the median of the repeats. Workloads are the <see cref="IBenchmark"/> implementations of
/// this assembly (one file each, under <c>Benchmarks/</c>).
/// </summary>
internal static class BenchCommand
{
    private static readonly Lazy<IReadOnlyList<IBenchmark>> s_all = new(Discover);

    /// <summary>Every workload's name, sorted.</summary>
    public static IEnumerable<string> Workloads => s_all.Value.Select(b => b.Name);

    public static int Run(string workload, int repeats)
    {
        var benchmark = s_all.Value.FirstOrDefault(b => b.Name == workload);
        if (benchmark is null)
        {
            Console.Error.WriteLine($"Unknown workload '{workload}'. Known workloads: {string.Join(", ", Workloads)}.");
            return 2;
        }
        Console.WriteLine($"# {benchmark.Name}: {benchmark.Description}");
        double[] times = benchmark.Run(repeats);
        double median = BenchmarkTiming.Median(times);
        Console.WriteLine(FormattableString.Invariant($"# runs (s): {string.Join(" ", times.Select(t => t.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}; peak working set {BenchmarkTiming.PeakWorkingSetMegabytes():F0} MB"));
        Console.WriteLine(FormattableString.Invariant($"{benchmark.Name} {median:F4} {BenchmarkTiming.PeakManagedMegabytes():F1}"));
        return 0;
    }

    private static IReadOnlyList<IBenchmark> Discover()
    {
        var all = typeof(BenchCommand).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface && typeof(IBenchmark).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        var twice = all.GroupBy(b => b.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InvalidOperationException($"Two benchmarks are named '{twice.Key}' ({string.Join(", ", twice.Select(b => b.GetType().Name))}); give each workload its own name.");
        return all;
    }
}
