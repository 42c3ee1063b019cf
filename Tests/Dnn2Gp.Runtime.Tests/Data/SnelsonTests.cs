using System;
using System.IO;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class SnelsonTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Folder => TestData.Folder(Snelson.FolderName);

    [Fact]
    public void RealTrainingSetHas200PointsInTheDocumentedRanges()
    {
        RegressionSet train = Snelson.LoadTrain(Folder);
        Assert.Equal(Snelson.TrainCount, train.Count);
        Assert.Equal(1, train.InputSize);
        Assert.Equal(5.7007757, train.Input(0)[0]);   // first line of train_inputs
        Assert.Equal(-0.4536778, train.Target(0));    // first line of train_outputs
        // The extremes as written in the files (the data README rounds them to [0.0592, 5.9658] and [-2.1523, 1.2474]).
        Assert.Equal(0.059167804, train.Inputs.ToArray().Min());
        Assert.Equal(5.9657729, train.Inputs.ToArray().Max());
        Assert.Equal(-2.1522765, train.Targets.ToArray().Min());
        Assert.Equal(1.2473979, train.Targets.ToArray().Max());
    }

    [Fact]
    public void GapRemovalLeaves148PointsOutsideTheGap()
    {
        RegressionSet gap = Snelson.LoadTrainWithGap(Folder);
        Assert.Equal(Snelson.GapTrainCount, gap.Count);
        Assert.All(gap.Inputs.ToArray(), x => Assert.True(x < 1.5 || x > 3, $"x = {x} lies in the gap"));

        // The kept points are exactly the original points outside the gap, in order, with their targets.
        RegressionSet all = Snelson.LoadTrain(Folder);
        var expected = Enumerable.Range(0, all.Count).Where(i => all.Input(i)[0] < 1.5 || all.Input(i)[0] > 3).ToArray();
        Assert.Equal(expected.Select(i => all.Target(i)), gap.Targets.ToArray());
    }

    [Fact]
    public void GapEndsAreRemovedToo()
    {
        var data = new RegressionSet("d", [1.0, 1.5, 2.0, 3.0, 3.5], 1, [10, 11, 12, 13, 14]);
        RegressionSet kept = Snelson.RemoveGap(data);
        Assert.Equal([1.0, 3.5], kept.Inputs.ToArray());
        Assert.Equal([10.0, 14.0], kept.Targets.ToArray());
    }

    [Fact]
    public void TestInputsAreTheShipped301PointGrid()
    {
        double[] test = Snelson.LoadTestInputs(Folder);
        Assert.Equal(301, test.Length);
        Assert.Equal(-3.0, test[0]);
        Assert.Equal(10.0, test[^1], 6);
    }

    [Fact]
    public void PredictionGridIs1000PointsFromMinus4To10()
    {
        double[] grid = Snelson.PredictionGrid();
        Assert.Equal(1000, grid.Length);
        Assert.Equal(-4.0, grid[0]);
        Assert.Equal(10.0, grid[^1]);
        Assert.Equal(14.0 / 999, grid[1] - grid[0], 12);
    }

    private string Make(string inputs, string outputs)
    {
        File.WriteAllText(_temp.File("train_inputs"), inputs);
        File.WriteAllText(_temp.File("train_outputs"), outputs);
        return _temp.Path;
    }

    [Fact]
    public void ReadsPaddedScientificNotationAndSkipsBlankLines()
    {
        RegressionSet data = Snelson.LoadTrain(Make("   5.7007757e+00\n  -1.0e-01\n\n", "  1\n  2\n"));
        Assert.Equal([5.7007757, -0.1], data.Inputs.ToArray());
        Assert.Equal([1.0, 2.0], data.Targets.ToArray());
    }

    [Fact]
    public void MissingFileSaysWhichFilesBelongInTheFolder()
    {
        File.WriteAllText(_temp.File("train_inputs"), "1\n");
        var e = Assert.Throws<FileNotFoundException>(() => Snelson.LoadTrain(_temp.Path));
        Assert.Contains("train_outputs is missing", e.Message);
        Assert.Contains(_temp.File("train_outputs"), e.Message);
        Assert.Contains("snelson/ holds train_inputs, train_outputs, test_inputs", e.Message);
        Assert.Contains("shared/data/snelson", e.Message);
        Assert.Equal(_temp.File("train_outputs"), e.FileName);
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        string folder = _temp.File("absent");
        var e = Assert.Throws<FileNotFoundException>(() => Snelson.LoadTrain(folder));
        Assert.Contains($"Snelson folder '{folder}' does not exist", e.Message);
    }

    [Fact]
    public void MalformedNumberNamesFileLineAndText()
    {
        string folder = Make("1\n2\n  1.2.3\n", "1\n2\n3\n");
        var e = Assert.Throws<InvalidDataException>(() => Snelson.LoadTrain(folder));
        Assert.Contains(_temp.File("train_inputs"), e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("'1.2.3' is not a number", e.Message);
    }

    [Fact]
    public void TwoNumbersOnALineAreRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Snelson.LoadTrain(Make("1 2\n", "1\n")));
        Assert.Contains("line 1: expected one number per line, found '1 2'", e.Message);
    }

    [Fact]
    public void CountMismatchNamesBothFilesAndCounts()
    {
        var e = Assert.Throws<InvalidDataException>(() => Snelson.LoadTrain(Make("1\n2\n3\n", "1\n2\n")));
        Assert.Contains("has 3 inputs", e.Message);
        Assert.Contains("has 2 outputs", e.Message);
        Assert.Contains(_temp.File("train_inputs"), e.Message);
        Assert.Contains(_temp.File("train_outputs"), e.Message);
    }

    [Fact]
    public void EmptyFilesAreRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Snelson.LoadTrain(Make("\n", "")));
        Assert.Contains("holds no numbers", e.Message);
    }
}
