using System;
using System.Diagnostics;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>train-lenet: one Adam epoch of LeNet-5 over 60,000 MNIST-sized images at batch 128.</summary>
internal sealed class TrainLenetBenchmark : IBenchmark
{
    public string Name => "train-lenet";

    public string Description => "one Adam epoch of LeNet-5 (conv 6-16, 256-120-84-10), 60,000 MNIST-sized images, batch 128";

    public double[] Run(int repeats)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var times = TrainMlpBenchmark.TimeEpochs<LeNet5>(batchSize: 128, repeats, seed: 0);
        double perRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / (times.Length + 1);
        Console.WriteLine(FormattableString.Invariant($"# process CPU time per epoch {perRun:F2} s (warm-up included; {perRun / Environment.ProcessorCount:F2} s of wall time if the cores were free)"));
        return times;
    }
}
