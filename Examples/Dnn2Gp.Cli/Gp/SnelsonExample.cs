using System;
using System.IO;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Cli.Gp;

/// <summary>
/// <c>dnn2gp gp snelson</c> (METHODS E1): the Snelson data with the gap 1.5 ≤ x ≤ 3 removed (148 points), the 1-32-1
/// sigmoid MLP of the official code (σ = 0.286, δ = 0.1, Adam lr 0.1, 20,000 full-batch epochs), its DNN2GP-Laplace GP
/// (network mean, ±2 √(var + σ²) band on 1000 points in [−4, 10]) and, beside it, the DNN-Laplace band from 1000
/// weight samples of the diagonal Laplace posterior.
/// </summary>
internal static class SnelsonExample
{
    public static int Run(GpOptions options)
    {
        string folder = options.Data ?? SharedDataFolders.Require(SharedDataFolders.Snelson);
        var train = Snelson.LoadTrainWithGap(folder);
        double[] grid = Snelson.PredictionGrid();
        int m = grid.Length;
        const double delta = 0.1, sigma = 0.286;
        var schedule = new TrainingSchedule(options.Epochs ?? 20_000, 0.1, 0.99);
        Console.WriteLine($"Snelson: {train.Count} training points (gap [1.5, 3] removed), {m} prediction points in [-4, 10]");
        Console.WriteLine($"network {SnelsonMlp.Name}: 1-32-1 sigmoid, {SnelsonMlp.ParameterCount} parameters, σ = {sigma}, δ = {delta}; Adam lr {schedule.LearningRate}, {schedule.Epochs} epochs");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = RegressionRuns.Run<SnelsonMlp>(train, train, delta, sigma, schedule, seed: 77);
        Console.WriteLine(FormattableString.Invariant($"trained in {clock.Elapsed.TotalSeconds:F1} s: objective {outcome.Objective:F3}, train MSE {outcome.TrainMse:F4}"));
        Console.WriteLine(FormattableString.Invariant($"log marginal likelihood {outcome.LogMarginalLikelihood:F3} (GP form), {outcome.WeightSpaceLogMarginalLikelihood:F3} (weight-space form)"));

        var w = outcome.Parameters;
        var gp = NetworkGp<SnelsonMlp, double>.Create(w, train.Inputs, train.Targets, train.Count, PriorPrecision.Isotropic(delta), sigma);
        var dual = gp.Predict(grid, m, PredictiveForm.FunctionSpace);
        var primal = gp.Predict(grid, m, PredictiveForm.WeightSpace);
        double worst = 0;
        for (int i = 0; i < m; i++) worst = Math.Max(worst, Math.Abs(dual.VarianceOfF(i, 0) - primal.VarianceOfF(i, 0)) / primal.VarianceOfF(i, 0));
        Console.WriteLine(FormattableString.Invariant($"GP variance in function space ({gp.FunctionSpaceOrder}×{gp.FunctionSpaceOrder}) vs weight space ({SnelsonMlp.ParameterCount}×{SnelsonMlp.ParameterCount}): largest relative difference {worst:E2}"));

        var mean = new double[m];
        gp.Mean(grid, m, mean);
        var gpBand = new double[m];
        for (int i = 0; i < m; i++) gpBand[i] = 2 * Math.Sqrt(dual.VarianceOfY(i, 0));

        // DNN-Laplace: 1000 weight samples of the diagonal Laplace posterior through the network.
        var diagonal = Laplace<SnelsonMlp, double>.Fit(w, train.Inputs, train.Targets, train.Count, LaplaceStructure.Diagonal, PriorPrecision.Isotropic(delta), sigma);
        const int samples = 1000;
        var weights = new double[samples * SnelsonMlp.ParameterCount];
        diagonal.Samples(samples, seed: 1, weights);
        var f = new double[m];
        var sampleMean = new double[m];
        var sampleSquares = new double[m];
        for (int s = 0; s < samples; s++)
        {
            SnelsonMlp.Forward(weights.AsSpan(s * SnelsonMlp.ParameterCount, SnelsonMlp.ParameterCount), grid, f, m);
            for (int i = 0; i < m; i++)
            {
                sampleMean[i] += f[i] / samples;
                sampleSquares[i] += f[i] * f[i] / samples;
            }
        }
        var mcBand = new double[m];
        for (int i = 0; i < m; i++) mcBand[i] = 2 * Math.Sqrt(Math.Max(0, sampleSquares[i] - sampleMean[i] * sampleMean[i]) + sigma * sigma);

        Console.WriteLine();
        Console.WriteLine("       x   network mean   GP std f   GP std y   DNN-Laplace std y");
        foreach (double at in new[] { -4.0, -2.0, 0.0, 1.0, 2.25, 4.0, 6.0, 8.0, 10.0 })
        {
            int i = Grids.Nearest(grid, at);
            Console.WriteLine(FormattableString.Invariant($"{grid[i],8:F3}   {mean[i],12:F4}   {Math.Sqrt(dual.VarianceOfF(i, 0)),8:F4}   {gpBand[i] / 2,8:F4}   {mcBand[i] / 2,17:F4}"));
        }
        int inData = Grids.Nearest(grid, 0.5), inGap = Grids.Nearest(grid, 2.25), outside = Grids.Nearest(grid, 9.0);
        Console.WriteLine(FormattableString.Invariant(
            $"GP std of f: {Math.Sqrt(dual.VarianceOfF(inData, 0)):F4} among the data (x = 0.5), {Math.Sqrt(dual.VarianceOfF(inGap, 0)):F4} in the gap (x = 2.25), {Math.Sqrt(dual.VarianceOfF(outside, 0)):F4} outside (x = 9)"));

        Directory.CreateDirectory(options.Out);
        string csvPath = Path.Combine(options.Out, "snelson_predictive.csv");
        using (var csv = new CsvWriter(csvPath, "x", "network_mean", "gp_var_f", "gp_std_y", "laplace_mc_mean", "laplace_mc_std_y"))
        {
            for (int i = 0; i < m; i++) csv.WriteRow(grid[i], mean[i], dual.VarianceOfF(i, 0), gpBand[i] / 2, sampleMean[i], mcBand[i] / 2);
        }
        var data = new LineSeries("data", train.InputColumn(0), train.Targets.ToArray()) { Kind = LineKind.Markers, Color = "#000000", MarkerSize = 4 };
        string figure = Figures.CurvePanels(Path.Combine(options.Out, "snelson.png"),
        [
            new CurvePanel("DNN2GP-Laplace", "x", "y",
            [
                data,
                LineSeries.WithBand("network mean", grid, mean, gpBand, bandLabel: "± 2 √(var + σ²)") with { Color = "#1f77b4" },
            ]) { XRange = new AxisRange(-4, 10), YRange = new AxisRange(-2.7, 2) },
            new CurvePanel("DNN-Laplace (diagonal, 1000 samples)", "x", "y",
            [
                data,
                LineSeries.WithBand("sample mean", grid, sampleMean, mcBand, bandLabel: "± 2 √(var + σ²)") with { Color = "#d62728" },
            ]) { XRange = new AxisRange(-4, 10), YRange = new AxisRange(-2.7, 2) },
        ], 1300, 480, title: "Snelson regression: the DNN2GP GP's uncertainty grows in the gap and away from the data");
        Console.WriteLine($"wrote {figure}");
        Console.WriteLine($"wrote {csvPath}");
        return 0;
    }
}
