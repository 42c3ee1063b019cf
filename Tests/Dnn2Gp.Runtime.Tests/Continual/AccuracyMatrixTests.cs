using System;
using System.IO;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Continual;

public sealed class AccuracyMatrixTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static AccuracyMatrix Lower(double[,] values)
    {
        int n = values.GetLength(0);
        var m = new AccuracyMatrix(n);
        for (int t = 0; t < n; t++)
            for (int s = 0; s <= t; s++)
                m[t, s] = values[t, s];
        return m;
    }

    [Fact]
    public void AveragesUseTheTasksSeenSoFar()
    {
        AccuracyMatrix m = Lower(new[,] { { 1.0, 0, 0 }, { 0.9, 0.8, 0 }, { 0.7, 0.6, 0.5 } });
        Assert.True(m.IsComplete);
        Assert.Equal(1.0, m.AverageAfter(0));
        Assert.Equal(0.85, m.AverageAfter(1), 15);
        Assert.Equal(0.6, m.FinalAverage, 15);
        Assert.True(double.IsNaN(m[0, 2]));
        m[0, 2] = 0.1; // forward evaluation may be recorded; it does not enter the averages
        Assert.Equal(1.0, m.AverageAfter(0));
    }

    [Fact]
    public void IncompleteRowsAndBadValuesAreRejected()
    {
        var m = new AccuracyMatrix(2);
        m[0, 0] = 0.5;
        m[1, 0] = 0.5;
        Assert.False(m.IsComplete);
        Assert.Contains("task 2 after training task 2 has not been recorded",
            Assert.Throws<InvalidOperationException>(() => m.FinalAverage).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 0] = 1.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[2, 0] = 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccuracyMatrix(0));
    }

    [Fact]
    public void SummaryIsMeanAndPopulationStdOverRuns()
    {
        AccuracyMatrix a = Lower(new[,] { { 1.0, 0 }, { 0.9, 0.7 } });   // final 0.8
        AccuracyMatrix b = Lower(new[,] { { 1.0, 0 }, { 0.95, 0.85 } }); // final 0.9
        AccuracySummary s = AccuracyMatrix.Summarise([a, b]);
        Assert.Equal(0.85, s.Mean, 15);
        Assert.Equal(0.05, s.StandardDeviation, 15); // population std: ddof 0
        Assert.Equal(2, s.Runs);
        Assert.Equal("85.00 ± 5.00 % over 2 run(s)", s.ToString());
        Assert.Throws<ArgumentException>(() => AccuracyMatrix.Summarise([a, new AccuracyMatrix(3)]));
        Assert.Throws<ArgumentException>(() => AccuracyMatrix.Summarise([]));
    }

    [Fact]
    public void CsvHasOneRowPerTrainedTaskWithEmptyCellsForUnmeasured()
    {
        AccuracyMatrix m = Lower(new[,] { { 1.0, 0 }, { 0.75, 0.5 } });
        string path = _temp.File("acc.csv");
        m.WriteCsv(path);
        Assert.Equal(["after_task,task_1,task_2,average", "1,1,,1", "2,0.75,0.5,0.625"], File.ReadAllLines(path));
    }

    [Fact]
    public void SummaryCsvListsRunsThenMeanAndStd()
    {
        AccuracyMatrix a = Lower(new[,] { { 0.5 } }), b = Lower(new[,] { { 1.0 } });
        string path = _temp.File("summary.csv");
        AccuracyMatrix.WriteSummaryCsv(path, [a, b], [42, 43]);
        Assert.Equal(["run,seed,final_average", "1,42,0.5", "2,43,1", "mean,,0.75", "std,,0.25"], File.ReadAllLines(path));
        Assert.Throws<ArgumentException>(() => AccuracyMatrix.WriteSummaryCsv(path, [a, b], [42]));
    }
}
