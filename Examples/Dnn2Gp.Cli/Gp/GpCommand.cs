using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace Dnn2Gp.Cli.Gp;

/// <summary>
/// <c>dnn2gp gp &lt;experiment&gt; [--data folder] [--out folder]</c>: the DNN2GP examples (METHODS Part I). Each trains its
/// networks, converts them to GPs, prints the numbers its figures show, then writes the PNG figures and CSV tables.
/// </summary>
internal static class GpCommand
{
    private static readonly Dictionary<string, (string Description, Func<GpOptions, int> Run)> Experiments = new(StringComparer.Ordinal)
    {
        ["toy"] = ("the quick start: toy regression data generated in code, one network, δ tuned by the marginal likelihood", ToyQuickStart.Run),
        ["snelson"] = ("E1: Snelson 1-D regression, DNN2GP-Laplace mean and ±2 std band", SnelsonExample.Run),
        ["toy-sweep"] = ("E3: −log marginal likelihood and test MSE against δ on the 10 toy data sets", ToySweepExample.Run),
        ["wine-sweep"] = ("E4: UCI red wine, δ, σ and width sweeps over the 20 splits", WineSweepExample.Run),
        ["mnist-kernel"] = ("E2: MNIST kernel of 300 test images by class, predictive variances, most/least relevant training images", MnistKernelExample.Run),
    };

    public static Command Create()
    {
        var experiment = new Argument<string>("experiment") { Description = $"One of: {string.Join(", ", Experiments.Keys)}" };
        var data = new Option<string?>("--data") { Description = "The experiment's data folder (default: the shared data folder beside the repository)" };
        var output = new Option<string?>("--out") { Description = "Folder for the figures and CSV files (default: out/<experiment>)" };
        var repeats = new Option<int?>("--repeats") { Description = "Use only the first N data sets / splits (default: all, as published)" };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs (default: the published setting)" };
        var sweep = new Option<string>("--sweep") { Description = "wine-sweep only: delta, sigma, width or all", DefaultValueFactory = _ => "all" };
        var command = new Command("gp", "DNN2GP: turn trained networks into Gaussian processes; the paper's experiments") { experiment, data, output, repeats, epochs, sweep };
        command.SetAction(result =>
        {
            string name = result.GetValue(experiment)!;
            if (!Experiments.TryGetValue(name, out var chosen))
            {
                Console.Error.WriteLine($"Unknown experiment '{name}'. Experiments: {string.Join("; ", Experiments.Select(e => $"{e.Key} ({e.Value.Description})"))}.");
                return 2;
            }
            int? r = result.GetValue(repeats), e = result.GetValue(epochs);
            if (r is <= 0 || e is <= 0)
            {
                Console.Error.WriteLine("--repeats and --epochs must be positive.");
                return 2;
            }
            string? folder = result.GetValue(data);
            if (folder is not null && !Directory.Exists(folder))
            {
                Console.Error.WriteLine($"The data folder '{folder}' does not exist.");
                return 2;
            }
            var options = new GpOptions(folder, result.GetValue(output) ?? Path.Combine("out", name), r, e, result.GetValue(sweep)!);
            return chosen.Run(options);
        });
        return command;
    }
}
