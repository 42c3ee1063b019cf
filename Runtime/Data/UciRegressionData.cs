using System;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A UCI regression data set in the layout of the Vadam repository's data folders (used by DNN2GP's
/// <c>marglik_uci.py</c> for red wine): <c>data.txt</c> (whitespace-separated rows), <c>index_features.txt</c> and
/// <c>index_target.txt</c> (which columns are inputs and which is the target), <c>n_splits.txt</c>, and per split k
/// <c>index_train_k.txt</c> / <c>index_test_k.txt</c> (zero-based row indices).
/// </summary>
/// <example>
/// <code>
/// var wine = UciRegressionData.Load(SharedDataFolders.Require(SharedDataFolders.WineQualityRed));
/// UciSplit split = wine.Split(0);               // standardised with the training split's statistics
/// double mse = ...;                             // computed on split.Test (standardised units)
/// double reported = split.ToOriginalMse(mse);   // × y_std², as in the paper
/// </code>
/// </example>
public sealed class UciRegressionData
{
    private readonly double[] _table;
    private readonly int[] _features;

    private UciRegressionData(string folder, string name, double[] table, int rows, int columns, int[] features, int target, int splits)
    {
        Folder = folder;
        Name = name;
        _table = table;
        Rows = rows;
        Columns = columns;
        _features = features;
        TargetColumn = target;
        SplitCount = splits;
    }

    /// <summary>The folder the data came from (full path).</summary>
    public string Folder { get; }

    /// <summary>The folder's name, e.g. "wine-quality-red".</summary>
    public string Name { get; }

    /// <summary>The rows of <c>data.txt</c> (1599 for red wine).</summary>
    public int Rows { get; }

    /// <summary>The columns of <c>data.txt</c> (12 for red wine).</summary>
    public int Columns { get; }

    /// <summary>The input columns (from <c>index_features.txt</c>; 0..10 for red wine).</summary>
    public ReadOnlySpan<int> FeatureColumns => _features;

    /// <summary>The number of input features.</summary>
    public int FeatureCount => _features.Length;

    /// <summary>The target column (from <c>index_target.txt</c>; 11, "quality", for red wine).</summary>
    public int TargetColumn { get; }

    /// <summary>The number of train/test splits (from <c>n_splits.txt</c>; 20 for red wine).</summary>
    public int SplitCount { get; }

    /// <summary>The whole table of <c>data.txt</c>, [Rows, Columns] row-major, as read.</summary>
    public ReadOnlySpan<double> Table => _table;

    /// <summary>Reads <c>data.txt</c>, <c>index_features.txt</c>, <c>index_target.txt</c> and <c>n_splits.txt</c> from <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder or one of the four files is missing; the message says which files belong there.</exception>
    /// <exception cref="InvalidDataException">A value is malformed, the rows have different lengths, or a column index is out of range.</exception>
    public static UciRegressionData Load(string folder)
    {
        string dataPath = FilePath(folder, "data.txt");
        string featuresPath = FilePath(folder, "index_features.txt");
        string targetPath = FilePath(folder, "index_target.txt");
        string splitsPath = FilePath(folder, "n_splits.txt");

        double[] table = TextNumbers.ReadTable(dataPath, out int rows, out int columns);
        int[] features = TextNumbers.ReadIndexColumn(featuresPath, columns, $"the columns of '{dataPath}'");
        int[] target = TextNumbers.ReadIndexColumn(targetPath, columns, $"the columns of '{dataPath}'");
        int[] splits = TextNumbers.ReadIntegerColumn(splitsPath);
        if (features.Length == 0)
            throw new InvalidDataException($"'{featuresPath}' lists no feature columns.");
        if (target.Length != 1)
            throw new InvalidDataException($"'{targetPath}' must hold exactly one column index; it holds {target.Length}.");
        if (Array.IndexOf(features, target[0]) >= 0)
            throw new InvalidDataException($"Column {target[0]} is both the target ('{targetPath}') and a feature ('{featuresPath}').");
        if (splits.Length != 1 || splits[0] < 1)
            throw new InvalidDataException($"'{splitsPath}' must hold one positive number of splits; it holds {splits.Length} value(s).");

        string full = Path.GetFullPath(folder);
        string name = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        return new UciRegressionData(full, name, table, rows, columns, features, target[0], splits[0]);
    }

    /// <summary>
    /// Split <paramref name="index"/>: the rows of <c>index_train_k.txt</c> and <c>index_test_k.txt</c>, with x and
    /// y standardised by the training rows' mean and population standard deviation (sklearn's StandardScaler; a
    /// constant column keeps scale 1). The test rows use the training statistics.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The split index is not in [0, <see cref="SplitCount"/>).</exception>
    /// <exception cref="FileNotFoundException">An index file is missing.</exception>
    /// <exception cref="InvalidDataException">An index is malformed, past the end of <c>data.txt</c>, repeated, or in both files.</exception>
    public UciSplit Split(int index)
    {
        if ((uint)index >= (uint)SplitCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"'{Name}' has {SplitCount} splits (0..{SplitCount - 1}).");
        string trainPath = FilePath(Folder, $"index_train_{index}.txt");
        string testPath = FilePath(Folder, $"index_test_{index}.txt");
        string table = $"'{Path.Combine(Folder, "data.txt")}'";
        int[] train = TextNumbers.ReadIndexColumn(trainPath, Rows, table);
        int[] test = TextNumbers.ReadIndexColumn(testPath, Rows, table);
        if (train.Length == 0)
            throw new InvalidDataException($"'{trainPath}' lists no rows.");
        var inTrain = new bool[Rows];
        foreach (int i in train)
            inTrain[i] = true;
        foreach (int i in test)
        {
            if (inTrain[i])
                throw new InvalidDataException($"Row {i} is in both '{trainPath}' and '{testPath}'; a split's train and test rows must be disjoint.");
        }

        RegressionSet rawTrain = Gather(train, $"{Name}-split{index}-train");
        RegressionSet rawTest = Gather(test, $"{Name}-split{index}-test");
        int d = _features.Length;
        var xMean = new double[d];
        var xStd = new double[d];
        for (int f = 0; f < d; f++)
            (xMean[f], xStd[f]) = MeanAndScale(rawTrain.Inputs, f, d);
        (double yMean, double yStd) = MeanAndScale(rawTrain.Targets, 0, 1);
        return new UciSplit(index, rawTrain, rawTest,
            Standardise(rawTrain, xMean, xStd, yMean, yStd), Standardise(rawTest, xMean, xStd, yMean, yStd),
            xMean, xStd, yMean, yStd);
    }

    private RegressionSet Gather(int[] rows, string name)
    {
        int d = _features.Length;
        var x = new double[rows.Length * d];
        var y = new double[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            int at = rows[k] * Columns;
            for (int f = 0; f < d; f++)
                x[k * d + f] = _table[at + _features[f]];
            y[k] = _table[at + TargetColumn];
        }
        return new RegressionSet(name, x, d, y);
    }

    /// <summary>Mean and population standard deviation of column <paramref name="c"/> of a [n, stride] table; a zero deviation becomes 1.</summary>
    private static (double Mean, double Scale) MeanAndScale(ReadOnlySpan<double> values, int c, int stride)
    {
        int n = values.Length / stride;
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += values[i * stride + c];
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double e = values[i * stride + c] - mean;
            squares += e * e;
        }
        double std = Math.Sqrt(squares / n);
        return (mean, std > 0 ? std : 1.0);
    }

    private static RegressionSet Standardise(RegressionSet raw, double[] xMean, double[] xStd, double yMean, double yStd)
    {
        int d = xMean.Length;
        var x = raw.Inputs.ToArray();
        for (int i = 0; i < x.Length; i++)
            x[i] = (x[i] - xMean[i % d]) / xStd[i % d];
        var y = raw.Targets.ToArray();
        for (int i = 0; i < y.Length; i++)
            y[i] = (y[i] - yMean) / yStd;
        return new RegressionSet(raw.Name + "-standardised", x, d, y);
    }

    private static string FilePath(string folder, string file) =>
        SharedDataFolders.File(folder, file, SharedDataFolders.WineQualityRed, "UCI regression");
}

/// <summary>
/// One train/test split of a <see cref="UciRegressionData"/>: the raw rows and the rows standardised by the training
/// statistics, with the statistics kept so that results can be reported in original units.
/// </summary>
public sealed class UciSplit
{
    internal UciSplit(int index, RegressionSet rawTrain, RegressionSet rawTest, RegressionSet train, RegressionSet test,
        double[] xMean, double[] xScale, double yMean, double yScale)
    {
        Index = index;
        RawTrain = rawTrain;
        RawTest = rawTest;
        Train = train;
        Test = test;
        _xMean = xMean;
        _xScale = xScale;
        YMean = yMean;
        YScale = yScale;
    }

    private readonly double[] _xMean;
    private readonly double[] _xScale;

    /// <summary>The split's number k.</summary>
    public int Index { get; }

    /// <summary>The training rows, standardised (x and y have mean 0 and population std 1 over these rows).</summary>
    public RegressionSet Train { get; }

    /// <summary>The test rows, standardised with the training statistics.</summary>
    public RegressionSet Test { get; }

    /// <summary>The training rows in original units.</summary>
    public RegressionSet RawTrain { get; }

    /// <summary>The test rows in original units.</summary>
    public RegressionSet RawTest { get; }

    /// <summary>The training mean of each feature.</summary>
    public ReadOnlySpan<double> XMean => _xMean;

    /// <summary>The training population standard deviation of each feature (1 for a constant feature).</summary>
    public ReadOnlySpan<double> XScale => _xScale;

    /// <summary>The training mean of y.</summary>
    public double YMean { get; }

    /// <summary>The training population standard deviation of y (the "y scale" of <c>marglik_uci.py</c>).</summary>
    public double YScale { get; }

    /// <summary>A mean squared error computed on standardised y, in original units: mse · YScale².</summary>
    public double ToOriginalMse(double standardisedMse) => standardisedMse * YScale * YScale;

    /// <summary>A standardised prediction in original units: y · YScale + YMean.</summary>
    public double ToOriginalY(double standardisedY) => standardisedY * YScale + YMean;
}
