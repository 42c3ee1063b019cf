using System;
using System.IO;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

/// <summary>The published curves, checked against the numbers quoted in the specification (METHODS.md I.11).</summary>
public sealed class RealPublishedSweepTests
{
    private static PublishedSweep Toy(string file) =>
        PublishedSweep.Load(TestData.Folder(SharedDataFolders.MarglikToy), file, SharedDataFolders.MarglikToy);

    private static PublishedSweep Wine(string file) =>
        PublishedSweep.Load(TestData.Folder(SharedDataFolders.MarglikWine), file, SharedDataFolders.MarglikWine);

    [Fact]
    public void ToyDeltaSweepHasItsShapeAndPublishedMinimum()
    {
        PublishedSweep sweep = Toy("delta_sweep_raw.csv");
        Assert.Equal("delta", sweep.ParameterName);
        Assert.Equal("dataset", sweep.GroupName);
        Assert.Equal(10, sweep.GroupCount);
        Assert.Equal(Grids.Logspace(-2, 2, 21), sweep.Parameters.ToArray(), new RelativeComparer(1e-12));
        Assert.Equal(["mlh", "convimlh", "vimlh", "test_loss_map", "test_loss_lap", "test_loss_vi", "train_loss_map", "train_loss_lap", "train_loss_vi"], sweep.MetricNames);
        Assert.Equal(-145.85704177983254, sweep.Value("mlh", 0, 0));

        SweepCurve negMlh = sweep.Curve("mlh", negate: true);
        Assert.Equal("-mlh", negMlh.Metric);
        Assert.Equal(9, negMlh.ArgMin);
        Assert.Equal(0.631, negMlh.Parameters[negMlh.ArgMin], 3);
        Assert.Equal(110.15, negMlh.Mean[9], 2);
        Assert.Equal(0.95, negMlh.StandardError[9], 2);
        Assert.Equal(144.00, negMlh.Mean[0], 2);
        Assert.Equal(2.97, negMlh.StandardError[0], 2);

        SweepCurve mse = sweep.Curve("test_loss_map");
        Assert.Equal(9, mse.ArgMin);
        Assert.Equal(0.1347, mse.Mean[9], 4);
        Assert.Equal(-1.0 * sweep.Curve("mlh").Mean[3], negMlh.Mean[3], 10);
    }

    [Fact]
    public void ToyWidthSweepMinimumIsAtWidth72()
    {
        SweepCurve negMlh = Toy("width_sweep_raw.csv").Curve("mlh", negate: true);
        Assert.Equal(27, negMlh.Parameters.Length);
        Assert.Equal(5, negMlh.Groups);
        Assert.Equal(72, negMlh.Parameters[negMlh.ArgMin]);
        Assert.Equal(112.50, negMlh.Mean[negMlh.ArgMin], 2);
    }

    [Fact]
    public void WineSweepsHaveThePublishedMinima()
    {
        PublishedSweep delta = Wine("delta_sweep_raw.csv");
        Assert.Equal("split", delta.GroupName);
        Assert.Equal(20, delta.GroupCount);
        Assert.Equal(30, delta.Parameters.Length);
        SweepCurve mlh = delta.Curve("mlh", negate: true);
        Assert.Equal(23.95, mlh.Parameters[mlh.ArgMin], 2);
        Assert.Equal(1828.1, mlh.Mean[mlh.ArgMin], 1);
        Assert.Equal(3.1, mlh.StandardError[mlh.ArgMin], 1);
        SweepCurve mse = delta.Curve("test_mse_map");
        Assert.Equal(34.51, mse.Parameters[mse.ArgMin], 2);
        Assert.Equal(0.3985, mse.Mean[mse.ArgMin], 4);

        SweepCurve sigma = Wine("sigma_sweep_raw.csv").Curve("mlh", negate: true);
        Assert.Equal(0.788, sigma.Parameters[sigma.ArgMin], 3);
        Assert.Equal(1761.2, sigma.Mean[sigma.ArgMin], 1);

        SweepCurve width = Wine("width_sweep_raw.csv").Curve("mlh", negate: true);
        Assert.Equal(24, width.Parameters.Length);
        Assert.Equal(3, width.Parameters[width.ArgMin]);
        Assert.Equal(1767.2, width.Mean[width.ArgMin], 1);
    }

    private sealed class RelativeComparer(double eps) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps * Math.Max(Math.Abs(a), Math.Abs(b));

        public int GetHashCode(double v) => 0;
    }
}

public sealed class PublishedSweepFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string text)
    {
        string path = _temp.File("sweep.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void RowsMayComeInAnyOrder()
    {
        PublishedSweep sweep = PublishedSweep.Load(Write("width,split,mlh\n2,1,-4\n1,0,-1\n2,0,-3\n1,1,-2\n"));
        Assert.Equal([1.0, 2.0], sweep.Parameters.ToArray());
        Assert.Equal(-2, sweep.Value("mlh", 0, 1));
        SweepCurve c = sweep.Curve("mlh", negate: true);
        Assert.Equal([1.5, 3.5], c.Mean);
        Assert.Equal(0.5 / Math.Sqrt(2), c.StandardError[0], 15); // population std 0.5 over 2 splits
    }

    [Fact]
    public void MissingPairNamesTheCounts()
    {
        var e = Assert.Throws<InvalidDataException>(() => PublishedSweep.Load(Write("delta,dataset,mlh\n1,0,1\n1,1,1\n2,0,1\n")));
        Assert.Contains("has 3 data rows, but 2 delta values × 2 dataset values need 4", e.Message);
    }

    [Fact]
    public void RepeatedPairNamesBothRows()
    {
        var e = Assert.Throws<InvalidDataException>(() => PublishedSweep.Load(Write("delta,dataset,mlh\n1,0,1\n1,0,2\n2,1,1\n2,1,1\n")));
        Assert.Contains("rows 1 and 2 are both for delta 1, dataset 0", e.Message);
    }

    [Fact]
    public void FractionalGroupIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => PublishedSweep.Load(Write("delta,dataset,mlh\n1,0.5,1\n")));
        Assert.Contains("dataset 0.5 is not a non-negative integer", e.Message);
    }

    [Fact]
    public void TooFewColumnsAndUnknownMetricsAreExplained()
    {
        Assert.Contains("needs the parameter, the data set or split, and at least one metric",
            Assert.Throws<InvalidDataException>(() => PublishedSweep.Load(Write("delta,dataset\n1,0\n"))).Message);
        PublishedSweep sweep = PublishedSweep.Load(Write("delta,dataset,mlh\n1,0,1\n"));
        Assert.Contains("its metrics are mlh",
            Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => sweep.Curve("mse")).Message);
    }

    [Fact]
    public void MissingFileInAFolderSaysWhatTheFolderHolds()
    {
        var e = Assert.Throws<FileNotFoundException>(() => PublishedSweep.Load(_temp.Path, "sigma_sweep_raw.csv", SharedDataFolders.MarglikWine));
        Assert.Contains("sigma_sweep_raw.csv is missing", e.Message);
        Assert.Contains("dnn2gp-marglik-wine/ holds delta_sweep_raw.csv, sigma_sweep_raw.csv, width_sweep_raw.csv", e.Message);
    }
}
