using System;
using Xunit;
using RuntimeMetrics = Dnn2Gp.Runtime.Metrics.ClassificationMetrics;

namespace Dnn2Gp.Runtime.Tests.Metrics;

public sealed class AccuracyTests
{
    [Fact]
    public void ArgmaxWithTiesGoingToTheLowestIndex()
    {
        float[] outputs =
        [
            1, 2, 3, // → 2
            5, 1, 1, // → 0
            2, 2, 1, // tie 0/1 → 0
            0, 0, 0, // all tied → 0
            -3, -1, -2, // → 1
        ];
        float[] targets = [2, 0, 1, 0, 1];
        Assert.Equal(4, RuntimeMetrics.Accuracy(outputs, targets, 5, 3));
        Assert.Equal(4, RuntimeMetrics.Accuracy(Array.ConvertAll(outputs, x => (double)x), Array.ConvertAll(targets, x => (double)x), 5, 3));
    }

    [Fact]
    public void SingleLogitPredictsOneWhenPositive()
    {
        float[] outputs = [0.5f, -0.1f, 0f, 2f, -4f];
        float[] targets = [1, 0, 1, 0, 0];
        // 0.5 → 1 ✓, −0.1 → 0 ✓, 0 → 0 ✗, 2 → 1 ✗, −4 → 0 ✓
        Assert.Equal(3, RuntimeMetrics.Accuracy(outputs, targets, 5, 1));
        Assert.Equal(3, RuntimeMetrics.Accuracy([0.5, -0.1, 0, 2, -4], [1.0, 0, 1, 0, 0], 5, 1));
    }

    [Fact]
    public void NaNOutputsCountAsWrong()
    {
        Assert.Equal(0, RuntimeMetrics.Accuracy([float.NaN, 1, 2, 1, float.NaN, 0], [0, 0], 2, 3));
        Assert.Equal(0, RuntimeMetrics.Accuracy([double.NaN], [0.0], 1, 1));
    }

    [Fact]
    public void OnlyTheFirstBatchRowsCount()
    {
        // Buffers may be longer than the batch (a sampler's full buffer).
        Assert.Equal(1, RuntimeMetrics.Accuracy([0, 1, 1, 0, 1, 0], [1, 0, 1], 1, 2));
        Assert.Equal(0, RuntimeMetrics.Accuracy([0, 1], [1], 0, 2));
    }

    [Fact]
    public void BadTargetsAndShortSpansAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => RuntimeMetrics.Accuracy([1f, 2, 3], [3f], 1, 3));
        Assert.Contains("the target of example 0 is 3", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => RuntimeMetrics.Accuracy([1f, 2, 3], [0.5f], 1, 3));
        Assert.Throws<ArgumentException>(() => RuntimeMetrics.Accuracy([1f], [2f], 1, 1));
        Assert.Throws<ArgumentException>(() => RuntimeMetrics.Accuracy([1f, 2], [0f], 1, 3));
        Assert.Throws<ArgumentException>(() => RuntimeMetrics.Accuracy([1f, 2, 3, 4], [0f], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => RuntimeMetrics.Accuracy([1f], [0f], 1, 0));
    }
}
