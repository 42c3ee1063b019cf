using System;
using System.IO;
using System.Linq;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Cli.Gp;

/// <summary>
/// <c>dnn2gp gp toy-sweep</c> (METHODS E3): on the exact 10 toy data sets, train the 2-20-1 tanh MLP (σ = 1) for every δ
/// of logspace(−2, 2, 21), compute the DNN2GP GP marginal likelihood on the training set and the MAP test MSE, print
/// both curves beside the published ones, write them as CSV and as the paper's two-panel figure, and end with
/// <c>best delta: marginal likelihood δ₁, test MSE δ₂</c>.
/// </summary>
internal static class ToySweepExample
{
    public static int Run(GpOptions options)
    {
        string folder = options.Data ?? SharedDataFolders.Require(SharedDataFolders.MarglikToy);
        var data = MarglikToy.Load(folder);
        var published = PublishedSweep.Load(folder, "delta_sweep_raw.csv", SharedDataFolders.MarglikToy);
        int sets = Math.Min(options.Repeats ?? data.DeltaTrain.Count, data.DeltaTrain.Count);
        var schedule = new TrainingSchedule(options.Epochs ?? 10_000, 0.5, 0.99);
        double[] deltas = Grids.Logspace(-2, 2, 21);
        Console.WriteLine($"DNN2GP toy δ sweep: {ToyMlp.Name} (2-20-1 tanh, {ToyMlp.ParameterCount} parameters), σ = 1, {sets} data sets of {data.DeltaTrain[0].Count} training / {data.DeltaTest[0].Count} test points");
        Console.WriteLine($"training: full-batch Adam lr {schedule.LearningRate}, {schedule.Epochs} epochs, ReduceLROnPlateau({schedule.PlateauFactor}); δ grid logspace(-2, 2, 21)");

        var mlh = new double[deltas.Length, sets];
        var weight = new double[deltas.Length, sets];
        var testMse = new double[deltas.Length, sets];
        var trainMse = new double[deltas.Length, sets];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ParallelJobs.Run("training 2-20-1 tanh MLPs", deltas.Length * sets, job =>
        {
            int i = job / sets, s = job % sets;
            var outcome = RegressionRuns.Run<ToyMlp>(data.DeltaTrain[s], data.DeltaTest[s], deltas[i], 1.0, schedule, seed: 77);
            mlh[i, s] = -outcome.LogMarginalLikelihood;
            weight[i, s] = -outcome.WeightSpaceLogMarginalLikelihood;
            testMse[i, s] = outcome.TestMse;
            trainMse[i, s] = outcome.TrainMse;
        });
        Console.WriteLine(FormattableString.Invariant($"{deltas.Length * sets} networks trained and converted in {clock.Elapsed.TotalSeconds:F1} s"));

        var ourMlh = Curve("-mlh", deltas, mlh);
        var ourWeight = Curve("-mlh (weight space)", deltas, weight);
        var ourMse = Curve("test MSE", deltas, testMse);
        var ourTrain = Curve("train MSE", deltas, trainMse);
        var pubMlh = published.Curve("mlh", negate: true);
        var pubMse = published.Curve("test_loss_map");

        Directory.CreateDirectory(options.Out);
        string raw = Path.Combine(options.Out, "toy_delta_sweep_raw.csv");
        using (var csv = new CsvWriter(raw, "delta", "dataset", "mlh", "mlh_weight_space", "test_loss_map", "train_loss_map"))
        {
            for (int i = 0; i < deltas.Length; i++)
            {
                for (int s = 0; s < sets; s++) csv.WriteRow(deltas[i], s, -mlh[i, s], -weight[i, s], testMse[i, s], trainMse[i, s]);
            }
        }
        string summary = Path.Combine(options.Out, "toy_delta_sweep_vs_published.csv");
        using (var csv = new CsvWriter(summary, "delta", "neg_mlh", "neg_mlh_se", "published_neg_mlh", "published_neg_mlh_se", "test_mse", "test_mse_se", "published_test_mse", "published_test_mse_se"))
        {
            for (int i = 0; i < deltas.Length; i++)
                csv.WriteRow(deltas[i], ourMlh.Mean[i], ourMlh.StandardError[i], pubMlh.Mean[i], pubMlh.StandardError[i], ourMse.Mean[i], ourMse.StandardError[i], pubMse.Mean[i], pubMse.StandardError[i]);
        }

        Console.WriteLine();
        Console.WriteLine("    delta   -log marglik (ours)   published        | test MSE (ours)     published        | train MSE | GP − weight form");
        for (int i = 0; i < deltas.Length; i++)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{deltas[i],9:G4}   {ourMlh.Mean[i],8:F2} ± {ourMlh.StandardError[i],5:F2}   {pubMlh.Mean[i],8:F2} ± {pubMlh.StandardError[i],5:F2}   | {ourMse.Mean[i],7:F4} ± {ourMse.StandardError[i],6:F4}   {pubMse.Mean[i],7:F4} ± {pubMse.StandardError[i],6:F4} | {ourTrain.Mean[i],9:F4} | {ourWeight.Mean[i] - ourMlh.Mean[i],8:F4}"));
        }
        Console.WriteLine();
        int bestMlh = ourMlh.ArgMin, bestMse = ourMse.ArgMin;
        Console.WriteLine(FormattableString.Invariant($"published optimum: marginal likelihood δ = {pubMlh.Parameters[pubMlh.ArgMin]:G3} (−log p {pubMlh.Mean[pubMlh.ArgMin]:F2}), test MSE δ = {pubMse.Parameters[pubMse.ArgMin]:G3} ({pubMse.Mean[pubMse.ArgMin]:F4})"));
        Console.WriteLine(FormattableString.Invariant($"our optimum:       marginal likelihood δ = {deltas[bestMlh]:G3} (−log p {ourMlh.Mean[bestMlh]:F2}), test MSE δ = {deltas[bestMse]:G3} ({ourMse.Mean[bestMse]:F4}); grid steps apart: {Math.Abs(bestMlh - bestMse)}"));

        string figure = Figures.CurvePanels(Path.Combine(options.Out, "toy_delta_sweep.png"),
        [
            new CurvePanel("DNN2GP-Laplace marginal likelihood", "prior precision δ", "−log marginal likelihood (train)",
            [
                Band("ours", ourMlh, "#1f77b4", dashed: false),
                Band("published", pubMlh, "#7f7f7f", dashed: true),
            ]) { LogX = true },
            new CurvePanel("MAP network", "prior precision δ", "test MSE",
            [
                Band("ours", ourMse, "#d62728", dashed: false),
                Band("published", pubMse, "#7f7f7f", dashed: true),
                new LineSeries("train MSE (ours)", deltas, ourTrain.Mean) { Color = "#ff9896", LineWidth = 1 },
            ]) { LogX = true },
        ], 1200, 480, title: $"Toy regression, {sets} data sets: the marginal likelihood picks δ = {deltas[bestMlh]:G3}, the test MSE δ = {deltas[bestMse]:G3}");
        Console.WriteLine($"wrote {figure}");
        Console.WriteLine($"wrote {summary}");
        Console.WriteLine($"wrote {raw}");
        Console.WriteLine(FormattableString.Invariant($"best delta: marginal likelihood {deltas[bestMlh]:G3}, test MSE {deltas[bestMse]:G3}"));
        return 0;
    }

    private static SweepCurve Curve(string metric, double[] deltas, double[,] values)
    {
        int sets = values.GetLength(1);
        var mean = new double[deltas.Length];
        var se = new double[deltas.Length];
        var row = new double[sets];
        for (int i = 0; i < deltas.Length; i++)
        {
            for (int s = 0; s < sets; s++) row[s] = values[i, s];
            (mean[i], se[i]) = RegressionRuns.MeanAndError(row);
        }
        return new SweepCurve(metric, "delta", deltas, mean, se, sets);
    }

    internal static LineSeries Band(string label, SweepCurve curve, string color, bool dashed)
    {
        var lower = curve.Mean.Zip(curve.StandardError, (m, s) => m - s).ToArray();
        var upper = curve.Mean.Zip(curve.StandardError, (m, s) => m + s).ToArray();
        return new LineSeries(label, curve.Parameters, curve.Mean)
        {
            Kind = LineKind.LineAndMarkers,
            Color = color,
            Dashed = dashed,
            MarkerSize = 5,
            BandLower = lower,
            BandUpper = upper,
            BandOpacity = 0.2,
        };
    }
}
