using System;
using System.Diagnostics;
using System.Linq;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;

namespace Dnn2Gp.Cli;

/// <summary>
/// <c>dnn2gp bench &lt;workload&gt;</c>: times a standard workload and prints <c>&lt;workload&gt; &lt;median_seconds&gt;</c>
/// (details on lines starting with '#'). One warm-up run, then the median of the repeats.
/// </summary>
internal static class BenchCommand
{
    public static readonly string[] Workloads = ["train-mlp"];

    public static int Run(string workload, int repeats)
    {
        switch (workload)
        {
            case "train-mlp":
            {
                double median = TimeEpochs<MnistMlp>(batchSize: 256, repeats, seed: 0);
                Console.WriteLine($"train-mlp {median:F4}");
                return 0;
            }
            default:
                Console.Error.WriteLine($"Unknown workload '{workload}'. Known workloads: {string.Join(", ", Workloads)}.");
                return 2;
        }
    }

    /// <summary>Median seconds of one Adam epoch over 60,000 MNIST-sized examples.</summary>
    public static double TimeEpochs<TNet>(int batchSize, int repeats, int seed) where TNet : INetwork<TNet, float>
    {
        var data = SyntheticMnist.Create(60_000, seed: 1);
        var parameters = new float[TNet.ParameterCount];
        TNet.InitializeParameters(parameters, seed);
        var trainer = new MinibatchTrainer<TNet>(data, new Adam<float>(TNet.ParameterCount), batchSize, seed);
        trainer.TrainEpoch(parameters);
        var times = new double[Math.Max(1, repeats)];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            trainer.TrainEpoch(parameters);
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        Console.WriteLine($"# {TNet.Name}: one epoch of {data.Count:N0} examples at batch {batchSize}, {Environment.ProcessorCount} cores; runs (s): {string.Join(" ", times.Select(t => t.ToString("F4")))}");
        return times.Length % 2 == 1 ? times[times.Length / 2] : 0.5 * (times[times.Length / 2 - 1] + times[times.Length / 2]);
    }
}
