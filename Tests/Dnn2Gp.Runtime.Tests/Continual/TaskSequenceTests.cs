using System;
using System.Linq;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Tests.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Continual;

public sealed class SplitMnistTests
{
    private static readonly Dataset Train = SyntheticMnist.Create(600, seed: 1);
    private static readonly Dataset Test = SyntheticMnist.Create(300, seed: 2);

    [Fact]
    public void FiveBinaryTasksWithTheirOwnHeads()
    {
        TaskSequence tasks = SplitMnist.Create(Train, Test);
        Assert.Equal(5, tasks.Count);
        Assert.Equal(10, tasks.OutputSize);
        Assert.True(tasks.IsMultiHead);
        for (int t = 0; t < 5; t++)
        {
            ContinualTask task = tasks[t];
            Assert.Equal(t, task.Index);
            Assert.Equal(t + 1, task.Number);
            Assert.Equal(2 * (t + 1) - 2, task.HeadStart); // units 2t−2, 2t−1 for 1-based t
            Assert.Equal(2, task.Classes);
            Assert.Equal((2 * t)..(2 * t + 2), task.Head);
            Assert.Equal(2, task.Train.Classes);
            Assert.Equal(784, task.Train.InputSize);
        }
    }

    [Fact]
    public void EachTaskHoldsExactlyItsTwoClassesInOrderWithRelativeLabels()
    {
        TaskSequence tasks = SplitMnist.Create(Train, Test);
        foreach (var (source, pick) in new[] { (Train, (Func<ContinualTask, Dataset>)(t => t.Train)), (Test, t => t.Test) })
        {
            int total = 0;
            for (int t = 0; t < 5; t++)
            {
                Dataset data = pick(tasks[t]);
                int[] expected = Enumerable.Range(0, source.Count).Where(i => source.Label(i) / 2 == t).ToArray();
                Assert.Equal(expected.Length, data.Count);
                for (int k = 0; k < expected.Length; k++)
                {
                    Assert.Equal(source.Label(expected[k]) - 2 * t, data.Label(k));
                    Assert.True(source.Input(expected[k]).SequenceEqual(data.Input(k)));
                }
                total += data.Count;
            }
            Assert.Equal(source.Count, total);
        }
    }

    [Fact]
    public void NonTenClassDataIsRejected()
    {
        Dataset two = FrompToy.Generate(1, 10)[0];
        var e = Assert.Throws<ArgumentException>(() => SplitMnist.Create(two, two));
        Assert.Contains("needs a 10-class data set", e.Message);
    }
}

public sealed class PermutedMnistTests
{
    private static readonly Dataset Train = SyntheticMnist.Create(200, seed: 3);
    private static readonly Dataset Test = SyntheticMnist.Create(100, seed: 4);

    [Fact]
    public void TaskOneIsIdentityOthersAreFixedDistinctPermutations()
    {
        Assert.Equal(Enumerable.Range(0, 784), PermutedMnist.Permutation(1));
        int[] p2 = PermutedMnist.Permutation(2), p3 = PermutedMnist.Permutation(3);
        Assert.Equal(Enumerable.Range(0, 784), p2.Order());
        Assert.Equal(Enumerable.Range(0, 784), p3.Order());
        Assert.NotEqual(p2, p3);
        Assert.Equal(p2, PermutedMnist.Permutation(2));
        Assert.True(p2.Where((p, k) => p != k).Count() > 700);
    }

    [Fact]
    public void PermutationIsFisherYatesWithRandomSeededByTaskMinusOne()
    {
        var random = new Random(4);
        int[] expected = Enumerable.Range(0, 10).ToArray();
        for (int k = 9; k > 0; k--)
        {
            int j = random.Next(k + 1);
            (expected[k], expected[j]) = (expected[j], expected[k]);
        }
        Assert.Equal(expected, PermutedMnist.Permutation(5, pixels: 10));
    }

    [Fact]
    public void TasksPermuteEveryImageAndKeepLabels()
    {
        TaskSequence tasks = PermutedMnist.Create(Train, Test);
        Assert.Equal(10, tasks.Count);
        Assert.False(tasks.IsMultiHead);
        Assert.Same(Train, tasks[0].Train);
        Assert.Same(Test, tasks[0].Test);
        int[] p = PermutedMnist.Permutation(7);
        Dataset train7 = tasks[6].Train, test7 = tasks[6].Test;
        Assert.Same(train7, tasks[6].Train); // made once
        Assert.Equal(Train.Targets.ToArray(), train7.Targets.ToArray());
        Assert.Equal(Test.Targets.ToArray(), test7.Targets.ToArray());
        for (int n = 0; n < Train.Count; n += 37)
        {
            for (int k = 0; k < 784; k++)
                Assert.Equal(Train.Input(n)[p[k]], train7.Input(n)[k]);
        }
        Assert.Equal(Test.Input(5)[p[100]], test7.Input(5)[100]);
        Assert.All(tasks, t => Assert.Equal(0..10, t.Head));
    }

    [Fact]
    public void ApplyRejectsANonPermutation()
    {
        var e = Assert.Throws<ArgumentException>(() => PermutedMnist.Apply(Train, Enumerable.Repeat(0, 784).ToArray()));
        Assert.Contains("not a permutation", e.Message);
        Assert.Throws<ArgumentException>(() => PermutedMnist.Apply(Train, new int[3]));
    }
}

/// <summary>The task sequences on the real MNIST files (FROMP's sizes: all 60 000 training and 10 000 test images).</summary>
public sealed class RealContinualMnistTests(RealMnistFixture mnist) : IClassFixture<RealMnistFixture>
{
    [Fact]
    public void SplitMnistTaskSizesFollowTheLabelCounts()
    {
        TaskSequence tasks = SplitMnist.Create(mnist.Train, mnist.Test);
        Assert.Equal([12665, 12089, 11263, 12183, 11800], tasks.Select(t => t.Train.Count));
        Assert.Equal([2115, 2042, 1874, 1986, 1983], tasks.Select(t => t.Test.Count));
        Assert.Equal([5923, 6742], tasks[0].Train.ClassCounts());
        // MNIST's first labels are 5 0 4 1 9: task 1 starts with training images 1 (a 0) and 3 (a 1).
        Assert.True(mnist.Train.Input(1).SequenceEqual(tasks[0].Train.Input(0)));
        Assert.Equal(0, tasks[0].Train.Label(0));
        Assert.True(mnist.Train.Input(3).SequenceEqual(tasks[0].Train.Input(1)));
        Assert.Equal(1, tasks[0].Train.Label(1));
        Assert.InRange(tasks[4].Test.Inputs.ToArray().Max(), 0.999f, 1f);
    }

    [Fact]
    public void PermutedMnistTestSetsArePermutedCopies()
    {
        TaskSequence tasks = PermutedMnist.Create(mnist.Train, mnist.Test);
        Dataset test3 = tasks[2].Test;
        int[] p = PermutedMnist.Permutation(3);
        Assert.Equal(10000, test3.Count);
        for (int k = 0; k < 784; k++)
            Assert.Equal(mnist.Test.Input(9999)[p[k]], test3.Input(9999)[k]);
        Assert.Equal(mnist.Test.ClassCounts(), test3.ClassCounts());
    }
}

public sealed class ContinualTaskTests
{
    private static ContinualTask Task(int headStart, int classes)
    {
        Dataset data = new("d", new float[classes * 2], 2, Enumerable.Range(0, classes).Select(c => (float)c).ToArray(), 1, classes);
        return new ContinualTask(0, "t", data, data, headStart, classes);
    }

    [Fact]
    public void CountsArgMaxOverTheHeadOnly()
    {
        ContinualTask task = Task(headStart: 2, classes: 2);
        float[] outputs =
        [
            9, 9, 1, 2, 9, 9,       // head (1, 2) → class 1
            9, 9, 5, 2, 9, 9,       // → class 0
            0, 0, 3, 3, 0, 0,       // tie → lowest, class 0
            0, 0, float.NaN, 1, 0, 0, // NaN → wrong
        ];
        Assert.Equal(3, task.CountCorrect(outputs, 6, [1, 0, 0, 1], 4));
        Assert.Equal(1, task.CountCorrect(outputs, 6, [0, 0, 1, 1], 4));
        Assert.Equal(0, task.CountCorrect(outputs, 6, [1], 0));
    }

    [Fact]
    public void BadArgumentsAreExplained()
    {
        ContinualTask task = Task(headStart: 8, classes: 2);
        Assert.Contains("uses output units 8..9, but the network has 9 outputs",
            Assert.Throws<ArgumentException>(() => task.CountCorrect(new float[9], 9, [0], 1)).Message);
        Assert.Contains("not a class in [0, 2)",
            Assert.Throws<ArgumentException>(() => task.CountCorrect(new float[10], 10, [2], 1)).Message);
        Assert.Throws<ArgumentException>(() => task.CountCorrect(new float[10], 10, [0, 1], 2));
    }

    [Fact]
    public void DataWithOtherClassCountsIsRejected()
    {
        Dataset ten = SyntheticMnist.Create(20, 1);
        var e = Assert.Throws<ArgumentException>(() => new ContinualTask(0, "t", ten, ten, 0, 2));
        Assert.Contains("has 2 classes, but its training set", e.Message);
        var lazy = new ContinualTask(0, "lazy", () => ten, () => ten, 0, 2);
        Assert.Contains("has 2 classes", Assert.Throws<InvalidOperationException>(() => lazy.Train).Message);
    }

    [Fact]
    public void SequenceChecksIndicesAndHeads()
    {
        ContinualTask a = Task(0, 2);
        Assert.Contains("position 1 holds the task with index 0",
            Assert.Throws<ArgumentException>(() => new TaskSequence("s", 2, [a, a])).Message);
        Assert.Contains("but the network has 1 outputs",
            Assert.Throws<ArgumentException>(() => new TaskSequence("s", 1, [a])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskSequence("s", 2, [a])[1]);
    }

    [Fact]
    public void FrompToyTasksShareOneTwoUnitHead()
    {
        TaskSequence tasks = FrompToyTasks.Create(seed: 123, pointsPerBlob: 100);
        Assert.Equal(5, tasks.Count);
        Assert.Equal(2, tasks.OutputSize);
        Assert.False(tasks.IsMultiHead);
        Assert.All(tasks, t => Assert.Same(t.Train, t.Test));
        Assert.Equal(200, tasks[4].Train.Count);
    }
}
