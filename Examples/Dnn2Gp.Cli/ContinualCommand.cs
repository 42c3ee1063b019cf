using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;
using Spectre.Console;

namespace Dnn2Gp.Cli;

/// <summary>The options of <c>dnn2gp continual</c>; null values keep the benchmark's official settings.</summary>
internal sealed record ContinualOptions(
    string Benchmark, ContinualMethod Method, int Seeds, string? Data, string? Output,
    int? Epochs, int? Tasks, int? TrainLimit, double? LearningRate, double? Tau, int? Memory, double? EwcStrength, int? FirstSeed);

/// <summary>
/// <c>dnn2gp continual &lt;split-mnist|permuted-mnist|split-cifar|toy&gt; --method …</c>: FROMP, its ablations, EWC or
/// fine-tuning over seeds with the official hyperparameters; prints each accuracy matrix and the average accuracy
/// (mean ± population std over seeds) and writes CSVs and PNG figures (accuracy matrix, memorable images, toy boundaries).
/// </summary>
internal static class ContinualCommand
{
    public static readonly string[] Benchmarks = ["split-mnist", "permuted-mnist", "split-cifar", "toy"];

    public static readonly Dictionary<string, ContinualMethod> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fromp"] = ContinualMethod.Fromp,
        ["fromp-l2"] = ContinualMethod.FrompL2,
        ["frorp"] = ContinualMethod.Frorp,
        ["frorp-l2"] = ContinualMethod.FrorpL2,
        ["ewc"] = ContinualMethod.Ewc,
        ["finetune"] = ContinualMethod.FineTuning,
    };

    public static int Run(ContinualOptions options)
    {
        switch (options.Benchmark.ToLowerInvariant())
        {
            case "split-mnist":
                return RunMnist<SplitMnistMlp>(options, ContinualSettings.SplitMnist, folder => SplitMnist.Load(folder), permuted: false);
            case "permuted-mnist":
                return RunMnist<PermutedMnistMlp>(options, ContinualSettings.PermutedMnist, folder => PermutedMnist.Load(folder), permuted: true);
            case "split-cifar":
                return RunCifar(options);
            case "toy":
                return ContinualToy.Run(options);
            default:
                Console.Error.WriteLine($"Unknown benchmark '{options.Benchmark}'. Benchmarks: {string.Join(", ", Benchmarks)}.");
                return 2;
        }
    }

    /// <summary>The benchmark's settings with the command line's overrides.</summary>
    public static ContinualSettings Settings(ContinualSettings preset, ContinualOptions options)
    {
        var settings = preset.WithMethod(options.Method);
        if (options.Epochs is int epochs) settings = settings with { Epochs = epochs };
        if (options.LearningRate is double lr) settings = settings with { LearningRate = lr };
        if (options.Tau is double tau) settings = settings with { Tau = tau };
        if (options.Memory is int memory) settings = settings with { MemoryPerTask = memory };
        if (options.EwcStrength is double lambda) settings = settings with { EwcStrength = lambda };
        if (options.FirstSeed is int seed) settings = settings with { Seed = seed };
        settings.Validate();
        return settings;
    }

    private static int RunMnist<TNet>(ContinualOptions options, ContinualSettings preset, Func<string, TaskSequence> load, bool permuted)
        where TNet : INetwork<TNet, float>
    {
        string? folder = options.Data ?? DataPaths.FindShared(SharedDataFolders.Mnist);
        if (folder is null || !Directory.Exists(folder))
        {
            Console.Error.WriteLine($"MNIST not found: pass --data <folder> holding {string.Join(", ", Mnist.FileNames)} (gzipped or not; Fashion-MNIST's files work too).");
            return 2;
        }
        return RunSequence<TNet>(options, preset, load(folder), folder, permuted);
    }

    /// <summary>Split CIFAR on FROMP's CifarNet (60 outputs); the CIFAR-10 and CIFAR-100 binary files in one folder.</summary>
    private static int RunCifar(ContinualOptions options)
    {
        string? folder = options.Data ?? DataPaths.FindShared("cifar");
        if (folder is null)
        {
            Console.Error.WriteLine("CIFAR not found: pass --data <folder> holding the binary CIFAR-10 files (data_batch_1.bin … data_batch_5.bin, test_batch.bin) and CIFAR-100's train.bin and test.bin (or their archives' cifar-10-batches-bin and cifar-100-binary folders).");
            return 2;
        }
        TaskSequence sequence;
        try
        {
            sequence = SplitCifar.Load(folder);
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        return RunSequence<CifarNet>(options, ContinualSettings.SplitCifar, sequence, folder, permuted: false);
    }

    private static int RunSequence<TNet>(ContinualOptions options, ContinualSettings preset, TaskSequence loaded, string folder, bool permuted)
        where TNet : INetwork<TNet, float>
    {
        ContinualSettings settings = Settings(preset, options);
        TaskSequence sequence = Restrict(loaded, options.Tasks, options.TrainLimit);
        string output = options.Output ?? Path.Combine("continual-results", $"{options.Benchmark}-{MethodKey(options.Method)}");
        Directory.CreateDirectory(output);
        Console.WriteLine($"{sequence}; data from {Path.GetFullPath(folder)}");
        Console.WriteLine($"{TNet.Name}: {TNet.ParameterCount:N0} parameters");
        Console.WriteLine(settings.ToString());

        var runs = new List<AccuracyMatrix>();
        var seeds = new List<int>();
        var reports = new List<IReadOnlyList<TaskReport>>();
        ContinualLearner<TNet, float>? first = null;
        var total = Stopwatch.StartNew();
        for (int r = 0; r < options.Seeds; r++)
        {
            var runSettings = settings with { Seed = settings.Seed + r };
            var learner = new ContinualLearner<TNet, float>(sequence, runSettings);
            var clock = Stopwatch.StartNew();
            RunWithProgress(learner, $"seed {runSettings.Seed}");
            double seconds = clock.Elapsed.TotalSeconds;
            runs.Add(learner.Accuracies);
            seeds.Add(runSettings.Seed);
            reports.Add(learner.Reports);
            first ??= learner;
            PrintMatrix(learner.Accuracies, $"{settings.MethodName}, seed {runSettings.Seed}");
            Console.WriteLine(FormattableString.Invariant($"seed {runSettings.Seed}: average accuracy {100 * learner.Accuracies.FinalAverage:F2} %, run {seconds:F1} s"));
            learner.Accuracies.WriteCsv(Path.Combine(output, $"accuracy-seed{runSettings.Seed}.csv"));
        }
        AccuracySummary summary = AccuracyMatrix.Summarise(runs);
        AccuracyMatrix.WriteSummaryCsv(Path.Combine(output, "summary.csv"), runs, seeds);
        WriteTimings(Path.Combine(output, "timings.csv"), seeds, reports);
        PrintTimings(reports);
        AccuracyMatrix mean = Mean(runs);
        mean.WriteCsv(Path.Combine(output, "accuracy-mean.csv"));
        string heat = Figures.AccuracyHeatMap(Path.Combine(output, "accuracy.png"), mean,
            $"{sequence.Name}, {settings.MethodName}: mean over {runs.Count} seed(s), average {100 * summary.Mean:F2} %");
        Console.WriteLine($"wrote {heat}");
        if (first is not null && first.Memories.Count > 0)
            Console.WriteLine($"wrote {MemorableFigure(Path.Combine(output, "memorable.png"), first, sequence, permuted)}");
        Console.WriteLine(FormattableString.Invariant($"{sequence.Name} {settings.MethodName}: average accuracy {summary} (seeds {string.Join(", ", seeds)}); total {total.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>Trains every task with a progress bar when the console is interactive, one line per epoch otherwise.</summary>
    public static void RunWithProgress<TNet, T>(ContinualLearner<TNet, T> learner, string label)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int tasks = learner.Sequence.Count, epochs = learner.Settings.Epochs;
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastEpoch = (-1, -1);
            var progress = new Progress(p =>
            {
                if (p.Batch == p.Batches && (p.Task, p.Epoch) != lastEpoch)
                {
                    lastEpoch = (p.Task, p.Epoch);
                    Console.WriteLine(FormattableString.Invariant($"{label} task {p.Task + 1}/{p.Tasks} epoch {p.Epoch}/{p.Epochs}: loss {p.MeanLoss:F4} regulariser {p.MeanRegulariser:G4}"));
                }
            });
            while (learner.TasksFinished < tasks)
            {
                var report = learner.TrainTask(progress);
                Console.WriteLine(FormattableString.Invariant($"{label} task {report.Task + 1}: {Row(learner.Accuracies, report.Task)}; epoch {Median(report.EpochSeconds):F2} s, prior {report.PriorSeconds:F2} s, after-task {report.AfterTaskSeconds:F2} s"));
            }
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask(label, maxValue: Math.Max(1, tasks * epochs));
                var progress = new Progress(p =>
                {
                    bar.Value = p.Task * epochs + (p.Epoch - 1) + (double)p.Batch / p.Batches;
                    bar.Description = FormattableString.Invariant($"{label} task {p.Task + 1}/{p.Tasks} epoch {p.Epoch}/{p.Epochs} loss {p.MeanLoss:F4} reg {p.MeanRegulariser:G3}");
                });
                while (learner.TasksFinished < tasks) learner.TrainTask(progress);
            });
    }

    public static void PrintMatrix(AccuracyMatrix matrix, string title)
    {
        var table = new Table { Title = new TableTitle($"accuracy (%) — {title}: row = after training task, column = task tested") };
        table.AddColumn("after");
        for (int s = 0; s < matrix.Tasks; s++) table.AddColumn(new TableColumn($"T{s + 1}").RightAligned());
        table.AddColumn(new TableColumn("avg").RightAligned());
        for (int t = 0; t < matrix.Tasks; t++)
        {
            var cells = new List<string> { $"T{t + 1}" };
            for (int s = 0; s < matrix.Tasks; s++)
                cells.Add(double.IsNaN(matrix[t, s]) ? "" : (100 * matrix[t, s]).ToString("F2", CultureInfo.InvariantCulture));
            cells.Add((100 * matrix.AverageAfter(t)).ToString("F2", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    private static string Row(AccuracyMatrix matrix, int t) =>
        string.Join(" ", Enumerable.Range(0, t + 1).Select(s => (100 * matrix[t, s]).ToString("F2", CultureInfo.InvariantCulture))) +
        FormattableString.Invariant($" (avg {100 * matrix.AverageAfter(t):F2})");

    private static void PrintTimings(List<IReadOnlyList<TaskReport>> reports)
    {
        int tasks = reports[0].Count;
        var line = new List<string>();
        double sum = 0;
        for (int t = 0; t < tasks; t++)
        {
            double median = Median(reports.SelectMany(r => r[t].EpochSeconds).ToArray());
            sum += median;
            line.Add(median.ToString("F2", CultureInfo.InvariantCulture));
        }
        Console.WriteLine(FormattableString.Invariant($"epoch time per task (median over seeds, s): {string.Join(" ", line)}; mean {sum / tasks:F2} s"));
    }

    private static void WriteTimings(string path, List<int> seeds, List<IReadOnlyList<TaskReport>> reports)
    {
        using var csv = new CsvWriter(path, "seed", "task", "epoch", "seconds", "loss", "regulariser", "memory_rows", "prior_seconds", "after_task_seconds", "clipped_fraction");
        for (int r = 0; r < reports.Count; r++)
        {
            foreach (TaskReport report in reports[r])
            {
                for (int e = 0; e < report.EpochSeconds.Length; e++)
                {
                    csv.WriteRow([seeds[r].ToString(CultureInfo.InvariantCulture), (report.Task + 1).ToString(CultureInfo.InvariantCulture), (e + 1).ToString(CultureInfo.InvariantCulture),
                        CsvWriter.Format(report.EpochSeconds[e]), CsvWriter.Format(report.EpochLosses[e]), CsvWriter.Format(report.EpochRegularisers[e]),
                        report.MemoryRows.ToString(CultureInfo.InvariantCulture), CsvWriter.Format(report.PriorSeconds), CsvWriter.Format(report.AfterTaskSeconds),
                        CsvWriter.Format(report.ClippedFraction)]);
                }
            }
        }
    }

    /// <summary>Per task one row: the 6 most memorable training images (largest Λ-score), then the 6 least memorable.</summary>
    /// <summary>A CIFAR image (R, G, B planes of 32 × 32) as its grey luminance, for the memorable-points grid.</summary>
    private static GreyImage Luminance(float[] rgb, string caption)
    {
        var grey = new float[32 * 32];
        for (int k = 0; k < grey.Length; k++) grey[k] = 0.299f * rgb[k] + 0.587f * rgb[1024 + k] + 0.114f * rgb[2048 + k];
        return new GreyImage(grey, 32, 32, caption);
    }

    private static string MemorableFigure<TNet>(string path, ContinualLearner<TNet, float> learner, TaskSequence sequence, bool permuted)
        where TNet : INetwork<TNet, float>
    {
        const int each = 6;
        var images = new List<GreyImage>();
        foreach (TaskMemory<float> memory in learner.Memories)
        {
            ContinualTask task = sequence[memory.TaskIndex];
            ReadOnlySpan<double> scores = memory.TrainingScores;
            int[] order = Enumerable.Range(0, scores.Length).ToArray();
            double[] s = scores.ToArray();
            Array.Sort(order, (a, b) => s[b] != s[a] ? s[b].CompareTo(s[a]) : a.CompareTo(b));
            int[] permutation = permuted ? PermutedMnist.Permutation(task.Number) : [];
            foreach (int i in order.Take(each).Concat(order.Skip(order.Length - each)))
            {
                float[] pixels = task.Train.Input(i).ToArray();
                if (permuted)
                {
                    // x′[k] = x[π[k]], so x[π[k]] = x′[k] shows the digit.
                    var original = new float[pixels.Length];
                    for (int k = 0; k < pixels.Length; k++) original[permutation[k]] = pixels[k];
                    pixels = original;
                }
                int label = task.Train.Label(i) + (sequence.IsMultiHead ? task.HeadStart : 0);
                string caption = FormattableString.Invariant($"T{task.Number} {label} ({s[i]:F2})");
                images.Add(pixels.Length == 3 * 32 * 32 ? Luminance(pixels, caption) : GreyImage.Mnist(pixels, caption));
            }
        }
        int rows = learner.Memories.Count;
        return Figures.ImageGrid(path, images, 2 * each, width: 2 * each * 90, height: 60 + rows * 110,
            title: $"{sequence.Name}: per task the {each} most (left) and {each} least (right) memorable training images (Λ-score)");
    }

    private static TaskSequence Restrict(TaskSequence sequence, int? tasks, int? trainLimit)
    {
        if (tasks is null && trainLimit is null) return sequence;
        int count = Math.Min(tasks ?? sequence.Count, sequence.Count);
        var kept = new ContinualTask[count];
        for (int t = 0; t < count; t++)
        {
            ContinualTask task = sequence[t];
            kept[t] = trainLimit is int limit
                ? new ContinualTask(t, task.Name, () => task.Train.Take(limit), () => task.Test, task.HeadStart, task.Classes)
                : task;
        }
        return new TaskSequence(sequence.Name, sequence.OutputSize, kept);
    }

    private static AccuracyMatrix Mean(List<AccuracyMatrix> runs)
    {
        int n = runs[0].Tasks;
        var mean = new AccuracyMatrix(n);
        for (int t = 0; t < n; t++)
        {
            for (int s = 0; s <= t; s++) mean[t, s] = runs.Average(r => r[t, s]);
        }
        return mean;
    }

    public static string MethodKey(ContinualMethod method) => Methods.First(m => m.Value == method).Key;

    public static double Median(double[] values)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    private sealed class Progress(Action<ContinualProgress> report) : IProgress<ContinualProgress>
    {
        public void Report(ContinualProgress value) => report(value);
    }
}
