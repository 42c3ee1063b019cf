using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Gp;

namespace Dnn2Gp.Cli.Gp;

/// <summary>
/// <c>dnn2gp gp wine-sweep</c> (METHODS E4): UCI red wine, 20 splits, standardised; for each swept hyperparameter a
/// separately trained network per value and split (full-batch Adam lr 0.05, ReduceLROnPlateau(0.8)); the DNN2GP GP
/// marginal likelihood on the training split and the MAP test MSE in quality units, beside the published curves.
/// δ sweep: 11-20-20-1 tanh, σ = 0.64, δ ∈ logspace(−1, 3.6, 30), 1000 epochs; σ sweep: δ = 30, σ ∈ logspace(−1, 1, 30);
/// width sweep: one hidden layer of 1 … 150 units, δ = 3, σ = 0.64, 1500 epochs (model selection across networks).
/// </summary>
internal static class WineSweepExample
{
    private static readonly IWidthRunner[] Widths =
    [
        new WidthRunner<WineWidth1>(1), new WidthRunner<WineWidth2>(2), new WidthRunner<WineWidth3>(3), new WidthRunner<WineWidth4>(4),
        new WidthRunner<WineWidth5>(5), new WidthRunner<WineWidth6>(6), new WidthRunner<WineWidth7>(7), new WidthRunner<WineWidth9>(9),
        new WidthRunner<WineWidth11>(11), new WidthRunner<WineWidth13>(13), new WidthRunner<WineWidth15>(15), new WidthRunner<WineWidth18>(18),
        new WidthRunner<WineWidth22>(22), new WidthRunner<WineWidth26>(26), new WidthRunner<WineWidth31>(31), new WidthRunner<WineWidth37>(37),
        new WidthRunner<WineWidth44>(44), new WidthRunner<WineWidth53>(53), new WidthRunner<WineWidth63>(63), new WidthRunner<WineWidth75>(75),
        new WidthRunner<WineWidth89>(89), new WidthRunner<WineWidth106>(106), new WidthRunner<WineWidth126>(126), new WidthRunner<WineWidth150>(150),
    ];

    public static int Run(GpOptions options)
    {
        string folder = options.Data ?? SharedDataFolders.Require(SharedDataFolders.WineQualityRed);
        var wine = UciRegressionData.Load(folder);
        string? publishedFolder = DataPaths.FindShared(SharedDataFolders.MarglikWine);
        int splits = Math.Min(options.Repeats ?? wine.SplitCount, wine.SplitCount);
        var data = Enumerable.Range(0, splits).Select(wine.Split).ToArray();
        Console.WriteLine($"UCI red wine: {wine.Rows} rows, {wine.FeatureCount} features, {splits} of {wine.SplitCount} splits ({data[0].Train.Count} train / {data[0].Test.Count} test), standardised");
        if (publishedFolder is null) Console.WriteLine($"# the published curves ({SharedDataFolders.MarglikWine}/) were not found: printing ours only");
        string[] sweeps = options.Sweep == "all" ? ["delta", "sigma", "width"] : [options.Sweep];
        var lines = new List<string>();
        foreach (string sweep in sweeps)
        {
            switch (sweep)
            {
                case "delta":
                {
                    double[] deltas = Grids.Logspace(-1, 3.6, 30);
                    var schedule = new TrainingSchedule(options.Epochs ?? 1000, 0.05, 0.8);
                    lines.Add(Sweep(options, data, "delta", "prior precision δ", deltas, publishedFolder, schedule, logX: true,
                        (split, i) => RegressionRuns.Run<WineMlp>(split.Train, split.Test, deltas[i], 0.64, schedule, seed: 77, weightSpace: false)));
                    break;
                }
                case "sigma":
                {
                    double[] sigmas = Grids.Logspace(-1, 1, 30);
                    var schedule = new TrainingSchedule(options.Epochs ?? 1000, 0.05, 0.8);
                    lines.Add(Sweep(options, data, "sigma_noise", "noise σ", sigmas, publishedFolder, schedule, logX: true,
                        (split, i) => RegressionRuns.Run<WineMlp>(split.Train, split.Test, 30, sigmas[i], schedule, seed: 77, weightSpace: false)));
                    break;
                }
                case "width":
                {
                    double[] widths = Widths.Select(w => (double)w.Width).ToArray();
                    var schedule = new TrainingSchedule(options.Epochs ?? 1500, 0.05, 0.8);
                    lines.Add(Sweep(options, data, "width", "hidden units", widths, publishedFolder, schedule, logX: true,
                        (split, i) => Widths[i].Run(split, schedule)));
                    break;
                }
                default:
                    Console.Error.WriteLine($"Unknown sweep '{sweep}'; use delta, sigma, width or all.");
                    return 2;
            }
        }
        Console.WriteLine();
        foreach (string line in lines) Console.WriteLine(line);
        return 0;
    }

    /// <summary>Runs one sweep, prints its table beside the published one, writes the CSV and the figure; returns the summary line.</summary>
    private static string Sweep(GpOptions options, UciSplit[] data, string parameter, string label, double[] values, string? publishedFolder,
        TrainingSchedule schedule, bool logX, Func<UciSplit, int, RegressionOutcome> run)
    {
        int splits = data.Length;
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"{parameter} sweep: {values.Length} values × {splits} splits, {schedule.Epochs} epochs each"));
        var mlh = new double[values.Length, splits];
        var testMse = new double[values.Length, splits];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ParallelJobs.Run($"wine {parameter} sweep", values.Length * splits, job =>
        {
            int i = job / splits, s = job % splits;
            var outcome = run(data[s], i);
            mlh[i, s] = -outcome.LogMarginalLikelihood;
            testMse[i, s] = data[s].ToOriginalMse(outcome.TestMse);
        });
        Console.WriteLine(FormattableString.Invariant($"{values.Length * splits} networks in {clock.Elapsed.TotalSeconds:F0} s"));
        var ours = Curve(parameter, values, mlh);
        var oursMse = Curve(parameter, values, testMse);
        SweepCurve? pubMlh = null, pubMse = null;
        if (publishedFolder is not null)
        {
            var publishedSweep = PublishedSweep.Load(publishedFolder, $"{(parameter == "sigma_noise" ? "sigma" : parameter)}_sweep_raw.csv", SharedDataFolders.MarglikWine);
            pubMlh = publishedSweep.Curve("mlh", negate: true);
            pubMse = publishedSweep.Curve("test_mse_map");
        }

        Directory.CreateDirectory(options.Out);
        string csvPath = Path.Combine(options.Out, $"wine_{parameter}_sweep.csv");
        using (var csv = new CsvWriter(csvPath, parameter, "neg_mlh", "neg_mlh_se", "test_mse", "test_mse_se", "published_neg_mlh", "published_test_mse"))
        {
            for (int i = 0; i < values.Length; i++)
                csv.WriteRow(values[i], ours.Mean[i], ours.StandardError[i], oursMse.Mean[i], oursMse.StandardError[i], pubMlh?.Mean[i] ?? double.NaN, pubMse?.Mean[i] ?? double.NaN);
        }
        Console.WriteLine($"{parameter,12}   -log marglik (ours)   published   | test MSE (ours)    published");
        for (int i = 0; i < values.Length; i++)
        {
            string pub = pubMlh is null ? "" : FormattableString.Invariant($"{pubMlh.Mean[i],9:F1}");
            string pubE = pubMse is null ? "" : FormattableString.Invariant($"{pubMse.Mean[i],8:F4}");
            Console.WriteLine(FormattableString.Invariant($"{values[i],12:G4}   {ours.Mean[i],9:F1} ± {ours.StandardError[i],6:F1}   {pub}   | {oursMse.Mean[i],7:F4} ± {oursMse.StandardError[i],6:F4}  {pubE}"));
        }
        if (parameter == "width")
        {
            var ranked = ModelSelection.Rank(values.Select((v, i) => (FormattableString.Invariant($"width {v}"), -ours.Mean[i])).ToList());
            Console.WriteLine("model selection by the mean marginal likelihood: " + string.Join("; ",
                ranked.Take(3).Select(r => FormattableString.Invariant($"{r.Name} (log Bayes factor {r.LogBayesFactor:F1}, probability {r.Probability:F3})"))));
        }

        var mlhSeries = new List<LineSeries> { ToySweepExample.Band("ours", ours, "#1f77b4", dashed: false) };
        var mseSeries = new List<LineSeries> { ToySweepExample.Band("ours", oursMse, "#d62728", dashed: false) };
        if (pubMlh is not null) mlhSeries.Add(ToySweepExample.Band("published", pubMlh, "#7f7f7f", dashed: true));
        if (pubMse is not null) mseSeries.Add(ToySweepExample.Band("published", pubMse, "#7f7f7f", dashed: true));
        int best = ours.ArgMin, bestMse = oursMse.ArgMin;
        string figure = Figures.CurvePanels(Path.Combine(options.Out, $"wine_{parameter}_sweep.png"),
        [
            new CurvePanel("DNN2GP-Laplace marginal likelihood", label, "−log marginal likelihood (train)", mlhSeries) { LogX = logX },
            new CurvePanel("MAP network", label, "test MSE", mseSeries) { LogX = logX },
        ], 1200, 480, title: FormattableString.Invariant($"Red wine, {splits} splits: the marginal likelihood picks {parameter} = {values[best]:G4}, the test MSE {parameter} = {values[bestMse]:G4}"));
        Console.WriteLine($"wrote {figure}");
        Console.WriteLine($"wrote {csvPath}");
        string published = pubMlh is null ? "" : FormattableString.Invariant($" (published {pubMlh.Parameters[pubMlh.ArgMin]:G4}; {Math.Abs(best - pubMlh.ArgMin)} grid step(s) apart)");
        return FormattableString.Invariant($"best {parameter}: marginal likelihood {values[best]:G4}{published}, test MSE {values[bestMse]:G4}");
    }

    private static SweepCurve Curve(string parameter, double[] values, double[,] samples)
    {
        int splits = samples.GetLength(1);
        var mean = new double[values.Length];
        var se = new double[values.Length];
        var row = new double[splits];
        for (int i = 0; i < values.Length; i++)
        {
            for (int s = 0; s < splits; s++) row[s] = samples[i, s];
            (mean[i], se[i]) = RegressionRuns.MeanAndError(row);
        }
        return new SweepCurve(parameter, parameter, values, mean, se, splits);
    }

    private interface IWidthRunner
    {
        int Width { get; }

        RegressionOutcome Run(UciSplit split, TrainingSchedule schedule);
    }

    private sealed class WidthRunner<TNet>(int width) : IWidthRunner where TNet : INetwork<TNet, double>
    {
        public int Width => width;

        public RegressionOutcome Run(UciSplit split, TrainingSchedule schedule) =>
            RegressionRuns.Run<TNet>(split.Train, split.Test, 3.0, 0.64, schedule, seed: 77, weightSpace: false);
    }
}
