using System;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class FrompToyTests
{
    [Fact]
    public void FiveTasksOfTwoBlobsWithTheListedCentresAndStds()
    {
        Dataset[] tasks = FrompToy.Generate(seed: 123);
        Assert.Equal(FrompToy.TaskCount, tasks.Length);
        for (int t = 0; t < tasks.Length; t++)
        {
            Dataset task = tasks[t];
            Assert.Equal(4000, task.Count);
            Assert.Equal(2, task.InputSize);
            Assert.Equal(2, task.Classes);
            Assert.Equal([2000, 2000], task.ClassCounts());
            foreach (int label in new[] { 0, 1 })
            {
                Blob blob = (label == 0 ? FrompToy.Class0Blobs : FrompToy.Class1Blobs)[t];
                var points = Enumerable.Range(0, task.Count).Where(i => task.Label(i) == label).Select(i => task.Input(i).ToArray()).ToArray();
                double mx = points.Average(p => p[0]), my = points.Average(p => p[1]);
                double sx = Math.Sqrt(points.Average(p => (p[0] - mx) * (p[0] - mx)));
                double sy = Math.Sqrt(points.Average(p => (p[1] - my) * (p[1] - my)));
                // 2000 draws: the mean is within 4 standard errors, the std within 8 %.
                Assert.InRange(mx, blob.X - 4 * blob.StdX / Math.Sqrt(2000), blob.X + 4 * blob.StdX / Math.Sqrt(2000));
                Assert.InRange(my, blob.Y - 4 * blob.StdY / Math.Sqrt(2000), blob.Y + 4 * blob.StdY / Math.Sqrt(2000));
                Assert.InRange(sx, 0.92 * blob.StdX, 1.08 * blob.StdX);
                Assert.InRange(sy, 0.92 * blob.StdY, 1.08 * blob.StdY);
            }
            // Shuffled: both classes appear among the first 100 points.
            Assert.Contains(0f, task.Targets[..100].ToArray());
            Assert.Contains(1f, task.Targets[..100].ToArray());
        }
    }

    [Fact]
    public void CentresAreThoseOfTheSpecification()
    {
        Assert.Equal(new Blob(0.6, 0.9, 0.24, 0.08), FrompToy.Class0Blobs[1]);
        Assert.Equal(new Blob(2.3, 0.1, 0.05, 0.22), FrompToy.Class1Blobs[4]);
        Assert.Equal(new Blob(1.7, -0.4, 0.24, 0.05), FrompToy.Class1Blobs[3]);
    }

    [Fact]
    public void SeedDeterminesTheData()
    {
        Dataset a = FrompToy.Generate(5, 50)[2], b = FrompToy.Generate(5, 50)[2], c = FrompToy.Generate(6, 50)[2];
        Assert.Equal(a.Inputs.ToArray(), b.Inputs.ToArray());
        Assert.Equal(a.Targets.ToArray(), b.Targets.ToArray());
        Assert.NotEqual(a.Inputs.ToArray(), c.Inputs.ToArray());
        Assert.Equal(100, a.Count);
    }
}

public sealed class GridsTests
{
    [Fact]
    public void LinspaceIncludesBothEnds()
    {
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Grids.Linspace(0, 1, 5));
        Assert.Equal([3.0], Grids.Linspace(3, 7, 1));
        Assert.Empty(Grids.Linspace(3, 7, 0));
        Assert.Equal(7.0, Grids.Linspace(-3, 7, 301)[^1]);
    }

    [Fact]
    public void LogspaceIsTheDnn2GpDeltaGrid()
    {
        double[] delta = Grids.Logspace(-2, 2, 21);
        Assert.Equal(21, delta.Length);
        Assert.Equal(0.01, delta[0], 15);
        Assert.Equal(100.0, delta[^1], 12);
        Assert.Equal(0.6309573444801934, delta[9], 14);
        Assert.Equal(1.0, delta[10], 15);
    }

    [Fact]
    public void NearestFindsTheClosestGridPointAndTheFirstOfATie()
    {
        double[] grid = Grids.Linspace(-4, 4, 9);
        Assert.Equal(4, Grids.Nearest(grid, 0.2));
        Assert.Equal(0, Grids.Nearest(grid, -100));
        Assert.Equal(8, Grids.Nearest(grid, 3.6));
        Assert.Equal(4, Grids.Nearest(grid, 0.5));      // 0 and 1 are equally near: the first
        Assert.Throws<ArgumentException>(() => Grids.Nearest([], 1));
    }

    [Fact]
    public void BadGridArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Grids.Linspace(double.NaN, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Grids.Linspace(0, 1, -1));
    }

    [Fact]
    public void Grid2DOrdersPointsRowByRowWithXFastest()
    {
        var grid = new Grid2D(0, 2, 10, 11, width: 3, height: 2);
        Assert.Equal(6, grid.Count);
        Assert.Equal([0f, 10, 1, 10, 2, 10, 0, 11, 1, 11, 2, 11], grid.Points());
        Assert.Throws<ArgumentException>(() => grid.CopyPoints(new float[11]));
    }

    [Fact]
    public void Grid2DAroundCoversThePointsWithAMargin()
    {
        float[] points = [0f, 0f, 1f, 0.5f, 0.3f, -0.2f];
        Grid2D grid = Grid2D.Around(points, margin: 0.2, step: 0.01);
        Assert.Equal(-0.2, grid.Xs[0], 6);
        Assert.Equal(1.2, grid.Xs[^1], 6);
        Assert.Equal(-0.4, grid.Ys[0], 6);
        Assert.Equal(0.7, grid.Ys[^1], 6);
        Assert.Equal(141, grid.Width);
        Assert.Equal(111, grid.Height);
        Assert.Equal(0.01, grid.Xs[1] - grid.Xs[0], 9);
    }

    [Fact]
    public void Grid2DRejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => Grid2D.Around([1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => Grid2D.Around([1f, float.NaN]));
        Assert.Throws<ArgumentException>(() => new Grid2D(1, 0, 0, 1, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Grid2D(0, 1, 0, 1, 1, 3));
    }
}

public sealed class RegressionSetTests
{
    [Fact]
    public void SubsetAndDatasetConversionKeepTheValues()
    {
        var set = new RegressionSet("r", [1, 2, 3, 4, 5, 6], 2, [7, 8, 9]);
        RegressionSet sub = set.Subset([2, 0]);
        Assert.Equal([5.0, 6, 1, 2], sub.Inputs.ToArray());
        Assert.Equal([9.0, 7], sub.Targets.ToArray());
        Dataset data = set.ToDataset();
        Assert.Equal(3, data.Count);
        Assert.Equal(0, data.Classes);
        Assert.Equal([3f, 4f], data.Input(1).ToArray());
        Assert.Equal([2.0, 4, 6], set.InputColumn(1));
    }

    [Fact]
    public void MismatchedSizesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new RegressionSet("r", [1, 2, 3, 4], 2, [1, 2, 3]));
        Assert.Contains("2 examples but 3 targets", e.Message);
        Assert.Throws<ArgumentException>(() => new RegressionSet("r", [1, 2, 3], 2, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegressionSet("r", [1, 2], 2, [1]).Subset([1]));
    }
}
