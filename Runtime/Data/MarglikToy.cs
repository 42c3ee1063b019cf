using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// The toy regression data of DNN2GP's marginal-likelihood experiment (E3): the exported data sets of the shared
/// folder <c>dnn2gp-marglik-toy/</c> and a seeded generator of the same distribution for machines without them.
/// </summary>
/// <remarks>
/// Distribution (the data README): x from a mixture with probabilities (0.45, 0.10, 0.45) of U(−3.5, −1.5),
/// U(−1, 1) and U(1.5, 3.5); y = sin x + ε with ε ~ N(0, 0.1²), N(0, 1²), N(0, 0.1²) in the three clusters; a
/// constant 1 is appended as a second input ("bias"). Every set has inputs [n, 2] = (x, 1) and targets y.
/// </remarks>
public static class MarglikToy
{
    /// <summary>The shared folder's name.</summary>
    public const string FolderName = SharedDataFolders.MarglikToy;

    /// <summary>Training points per data set in the published experiment.</summary>
    public const int TrainCount = 100;

    /// <summary>Test points per data set in the published experiment.</summary>
    public const int TestCount = 2000;

    /// <summary>The mixture probabilities of the left, middle and right clusters.</summary>
    public static ReadOnlySpan<double> ClusterProbabilities => [0.45, 0.10, 0.45];

    /// <summary>
    /// Reads a data-set file of the shared folder (<c>toy_train.csv</c>, <c>toy_test.csv</c>,
    /// <c>toy_width_train.csv</c>, <c>toy_width_test.csv</c>; columns dataset, x, bias, y) as one
    /// <see cref="RegressionSet"/> per data set, in data-set order.
    /// </summary>
    /// <exception cref="InvalidDataException">A column is missing, a cell is malformed, or the data-set numbers are not 0, 1, 2, … in blocks.</exception>
    public static IReadOnlyList<RegressionSet> LoadSets(string path)
    {
        CsvTable table = CsvTable.Read(path, "dataset", "x", "bias", "y");
        ReadOnlySpan<double> set = table.Column("dataset"), x = table.Column("x"), bias = table.Column("bias"), y = table.Column("y");
        var sets = new List<RegressionSet>();
        string stem = Path.GetFileNameWithoutExtension(path);
        int start = 0;
        while (start < table.RowCount)
        {
            int expected = sets.Count;
            if (set[start] != expected)
                throw new InvalidDataException(
                    $"'{path}' data row {start + 1}: data set {set[start]} where data set {expected} was expected; the rows must come in blocks of data sets 0, 1, 2, ….");
            int end = start;
            while (end < table.RowCount && set[end] == expected)
                end++;
            int n = end - start;
            var inputs = new double[2 * n];
            var targets = new double[n];
            for (int k = 0; k < n; k++)
            {
                inputs[2 * k] = x[start + k];
                inputs[2 * k + 1] = bias[start + k];
                targets[k] = y[start + k];
            }
            sets.Add(new RegressionSet($"{stem}[{expected}]", inputs, 2, targets));
            start = end;
        }
        if (sets.Count == 0)
            throw new InvalidDataException($"'{path}' has a header but no data rows.");
        return sets;
    }

    /// <summary>Reads all the data sets of <paramref name="folder"/> (the shared <c>dnn2gp-marglik-toy/</c>).</summary>
    /// <exception cref="FileNotFoundException">The folder or a file is missing; the message says which files belong there.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or a training file and its test file hold different numbers of data sets.</exception>
    public static MarglikToyData Load(string folder)
    {
        string Require(string file) => SharedDataFolders.File(folder, file, FolderName, "DNN2GP toy marginal-likelihood");
        string deltaTrainPath = Require("toy_train.csv"), deltaTestPath = Require("toy_test.csv");
        string widthTrainPath = Require("toy_width_train.csv"), widthTestPath = Require("toy_width_test.csv");
        string gridPath = Require("toy_grid.csv");
        var deltaTrain = LoadSets(deltaTrainPath);
        var deltaTest = LoadSets(deltaTestPath);
        var widthTrain = LoadSets(widthTrainPath);
        var widthTest = LoadSets(widthTestPath);
        CheckPaired(deltaTrainPath, deltaTrain.Count, deltaTestPath, deltaTest.Count);
        CheckPaired(widthTrainPath, widthTrain.Count, widthTestPath, widthTest.Count);
        CsvTable grid = CsvTable.Read(gridPath, "x", "bias", "sin_x");
        return new MarglikToyData(deltaTrain, deltaTest, widthTrain, widthTest, grid.Column("x").ToArray(), grid.Column("sin_x").ToArray());
    }

    /// <summary>
    /// Draws <paramref name="count"/> points of the toy distribution with .NET's <see cref="Random"/> seeded by
    /// <paramref name="seed"/> (the same seed gives the same points; the values differ from numpy's seed-7 draws,
    /// which the shared folder holds).
    /// </summary>
    public static RegressionSet Generate(int count, int seed, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var inputs = new double[2 * count];
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u = random.NextDouble();
            double x, noise;
            if (u < 0.45)
            {
                x = -3.5 + 2.0 * random.NextDouble();
                noise = 0.1;
            }
            else if (u < 0.55)
            {
                x = -1.0 + 2.0 * random.NextDouble();
                noise = 1.0;
            }
            else
            {
                x = 1.5 + 2.0 * random.NextDouble();
                noise = 0.1;
            }
            inputs[2 * i] = x;
            inputs[2 * i + 1] = 1.0;
            targets[i] = Math.Sin(x) + noise * Gaussian.Next(random);
        }
        return new RegressionSet(name ?? $"marglik-toy(seed {seed}, n {count})", inputs, 2, targets);
    }

    /// <summary>
    /// One generated experiment data set: <paramref name="trainCount"/> training and <paramref name="testCount"/>
    /// test points (100 and 2000 in the paper) drawn from one seeded stream, training points first.
    /// </summary>
    public static (RegressionSet Train, RegressionSet Test) GenerateDataset(int seed, int trainCount = TrainCount, int testCount = TestCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        RegressionSet all = Generate(trainCount + testCount, seed);
        var train = new int[trainCount];
        for (int i = 0; i < trainCount; i++)
            train[i] = i;
        var test = new int[testCount];
        for (int i = 0; i < testCount; i++)
            test[i] = trainCount + i;
        return (all.Subset(train, $"marglik-toy(seed {seed})-train"), all.Subset(test, $"marglik-toy(seed {seed})-test"));
    }

    /// <summary>
    /// The plotting grid as network inputs, [count, 2] = (x, 1) with x = linspace(<paramref name="low"/>,
    /// <paramref name="high"/>, <paramref name="count"/>); the published grid is linspace(−3.5, 3.5, 200).
    /// </summary>
    public static double[] GridInputs(int count = 200, double low = -3.5, double high = 3.5)
    {
        double[] x = Grids.Linspace(low, high, count);
        var inputs = new double[2 * count];
        for (int i = 0; i < count; i++)
        {
            inputs[2 * i] = x[i];
            inputs[2 * i + 1] = 1.0;
        }
        return inputs;
    }

    private static void CheckPaired(string trainPath, int trainSets, string testPath, int testSets)
    {
        if (trainSets != testSets)
            throw new InvalidDataException(
                $"'{trainPath}' holds {trainSets} data sets but '{testPath}' holds {testSets}; each training set needs its test set.");
    }
}

/// <summary>The data sets of the shared <c>dnn2gp-marglik-toy/</c> folder (see <see cref="MarglikToy.Load"/>).</summary>
public sealed class MarglikToyData
{
    internal MarglikToyData(IReadOnlyList<RegressionSet> deltaTrain, IReadOnlyList<RegressionSet> deltaTest,
        IReadOnlyList<RegressionSet> widthTrain, IReadOnlyList<RegressionSet> widthTest, double[] gridX, double[] gridSinX)
    {
        DeltaTrain = deltaTrain;
        DeltaTest = deltaTest;
        WidthTrain = widthTrain;
        WidthTest = widthTest;
        GridX = gridX;
        GridSinX = gridSinX;
    }

    /// <summary>The 10 training sets (100 points each) of the δ sweep (<c>toy_train.csv</c>).</summary>
    public IReadOnlyList<RegressionSet> DeltaTrain { get; }

    /// <summary>The 10 test sets (2000 points each) of the δ sweep (<c>toy_test.csv</c>).</summary>
    public IReadOnlyList<RegressionSet> DeltaTest { get; }

    /// <summary>The 5 training sets of the width sweep (<c>toy_width_train.csv</c>).</summary>
    public IReadOnlyList<RegressionSet> WidthTrain { get; }

    /// <summary>The 5 test sets of the width sweep (<c>toy_width_test.csv</c>).</summary>
    public IReadOnlyList<RegressionSet> WidthTest { get; }

    /// <summary>The 200 x values of the plotting grid (<c>toy_grid.csv</c>).</summary>
    public double[] GridX { get; }

    /// <summary>sin x on the plotting grid.</summary>
    public double[] GridSinX { get; }
}
