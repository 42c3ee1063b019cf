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
/// harness's own overhead. Real MNIST when found, else synthetic MNIST-sized data.
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
            for (int r = -1; r < repeats; r++)
            {
                double ta = Time(() => regularised.TrainEpoch());
                double tb = Time(() => plain.TrainEpoch());
                double tc = Time(() => trainer.TrainEpoch(weights));
                if (r < 0) continue;
                (a[r], b[r], c[r]) = (ta, tb, tc);
            }
            double ma = BenchmarkTiming.Median(a), mb = BenchmarkTiming.Median(b), mc = BenchmarkTiming.Median(c);
            int rows = regularised.Priors.Sum(p => p.Count);
            Console.WriteLine(FormattableString.Invariant(
                $"# task {t}: {rows} memorable points; epoch of {sequence[t - 1].Train.Count:N0} images: FROMP {ma:F3} s, Adam (same harness) {mb:F3} s, ratio {ma / mb:F2}; MinibatchTrainer (generated LossAndGradient) {mc:F3} s"));
            fromp.Add(ma);
            ratios.Add(ma / mb);
        }
        Console.WriteLine(FormattableString.Invariant($"# mean FROMP / Adam epoch-time ratio over task positions {string.Join(", ", positions)}: {ratios.Average():F2} (per task: {string.Join(" ", ratios.Select(x => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))})"));
        return fromp.ToArray();
    }

    /// <summary>A learner that has finished every task but the last and started the last.</summary>
    private static ContinualLearner<TNet, float> Prepare<TNet>(TaskSequence sequence, ContinualSettings settings) where TNet : INetwork<TNet, float>
    {
        var learner = new ContinualLearner<TNet, float>(sequence, settings);
        while (learner.TasksFinished < sequence.Count - 1) learner.TrainTask();
        learner.BeginTask();
        return learner;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
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
