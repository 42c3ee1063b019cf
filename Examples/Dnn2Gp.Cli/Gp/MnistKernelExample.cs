using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;

namespace Dnn2Gp.Cli.Gp;

/// <summary>
/// <c>dnn2gp gp mnist-kernel</c> (METHODS E2): train a classifier on MNIST (Adam, prior δ = 1e-4), fit the diagonal
/// Laplace posterior over all 60,000 training images (exact GGN, full softmax Λ), then on the first 30 test images of
/// every class (300, sorted by class): the DNN2GP kernel summed over the classes (the paper's 'diag' aggregation of
/// J Jᵀ, and the posterior J Σ Jᵀ), the predictive variances (Λ J Σ Jᵀ Λ and the aleatoric p(1 − p), probit
/// probabilities), and the 10 most and least relevant training images by tr Λ(x). Written against any
/// <c>INetwork&lt;TNet, float&gt;</c> classifier of 28×28 images; it runs on LeNet-5, as in the paper.
/// </summary>
internal static class MnistKernelExample
{
    private const double Delta = 1e-4;
    private const int PerClass = 30;

    public static int Run(GpOptions options) => Run<LeNet5>(options);

    public static int Run<TNet>(GpOptions options) where TNet : INetwork<TNet, float>
    {
        var (train, test) = Load(options.Data);
        int k = TNet.OutputSize, epochs = options.Epochs ?? 5;
        Console.WriteLine($"{TNet.Name}: {TNet.ParameterCount:N0} parameters; train {train.Count:N0}, test {test.Count:N0} images; Adam lr 1e-3, batch 128, {epochs} epoch(s)");
        var parameters = new float[TNet.ParameterCount];
        TNet.InitializeParameters(parameters, 77);
        var trainer = new MinibatchTrainer<TNet>(train, new Adam<float>(TNet.ParameterCount, 1e-3), 128, seed: 77);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var report = trainer.TrainEpoch(parameters);
            Console.WriteLine(FormattableString.Invariant($"epoch {epoch}: train loss {report.MeanLoss:F4} ({report.Elapsed.TotalSeconds:F1} s)"));
        }
        var accuracy = MinibatchTrainer<TNet>.Evaluate(parameters, test);
        Console.WriteLine(FormattableString.Invariant($"MAP test accuracy {100 * accuracy.Accuracy:F2}% (test nll {accuracy.MeanNegativeLogLikelihood:F4})"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var laplace = Laplace<TNet, float>.Fit(parameters, train.Inputs, train.Targets, train.Count, LaplaceStructure.Diagonal, PriorPrecision.Isotropic(Delta));
        Console.WriteLine(FormattableString.Invariant($"diagonal Laplace over {train.Count:N0} images in {clock.Elapsed.TotalSeconds:F2} s; log evidence {laplace.LogMarginalLikelihood():F1}"));
        var tuned = LaplaceTuning.GridSearch(laplace, Grids.Logspace(-4, 4, 100));
        Console.WriteLine($"δ by the Laplace evidence on a 100-point grid (no pass over the data): {tuned}");

        // 300 test images, 30 per class, sorted by class.
        var chosen = new List<int>();
        for (int c = 0; c < k; c++) chosen.AddRange(Enumerable.Range(0, test.Count).Where(i => test.Label(i) == c).Take(PerClass));
        var subset = test.Subset(chosen.ToArray(), "300 test images by class");
        int m = subset.Count;
        var separators = Enumerable.Range(1, k - 1).Select(c => c * PerClass).ToList();

        var perOutput = new double[k * m * m];
        Curvature<TNet, float>.Kernel(parameters, subset.Inputs, m, subset.Inputs, m, new IsotropicCovariance(TNet.ParameterCount, 1.0), KernelBlocks.PerOutput, perOutput);
        var kernel = SumOverOutputs(perOutput, k, m);
        laplace.Kernel(subset.Inputs, m, subset.Inputs, m, KernelBlocks.PerOutput, perOutput);
        var posterior = SumOverOutputs(perOutput, k, m);
        var (within, between) = BlockContrast(kernel, m, PerClass);
        var (withinPost, betweenPost) = BlockContrast(posterior, m, PerClass);
        Console.WriteLine(FormattableString.Invariant($"kernel Σₖ Jₖ Jₖᵀ (300×300): mean normalised similarity {within:F3} within classes, {between:F3} between classes"));
        Console.WriteLine(FormattableString.Invariant($"posterior kernel Σₖ Jₖ Σ Jₖᵀ: {withinPost:F3} within classes, {betweenPost:F3} between classes"));

        var prediction = laplace.Predict(subset.Inputs, m);
        var probit = new double[m * k];
        LinkApproximations.Probabilities(TNet.Likelihood, prediction, LinkApproximation.Probit, probit);
        var epistemic = new double[m * k];
        LinkApproximations.ProbabilityVariances(TNet.Likelihood, prediction, epistemic);
        var aleatoric = new double[m * k];
        LinkApproximations.AleatoricVariances(TNet.Likelihood, prediction, aleatoric);
        var totalEpistemic = new double[m];
        var totalAleatoric = new double[m];
        int mapCorrect = 0, probitCorrect = 0;
        var wrong = new List<int>();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                totalEpistemic[i] += epistemic[i * k + j];
                totalAleatoric[i] += aleatoric[i * k + j];
            }
            int label = subset.Label(i);
            if (ArgMax(prediction.Mean.Slice(i * k, k)) == label) mapCorrect++;
            else wrong.Add(i);
            if (ArgMax(probit.AsSpan(i * k, k)) == label) probitCorrect++;
        }
        Console.WriteLine(FormattableString.Invariant($"on the 300: MAP accuracy {100.0 * mapCorrect / m:F1}%, probit accuracy {100.0 * probitCorrect / m:F1}%"));
        Console.WriteLine("class   mean Σₖ var(p) (Λ J Σ Jᵀ Λ)   mean Σₖ p(1 − p)");
        for (int c = 0; c < k; c++)
        {
            double e = totalEpistemic.Skip(c * PerClass).Take(PerClass).Average(), a = totalAleatoric.Skip(c * PerClass).Take(PerClass).Average();
            Console.WriteLine(FormattableString.Invariant($"{c,5}   {e,28:E3}   {a,16:E3}"));
        }
        double wrongMean = wrong.Count > 0 ? wrong.Average(i => totalEpistemic[i]) : double.NaN;
        double rightMean = Enumerable.Range(0, m).Where(i => !wrong.Contains(i)).Average(i => totalEpistemic[i]);
        Console.WriteLine(wrong.Count > 0
            ? FormattableString.Invariant($"mean epistemic variance: {rightMean:E3} on the {m - wrong.Count} correctly classified, {wrongMean:E3} on the {wrong.Count} misclassified")
            : FormattableString.Invariant($"mean epistemic variance: {rightMean:E3} (all {m} are classified correctly)"));
        // The same with the prior precision the evidence prefers (δ = 1e-4 leaves weights the data barely constrain with variance 10⁴).
        var tunedLaplace = laplace.WithHyperparameters(tuned.Prior);
        var tunedVariances = new double[m * k];
        LinkApproximations.ProbabilityVariances(TNet.Likelihood, tunedLaplace.Predict(subset.Inputs, m), tunedVariances);
        var totalTuned = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++) totalTuned[i] += tunedVariances[i * k + j];
        }
        double tunedWrong = wrong.Count > 0 ? wrong.Average(i => totalTuned[i]) : double.NaN;
        double tunedRight = Enumerable.Range(0, m).Where(i => !wrong.Contains(i)).Average(i => totalTuned[i]);
        Console.WriteLine(wrong.Count > 0
            ? FormattableString.Invariant($"with the evidence's δ = {tuned.Prior.Delta:G3}: mean epistemic variance {tunedRight:E3} on the correctly classified, {tunedWrong:E3} on the misclassified")
            : FormattableString.Invariant($"with the evidence's δ = {tuned.Prior.Delta:G3}: mean epistemic variance {tunedRight:E3}"));

        var scores = new double[train.Count];
        Relevance<TNet, float>.Scores(parameters, train.Inputs, train.Count, scores);
        var order = Enumerable.Range(0, train.Count).OrderByDescending(i => scores[i]).ToArray();
        var most = order.Take(10).ToArray();
        var least = order.Reverse().Take(10).ToArray();
        Console.WriteLine("most relevant training images (tr Λ): " + string.Join(", ", most.Select(i => FormattableString.Invariant($"#{i} label {train.Label(i)} ({scores[i]:F3})"))));
        Console.WriteLine("least relevant training images (tr Λ): " + string.Join(", ", least.Select(i => FormattableString.Invariant($"#{i} label {train.Label(i)} ({scores[i]:E1})"))));

        Directory.CreateDirectory(options.Out);
        string csvPath = Path.Combine(options.Out, "mnist_predictive.csv");
        using (var csv = new CsvWriter(csvPath, "test_index", "label", "map_class", "probit_class", "epistemic_variance", "epistemic_variance_tuned_delta", "aleatoric_variance"))
        {
            for (int i = 0; i < m; i++) csv.WriteRow(chosen[i], subset.Label(i), ArgMax(prediction.Mean.Slice(i * k, k)), ArgMax(probit.AsSpan(i * k, k)), totalEpistemic[i], totalTuned[i], totalAleatoric[i]);
        }
        var labels = Enumerable.Range(0, m).Select(i => i % PerClass == PerClass / 2 ? subset.Label(i).ToString(System.Globalization.CultureInfo.InvariantCulture) : "").ToList();
        var written = new List<string>
        {
            Figures.HeatMap(Path.Combine(options.Out, "mnist_kernel.png"), new MatrixPlot(kernel, m, m)
            {
                Title = $"DNN2GP kernel Σₖ Jₖ(x) Jₖ(x′)ᵀ, {m} test images sorted by class ({TNet.Name})", XLabel = "test image (by class)", YLabel = "test image (by class)",
                Separators = separators, RowLabels = labels, ColumnLabels = labels, ColorBarLabel = "kernel",
            }, 760, 680),
            Figures.HeatMap(Path.Combine(options.Out, "mnist_kernel_posterior.png"), new MatrixPlot(posterior, m, m)
            {
                Title = "Posterior kernel Σₖ Jₖ Σ Jₖᵀ (diagonal Laplace)", XLabel = "test image (by class)", YLabel = "test image (by class)",
                Separators = separators, RowLabels = labels, ColumnLabels = labels, ColorBarLabel = "kernel",
            }, 760, 680),
            Figures.Curves(Path.Combine(options.Out, "mnist_predictive_variance.png"), new CurvePanel(
                "Epistemic variance Σₖ (Λ J Σ Jᵀ Λ)ₖₖ of the 300 test images (sorted by class)", "test image (30 per class, 0 … 9)", "log₁₀ Σₖ variance of p",
                VarianceSeries(m, totalEpistemic, totalTuned, tuned.Prior.Delta, wrong)), 1000, 420),
            Figures.ImageGrid(Path.Combine(options.Out, "mnist_relevance.png"),
                most.Select(i => GreyImage.Mnist(train.Input(i).ToArray(), FormattableString.Invariant($"{train.Label(i)}: {scores[i]:F2}")))
                    .Concat(least.Select(i => GreyImage.Mnist(train.Input(i).ToArray(), FormattableString.Invariant($"{train.Label(i)}: {scores[i]:E0}")))).ToList(),
                10, 1000, 260, "Most (top) and least (bottom) relevant training images by tr Λ(x)"),
        };
        foreach (string path in written) Console.WriteLine($"wrote {path}");
        Console.WriteLine($"wrote {csvPath}");
        return 0;
    }

    private static (Dataset Train, Dataset Test) Load(string? folder)
    {
        folder ??= DataPaths.FindShared(SharedDataFolders.Mnist);
        if (folder is null)
        {
            Console.WriteLine("# MNIST not found (no --data, no shared/data/mnist): running on the built-in synthetic MNIST-like data");
            return (SyntheticMnist.Create(20_000, seed: 1), SyntheticMnist.Create(4_000, seed: 2));
        }
        return (Mnist.Load(folder, MnistSplit.Train), Mnist.Load(folder, MnistSplit.Test));
    }

    private static double[] SumOverOutputs(double[] perOutput, int k, int m)
    {
        var sum = new double[m * m];
        for (int r = 0; r < k; r++)
        {
            for (int i = 0; i < m * m; i++) sum[i] += perOutput[r * m * m + i];
        }
        return sum;
    }

    /// <summary>Mean of k(i, j)/√(k(i, i) k(j, j)) over pairs i ≠ j of one class and over pairs of different classes.</summary>
    private static (double Within, double Between) BlockContrast(double[] kernel, int m, int block)
    {
        double within = 0, between = 0;
        long nw = 0, nb = 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                if (i == j) continue;
                double c = kernel[i * m + j] / Math.Sqrt(kernel[i * m + i] * kernel[j * m + j]);
                if (i / block == j / block)
                {
                    within += c;
                    nw++;
                }
                else
                {
                    between += c;
                    nb++;
                }
            }
        }
        return (within / nw, between / nb);
    }

    /// <summary>The variance figure's series: both δ, and the misclassified images when there are any (a series needs points).</summary>
    private static List<LineSeries> VarianceSeries(int m, double[] epistemic, double[] tuned, double tunedDelta, List<int> wrong)
    {
        double[] index = Enumerable.Range(0, m).Select(i => (double)i).ToArray();
        var series = new List<LineSeries>
        {
            new(FormattableString.Invariant($"δ = {Delta:G2} (training)"), index, epistemic.Select(Math.Log10).ToArray()) { Kind = LineKind.Markers, Color = "#1f77b4", MarkerSize = 4 },
            new(FormattableString.Invariant($"δ = {tunedDelta:G3} (evidence)"), index, tuned.Select(Math.Log10).ToArray()) { Kind = LineKind.Markers, Color = "#2ca02c", MarkerSize = 4 },
        };
        if (wrong.Count > 0)
            series.Add(new LineSeries("misclassified", wrong.Select(i => (double)i).ToArray(), wrong.Select(i => Math.Log10(epistemic[i])).ToArray()) { Kind = LineKind.Markers, Color = "#d62728", MarkerSize = 9 });
        return series;
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
