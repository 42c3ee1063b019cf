using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// FROMP's cost per epoch against plain Adam's, in one run and alternating so that the machine's load hits both alike:
/// at each task position t the FROMP learner holds the memories of t − 1 earlier tasks (made quickly on 1,024 images each)
/// and trains one epoch of task t's full training set; Adam fine-tuning in the same harness trains the same epoch; the
/// project's MinibatchTrainer (generated LossAndGradient on the network's K-way softmax) is timed as a reference for the
/// harness's own overhead. Real MNIST when found, else synthetic MNIST-sized data. Both wall time and the process's CPU
/// time are reported: on a shared machine the CPU time is the steadier measure of cost.
/// </summary>
internal static class ContinualEpochTiming
{
    public static double[] Run<TNet>(string benchmark, ContinualSettings preset, Func<Dataset, Dataset, TaskSequence> create, int[] positions, int repeats)
        where TNet : INetwork<TNet, float>
    {
        string? folder = DataPaths.FindShared(SharedDataFolders.Mnist);
        Dataset train = folder is null ? SyntheticMnist.Create(60_000, seed: 1) : Mnist.Load(folder, MnistSplit.Train);
        Dataset test = folder is null ? SyntheticMnist.Create(2_000, seed: 2) : Mnist.Load(folder, MnistSplit.Test).Take(2_000);
        TaskSequence full = create(train, test);
        Console.WriteLine($"# {benchmark}: {(folder is null ? "synthetic MNIST-sized data" : "MNIST")}, {TNet.Name}, batch {preset.BatchSize}, {Environment.ProcessorCount} cores, {repeats} timed epochs per method after one warm-up");
        var fromp = new List<double>();
        var ratios = new List<double>();
        var cpuRatios = new List<double>();
        foreach (int t in positions)
        {
            var tasks = new ContinualTask[t];
            for (int s = 0; s < t; s++)
            {
                ContinualTask task = full[s];
                tasks[s] = s < t - 1
                    ? new ContinualTask(s, task.Name, () => task.Train.Take(1_024), () => task.Test, task.HeadStart, task.Classes)
                    : task;
            }
            var sequence = new TaskSequence(full.Name, full.OutputSize, tasks);
            var regularised = Prepare<TNet>(sequence, preset.WithMethod(ContinualMethod.Fromp) with { Epochs = 1 });
            var plain = Prepare<TNet>(sequence, preset.WithMethod(ContinualMethod.FineTuning) with { Epochs = 1 });
            var trainer = new MinibatchTrainer<TNet>(sequence[t - 1].Train, new Adam<float>(TNet.ParameterCount, preset.LearningRate), preset.BatchSize, seed: 1, usePrior: false);
            var weights = plain.Parameters.ToArray();
            var a = new double[repeats];
            var b = new double[repeats];
            var c = new double[repeats];
            var wall = new double[3, repeats];
            var cpu = new double[3, repeats];
            for (int r = -1; r < repeats; r++)
            {
                var times = new (double Wall, double Cpu)[3];
                times[0].Wall = Time(() => regularised.TrainEpoch(), out times[0].Cpu);
                times[1].Wall = Time(() => plain.TrainEpoch(), out times[1].Cpu);
                times[2].Wall = Time(() => trainer.TrainEpoch(weights), out times[2].Cpu);
                if (r < 0) continue;
                for (int m = 0; m < 3; m++) (wall[m, r], cpu[m, r]) = times[m];
            }
            double Med(double[,] x, int m) => BenchmarkTiming.Median(Enumerable.Range(0, repeats).Select(r => x[m, r]).ToArray());
            double ma = Med(wall, 0), mb = Med(wall, 1), mc = Med(wall, 2);
            double ca = Med(cpu, 0), cb = Med(cpu, 1), cc = Med(cpu, 2);
            int rows = regularised.Priors.Sum(p => p.Count);
            Console.WriteLine(FormattableString.Invariant(
                $"# task {t}: {rows} memorable points; epoch of {sequence[t - 1].Train.Count:N0} images, wall (CPU) seconds: FROMP {ma:F3} ({ca:F3}), Adam in the same harness {mb:F3} ({cb:F3}), ratio {ma / mb:F2} ({ca / cb:F2}); MinibatchTrainer {mc:F3} ({cc:F3})"));
            cpuRatios.Add(ca / cb);
            fromp.Add(ma);
            ratios.Add(ma / mb);
        }
        Console.WriteLine(FormattableString.Invariant($"# mean FROMP / Adam epoch-time ratio over task positions {string.Join(", ", positions)}: wall {ratios.Average():F2} (per task: {Join(ratios)}), CPU {cpuRatios.Average():F2} (per task: {Join(cpuRatios)})"));
        return fromp.ToArray();
    }

    private static string Join(List<double> values) => string.Join(" ", values.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A learner that has finished every task but the last and started the last.</summary>
    private static ContinualLearner<TNet, float> Prepare<TNet>(TaskSequence sequence, ContinualSettings settings) where TNet : INetwork<TNet, float>
    {
        var learner = new ContinualLearner<TNet, float>(sequence, settings);
        while (learner.TasksFinished < sequence.Count - 1) learner.TrainTask();
        learner.BeginTask();
        return learner;
    }

    /// <summary>Wall seconds of <paramref name="action"/>; its process CPU seconds (all threads) go to <paramref name="cpu"/>.</summary>
    private static double Time(Action action, out double cpu)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan before = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        cpu = (process.TotalProcessorTime - before).TotalSeconds;
        return wall;
    }
}

/// <summary>FROMP vs Adam per epoch on Split MNIST (784-256-256-10, official settings) at every task position.</summary>
internal sealed class FrompSplitMnistEpochBenchmark : IBenchmark
{
    public string Name => "fromp-split-mnist-epoch";

    public string Description => "one epoch of FROMP vs plain Adam on Split MNIST task t = 1…5 (784-256-256-10, 40 memorable points per past task, batch 128)";

    public double[] Run(int repeats) =>
        ContinualEpochTiming.Run<SplitMnistMlp>(Name, ContinualSettings.SplitMnist, (train, test) => SplitMnist.Create(train, test), [1, 2, 3, 4, 5], repeats);
}

/// <summary>FROMP vs Adam per epoch on Permuted MNIST (784-100-100-10, official settings) at task positions 1, 2, 4, 7, 10.</summary>
internal sealed class FrompPermutedMnistEpochBenchmark : IBenchmark
{
    public string Name => "fromp-permuted-mnist-epoch";

    public string Description => "one epoch of FROMP vs plain Adam on Permuted MNIST task t = 1, 2, 4, 7, 10 (784-100-100-10, 200 memorable points per past task, batch 128)";

    public double[] Run(int repeats) =>
        ContinualEpochTiming.Run<PermutedMnistMlp>(Name, ContinualSettings.PermutedMnist, (train, test) => PermutedMnist.Create(train, test), [1, 2, 4, 7, 10], repeats);
}
