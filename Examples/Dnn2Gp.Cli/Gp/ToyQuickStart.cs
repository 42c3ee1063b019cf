using System;
using System.IO;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Cli.Gp;

/// <summary>
/// <c>dnn2gp gp toy</c>, the quick start: toy regression data generated in code (METHODS E3's distribution), train the
/// 2-20-1 tanh MLP (σ = 1, as in E3), turn it into a GP, tune δ by the GP marginal likelihood (from one
/// eigendecomposition of the kernel, O(M) per δ; the weight-space Laplace evidence beside it) and retrain at the tuned δ
/// until it settles, print the numbers and write the figure of data, network mean and the ±2 std bands of f and y.
/// </summary>
internal static class ToyQuickStart
{
    public static int Run(GpOptions options)
    {
        var (train, test) = MarglikToy.GenerateDataset(seed: 7);
        var schedule = new TrainingSchedule(options.Epochs ?? 10_000, 0.5, 0.99);
        Console.WriteLine($"toy regression generated in code: {train.Count} training and {test.Count} test points (x, 1) → sin x + noise");
        Console.WriteLine($"network {ToyMlp.Name}: 2-20-1 tanh, {ToyMlp.ParameterCount} parameters; full-batch Adam lr {schedule.LearningRate}, {schedule.Epochs} epochs");
        double[] deltas = Grids.Logspace(-2, 2, 81);
        const double sigma = 1.0;
        double delta = 1.0, trainedDelta = delta;
        RegressionOutcome outcome = null!;
        for (int round = 1; round <= 4; round++)
        {
            outcome = RegressionRuns.Run<ToyMlp>(train, test, delta, sigma, schedule, seed: 77);
            trainedDelta = delta;
            var gp = NetworkGp<ToyMlp, double>.Create(outcome.Parameters, train.Inputs, train.Targets, train.Count, PriorPrecision.Isotropic(delta), sigma);
            var evidence = gp.Evidence();
            var grid = evidence.GridSearch(deltas);
            var tuned = evidence.Maximize(grid.Prior.Delta, sigma, steps: 200);
            var laplace = Laplace<ToyMlp, double>.Fit(outcome.Parameters, train.Inputs, train.Targets, train.Count, LaplaceStructure.Full, PriorPrecision.Isotropic(delta), sigma);
            var weightGrid = LaplaceTuning.GridSearch(laplace, deltas);
            Console.WriteLine(FormattableString.Invariant(
                $"round {round}: trained at δ = {delta:G4}, σ = {sigma:G4}: train MSE {outcome.TrainMse:F4}, test MSE {outcome.TestMse:F4}, log marginal likelihood {outcome.LogMarginalLikelihood:F3} (GP form), {outcome.WeightSpaceLogMarginalLikelihood:F3} (weight-space form)"));
            Console.WriteLine(FormattableString.Invariant(
                $"         tuned on this network: δ = {tuned.Prior.Delta:G4} (GP form by gradient, log p {tuned.LogMarginalLikelihood:F3}; {grid.Evaluations}-point grid: {grid.Prior.Delta:G4}); weight-space Laplace evidence grid: δ = {weightGrid.Prior.Delta:G4}"));
            bool converged = Math.Abs(Math.Log(tuned.Prior.Delta / delta)) < 0.05;
            delta = tuned.Prior.Delta;
            if (converged) break;
        }

        var final = NetworkGp<ToyMlp, double>.Create(outcome.Parameters, train.Inputs, train.Targets, train.Count, PriorPrecision.Isotropic(trainedDelta), sigma);
        double[] gridInputs = MarglikToy.GridInputs(200, -4, 4);
        double[] x = Grids.Linspace(-4, 4, 200);
        var prediction = final.Predict(gridInputs, 200);
        var mean = new double[200];
        final.Mean(gridInputs, 200, mean);
        var twoStd = new double[200];
        var twoStdF = new double[200];
        var truth = new double[200];
        for (int i = 0; i < 200; i++)
        {
            twoStd[i] = 2 * Math.Sqrt(prediction.VarianceOfY(i, 0));
            twoStdF[i] = 2 * Math.Sqrt(prediction.VarianceOfF(i, 0));
            truth[i] = Math.Sin(x[i]);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"final network: trained at δ = {trainedDelta:G4} (its evidence: δ = {delta:G4}), test MSE {outcome.TestMse:F4}; GP std of f at x = −2.5, 0, 2.5, 4: {twoStdF[Grids.Nearest(x, -2.5)] / 2:F3}, {twoStdF[Grids.Nearest(x, 0)] / 2:F3}, {twoStdF[Grids.Nearest(x, 2.5)] / 2:F3}, {twoStdF[Grids.Nearest(x, 4)] / 2:F3}"));
        string figure = Figures.Curves(Path.Combine(options.Out, "toy_gp.png"), new CurvePanel(
            FormattableString.Invariant($"DNN2GP on generated toy data (δ = {trainedDelta:G3} by the marginal likelihood, σ = 1)"), "x", "y",
            [
                new LineSeries("training data", train.InputColumn(0), train.Targets.ToArray()) { Kind = LineKind.Markers, Color = "#000000", MarkerSize = 4 },
                new LineSeries("sin x", x, truth) { Color = "#2ca02c", Dashed = true, LineWidth = 1 },
                LineSeries.WithBand("", x, mean, twoStd, bandLabel: "± 2 std of y (GP + σ²)") with { Color = "#9ecae1", LineWidth = 0 },
                LineSeries.WithBand("network mean", x, mean, twoStdF, bandLabel: "± 2 std of f (GP)") with { Color = "#1f77b4", BandOpacity = 0.45 },
            ]) { YRange = new AxisRange(-3, 3) });
        Console.WriteLine($"wrote {figure}");
        return 0;
    }
}
