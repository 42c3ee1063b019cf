namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// One standard workload of <c>dnn2gp bench</c>. Every non-abstract implementation in this assembly with a public
/// parameterless constructor is found by <see cref="BenchCommand"/>, so adding a workload means adding one file.
/// </summary>
internal interface IBenchmark
{
    /// <summary>The workload's name on the command line, e.g. <c>train-mlp</c>.</summary>
    string Name { get; }

    /// <summary>One line: what is timed, on which shapes and data.</summary>
    string Description { get; }

    /// <summary>
    /// Runs one warm-up, then <paramref name="repeats"/> timed runs; returns the seconds of each timed run.
    /// Detail lines printed on the way start with '#'.
    /// </summary>
    double[] Run(int repeats);
}
