using System;
using System.IO;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class RealWineTests
{
    private static readonly Lazy<UciRegressionData> Wine =
        new(() => UciRegressionData.Load(TestData.Folder(SharedDataFolders.WineQualityRed)));

    [Fact]
    public void TableHasTheDocumentedShape()
    {
        UciRegressionData wine = Wine.Value;
        Assert.Equal(1599, wine.Rows);
        Assert.Equal(12, wine.Columns);
        Assert.Equal(Enumerable.Range(0, 11), wine.FeatureColumns.ToArray());
        Assert.Equal(11, wine.TargetColumn);
        Assert.Equal(20, wine.SplitCount);
        Assert.Equal([7.4, 0.7, 0, 1.9, 0.076, 11, 34, 0.9978, 3.51, 0.56, 9.4, 5], wine.Table[..12].ToArray());
        Assert.Equal("wine-quality-red", wine.Name);
    }

    [Fact]
    public void EverySplitHas1439TrainAnd160TestRowsCoveringAllRows()
    {
        UciRegressionData wine = Wine.Value;
        for (int k = 0; k < wine.SplitCount; k++)
        {
            UciSplit split = wine.Split(k);
            Assert.Equal(1439, split.Train.Count);
            Assert.Equal(160, split.Test.Count);
            Assert.Equal(11, split.Train.InputSize);
            // Train and test partition the rows: the multiset of raw targets adds up to the whole column.
            double total = Enumerable.Range(0, wine.Rows).Sum(r => wine.Table[r * 12 + 11]);
            Assert.Equal(total, split.RawTrain.Targets.ToArray().Sum() + split.RawTest.Targets.ToArray().Sum(), 6);
        }
    }

    [Fact]
    public void TrainingSplitIsStandardisedWithPopulationStatistics()
    {
        UciSplit split = Wine.Value.Split(0);
        double[] y = split.Train.Targets.ToArray();
        Assert.Equal(0.0, y.Average(), 12);
        Assert.Equal(1.0, Math.Sqrt(y.Select(v => v * v).Average()), 12); // population std of a mean-zero column
        for (int f = 0; f < 11; f++)
        {
            double[] x = split.Train.InputColumn(f);
            Assert.Equal(0.0, x.Average(), 10);
            Assert.Equal(1.0, Math.Sqrt(x.Select(v => v * v).Average()), 10);
        }
        double[] rawY = split.RawTrain.Targets.ToArray();
        double mean = rawY.Average();
        Assert.Equal(mean, split.YMean, 12);
        Assert.Equal(Math.Sqrt(rawY.Select(v => (v - mean) * (v - mean)).Average()), split.YScale, 12);
        Assert.InRange(split.YScale, 0.75, 0.85); // quality: population std 0.807 over all rows
    }

    [Fact]
    public void TestSplitUsesTheTrainingStatistics()
    {
        UciSplit split = Wine.Value.Split(3);
        for (int i = 0; i < 5; i++)
        {
            for (int f = 0; f < 11; f++)
                Assert.Equal((split.RawTest.Input(i)[f] - split.XMean[f]) / split.XScale[f], split.Test.Input(i)[f], 12);
            Assert.Equal(split.RawTest.Target(i), split.ToOriginalY(split.Test.Target(i)), 12);
        }
        Assert.Equal(0.5 * split.YScale * split.YScale, split.ToOriginalMse(0.5), 15);
    }

    [Fact]
    public void SplitIndexOutOfRangeSaysHowManyThereAre()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Wine.Value.Split(20));
        Assert.Contains("has 20 splits (0..19)", e.Message);
    }
}

public sealed class UciRegressionFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private void Write(string name, string text) => File.WriteAllText(_temp.File(name), text);

    /// <summary>4 rows × 3 columns: features 0 and 1, target 2; split 0 trains on rows 0–2 and tests on row 3.</summary>
    private void MakeSmall(string train = "0\n1\n2\n", string test = "3\n", string data = "1 10 100\n2 10 200\n3\t10 300\n4 10 400\n")
    {
        Write("data.txt", data);
        Write("index_features.txt", "0\n1\n");
        Write("index_target.txt", "2\n");
        Write("n_splits.txt", "1\n");
        Write("index_train_0.txt", train);
        Write("index_test_0.txt", test);
    }

    [Fact]
    public void StandardisesByHand()
    {
        MakeSmall();
        UciSplit split = UciRegressionData.Load(_temp.Path).Split(0);
        double std = Math.Sqrt(2.0 / 3.0); // population std of 1, 2, 3
        Assert.Equal(2.0, split.XMean[0]);
        Assert.Equal(std, split.XScale[0], 15);
        Assert.Equal(10.0, split.XMean[1]);
        Assert.Equal(1.0, split.XScale[1]); // constant feature: scale 1, as sklearn
        Assert.Equal(200.0, split.YMean);
        Assert.Equal(100 * std, split.YScale, 12);
        Assert.Equal([-1 / std, 0, 0, 0, 1 / std, 0], split.Train.Inputs.ToArray(), new Tolerance(1e-12));
        Assert.Equal([2 / std, 0], split.Test.Inputs.ToArray(), new Tolerance(1e-12));
        Assert.Equal(2 / std, split.Test.Target(0), 12);
    }

    [Fact]
    public void IndexPastTheEndNamesFileLineAndRowCount()
    {
        MakeSmall(test: "3\n4\n");
        UciRegressionData data = UciRegressionData.Load(_temp.Path);
        var e = Assert.Throws<InvalidDataException>(() => data.Split(0));
        Assert.Contains(_temp.File("index_test_0.txt"), e.Message);
        Assert.Contains("line 2: row index 4 is past the end", e.Message);
        Assert.Contains("which has 4 rows", e.Message);
    }

    [Fact]
    public void RowInTrainAndTestIsRejected()
    {
        MakeSmall(test: "2\n");
        var e = Assert.Throws<InvalidDataException>(() => UciRegressionData.Load(_temp.Path).Split(0));
        Assert.Contains("Row 2 is in both", e.Message);
    }

    [Fact]
    public void RepeatedIndexIsRejected()
    {
        MakeSmall(train: "0\n1\n0\n");
        var e = Assert.Throws<InvalidDataException>(() => UciRegressionData.Load(_temp.Path).Split(0));
        Assert.Contains("line 3: row index 0 already appears on line 1", e.Message);
    }

    [Fact]
    public void MalformedIndexNamesLineAndText()
    {
        MakeSmall(train: "0\n1.5\n");
        var e = Assert.Throws<InvalidDataException>(() => UciRegressionData.Load(_temp.Path).Split(0));
        Assert.Contains("line 2: '1.5' is not a non-negative integer", e.Message);
    }

    [Fact]
    public void RaggedRowNamesBothCounts()
    {
        MakeSmall(data: "1 2 3\n4 5\n");
        var e = Assert.Throws<InvalidDataException>(() => UciRegressionData.Load(_temp.Path));
        Assert.Contains(_temp.File("data.txt"), e.Message);
        Assert.Contains("line 2 has 2 values, but line 1 has 3", e.Message);
    }

    [Fact]
    public void MalformedValueNamesFileLineAndText()
    {
        MakeSmall(data: "1 2 3\n4 x5 6\n");
        var e = Assert.Throws<InvalidDataException>(() => UciRegressionData.Load(_temp.Path));
        Assert.Contains("line 2: 'x5' is not a number", e.Message);
    }

    [Fact]
    public void FeatureColumnPastTheEndIsRejected()
    {
        MakeSmall();
        Write("index_features.txt", "0\n3\n");
        var e = Assert.Throws<InvalidDataException>(() => UciRegressionData.Load(_temp.Path));
        Assert.Contains("row index 3 is past the end of the columns of", e.Message);
    }

    [Fact]
    public void MissingSplitFileSaysWhatTheFolderHolds()
    {
        MakeSmall();
        File.Delete(_temp.File("index_test_0.txt"));
        var e = Assert.Throws<FileNotFoundException>(() => UciRegressionData.Load(_temp.Path).Split(0));
        Assert.Contains("index_test_0.txt is missing", e.Message);
        Assert.Contains("wine-quality-red/ holds data.txt, index_features.txt", e.Message);
    }

    private sealed class Tolerance(double eps) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;

        public int GetHashCode(double v) => 0;
    }
}
