using System;
using System.IO;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;
using Spectre.Console;

namespace Dnn2Gp.Cli;

internal sealed record TrainOptions(string? Data, int Epochs, int BatchSize, double LearningRate, int Seed, int? TrainLimit,
    LearningRateSchedule Schedule = LearningRateSchedule.Constant);

/// <summary>How <c>dnn2gp train</c> sets Adam's learning rate at the start of each epoch.</summary>
internal enum LearningRateSchedule
{
    /// <summary>The given rate throughout.</summary>
    Constant,

    /// <summary>Cosine decay per epoch: lr · ½(1 + cos(π (e − 1) / E)) in epoch e of E, from lr down to a few % of it.</summary>
    Cosine,
}

/// <summary><c>dnn2gp train</c>: MAP training with Adam on MNIST (or a built-in synthetic stand-in), then test accuracy.</summary>
internal static class TrainCommand
{
    public static int Run<TNet>(TrainOptions options) where TNet : INetwork<TNet, float>
    {
        var data = TNet.InputSize == Cifar.ImageSize ? LoadCifar10(options) : LoadData(options);
        if (data is null) return 2;
        var (train, test) = data.Value;
        if (options.TrainLimit is int limit && limit < train.Count) train = train.Take(limit);
        AnsiConsole.MarkupLineInterpolated($"[bold]{TNet.Name}[/]: {TNet.ParameterCount:N0} parameters; Adam lr {options.LearningRate} ({options.Schedule.ToString().ToLowerInvariant()} schedule), batch {options.BatchSize}, {options.Epochs} epoch(s)");
        Console.WriteLine($"train: {train}  test: {test}");

        var parameters = new float[TNet.ParameterCount];
        TNet.InitializeParameters(parameters, options.Seed);
        var adam = new Adam<float>(TNet.ParameterCount, options.LearningRate);
        var trainer = new MinibatchTrainer<TNet>(train, adam, options.BatchSize, options.Seed);
        bool interactive = AnsiConsole.Profile.Capabilities.Interactive;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            adam.LearningRate = RateAt(options, epoch);
            EpochReport report;
            if (interactive)
            {
                EpochReport? done = null;
                AnsiConsole.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"epoch {epoch}/{options.Epochs}", maxValue: trainer.BatchesPerEpoch);
                        var progress = new Progress(p =>
                        {
                            task.Value = p.Batch;
                            task.Description = $"epoch {p.Epoch}/{options.Epochs} loss {p.MeanLoss:F4}";
                        });
                        done = trainer.TrainEpoch(parameters, progress);
                    });
                report = done!;
            }
            else
            {
                report = trainer.TrainEpoch(parameters);
            }
            var evaluation = MinibatchTrainer<TNet>.Evaluate(parameters, test);
            Console.WriteLine($"epoch {report.Epoch,3}  train loss {report.MeanLoss:F4}  test nll {evaluation.MeanNegativeLogLikelihood:F4}  test acc {100 * evaluation.Accuracy:F2}%  ({report.Elapsed.TotalSeconds:F2} s)");
        }
        var final = MinibatchTrainer<TNet>.Evaluate(parameters, test);
        Console.WriteLine($"test accuracy {100 * final.Accuracy:F2}% ({final.Count:N0} images, test nll {final.MeanNegativeLogLikelihood:F4})");
        return 0;
    }

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (1-based) under the options' schedule.</summary>
    internal static double RateAt(TrainOptions options, int epoch) => options.Schedule switch
    {
        LearningRateSchedule.Cosine => options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / options.Epochs)),
        _ => options.LearningRate,
    };

    /// <summary>MNIST from --data, else from the shared data folder, else the built-in synthetic stand-in.</summary>
    private static (Dataset Train, Dataset Test) LoadData(TrainOptions options)
    {
        string? folder = options.Data ?? DataPaths.FindShared("mnist");
        if (folder is null)
        {
            Console.WriteLine("MNIST not found (no --data and no shared/data/mnist folder). To train on MNIST put");
            Console.WriteLine($"  {string.Join(", ", Mnist.FileNames)}");
            Console.WriteLine("in a folder and pass --data <folder>. Running on the built-in synthetic MNIST-like data instead.");
            return (SyntheticMnist.Create(20_000, seed: 1), SyntheticMnist.Create(4_000, seed: 2));
        }
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The data folder '{folder}' does not exist. It should hold {string.Join(", ", Mnist.FileNames)}.");
        }
        return (Mnist.Load(folder, MnistSplit.Train), Mnist.Load(folder, MnistSplit.Test));
    }

    /// <summary>CIFAR-10 (binary version) from --data or the shared data folder; null, after saying where to put it, when absent.</summary>
    private static (Dataset Train, Dataset Test)? LoadCifar10(TrainOptions options)
    {
        string? folder = options.Data ?? DataPaths.FindShared("cifar-10");
        if (folder is null || !Directory.Exists(folder))
        {
            Console.Error.WriteLine($"CIFAR-10 not found{(folder is null ? "" : $" in '{folder}'")}. Put the binary version ({string.Join(", ", Cifar.Cifar10TrainFiles)}, {Cifar.Cifar10TestFile})");
            Console.Error.WriteLine("in a folder and pass --data <folder>.");
            return null;
        }
        return (Cifar.LoadCifar10(folder, CifarSplit.Train), Cifar.LoadCifar10(folder, CifarSplit.Test));
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
