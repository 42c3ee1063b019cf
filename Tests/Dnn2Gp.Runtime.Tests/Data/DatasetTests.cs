using System;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class DatasetTests
{
    /// <summary>5 examples of 3 inputs (example i has inputs 10i, 10i+1, 10i+2) and labels i mod 3.</summary>
    private static Dataset Small() =>
        new("small", Enumerable.Range(0, 5).SelectMany(i => new float[] { 10 * i, 10 * i + 1, 10 * i + 2 }).ToArray(), 3,
            [0, 1, 2, 0, 1], 1, classes: 3);

    [Fact]
    public void ExposesShapeAndRows()
    {
        Dataset d = Small();
        Assert.Equal("small", d.Name);
        Assert.Equal(5, d.Count);
        Assert.Equal(3, d.InputSize);
        Assert.Equal(1, d.TargetSize);
        Assert.Equal(3, d.Classes);
        Assert.Equal([20f, 21f, 22f], d.Input(2).ToArray());
        Assert.Equal([2f], d.Target(2).ToArray());
        Assert.Equal(2, d.Label(2));
        Assert.Equal([2, 2, 1], d.ClassCounts());
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Input(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Input(-1));
    }

    [Fact]
    public void SubsetCopiesRowsInOrder()
    {
        Dataset d = Small();
        Dataset s = d.Subset([4, 0, 4]);
        Assert.Equal(3, s.Count);
        Assert.Equal(3, s.Classes);
        Assert.Equal([40f, 41f, 42f, 0f, 1f, 2f, 40f, 41f, 42f], s.Inputs.ToArray());
        Assert.Equal([1f, 0f, 1f], s.Targets.ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => d.Subset([1, 5]));
        Assert.Contains("index 1 of the subset is 5", e.Message);
    }

    [Fact]
    public void TakeKeepsTheFirstExamples()
    {
        Dataset d = Small();
        Dataset t = d.Take(2);
        Assert.Equal(2, t.Count);
        Assert.Equal([0f, 1f, 2f, 10f, 11f, 12f], t.Inputs.ToArray());
        Assert.Equal(5, d.Take(100).Count);
        Assert.Equal(0, d.Take(0).Count);
    }

    [Fact]
    public void RegressionDataSetHasNoLabels()
    {
        var d = new Dataset("reg", [1, 2, 3, 4], 2, [0.5f, -1, 2, 3], 2);
        Assert.Equal(2, d.Count);
        Assert.Equal(0, d.Classes);
        Assert.Equal([2f, 3f], d.Target(1).ToArray());
        Assert.Throws<InvalidOperationException>(() => d.Label(0));
    }

    [Fact]
    public void InconsistentLengthsAreRejectedWithClearMessages()
    {
        var e1 = Assert.Throws<ArgumentException>(() => new Dataset("x", new float[7], 3, new float[2], 1));
        Assert.Contains("7 input values are not a whole number of examples of 3 features", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new Dataset("x", new float[6], 3, new float[3], 1));
        Assert.Contains("2 examples with 1 target value(s) each need 2 targets, got 3", e2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset("x", new float[6], 0, new float[3], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset("x", new float[6], 3, new float[0], 0));
    }

    [Fact]
    public void BadClassLabelsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset("x", new float[6], 3, [1, 3], 1, classes: 3));
        Assert.Contains("the target of example 1 is 3", e.Message);
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[6], 3, [1, 0.5f], 1, classes: 3));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[6], 3, [1, float.NaN], 1, classes: 3));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[6], 3, [1, 0, 1, 0], 2, classes: 3));
    }
}
