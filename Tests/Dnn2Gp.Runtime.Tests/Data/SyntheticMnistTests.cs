using System;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class SyntheticMnistTests
{
    [Fact]
    public void IsShapedLikeMnist()
    {
        Dataset d = SyntheticMnist.Create(500, seed: 1);
        Assert.Equal(500, d.Count);
        Assert.Equal(784, d.InputSize);
        Assert.Equal(1, d.TargetSize);
        Assert.Equal(10, d.Classes);
        foreach (float x in d.Inputs)
            Assert.InRange(x, 0f, 1f);
        // Mostly background, some ink, like MNIST (about 19% of MNIST's pixels are non-zero).
        double inked = d.Inputs.ToArray().Count(x => x > 0.1f) / (double)d.Inputs.Length;
        Assert.InRange(inked, 0.05, 0.4);
    }

    [Fact]
    public void IsDeterministicPerSeed()
    {
        Dataset a = SyntheticMnist.Create(300, seed: 7);
        Dataset b = SyntheticMnist.Create(300, seed: 7);
        Dataset c = SyntheticMnist.Create(300, seed: 8);
        Assert.True(a.Inputs.SequenceEqual(b.Inputs));
        Assert.True(a.Targets.SequenceEqual(b.Targets));
        Assert.False(a.Inputs.SequenceEqual(c.Inputs));
        // A prefix does not depend on the count.
        Assert.True(SyntheticMnist.Create(100, seed: 7).Inputs.SequenceEqual(a.Inputs[..(100 * 784)]));
    }

    [Fact]
    public void ClassesAreBalanced()
    {
        int[] counts = SyntheticMnist.Create(5000, seed: 3).ClassCounts();
        Assert.All(counts, c => Assert.InRange(c, 400, 600));
    }

    [Fact]
    public void IsLearnableButNotTrivial()
    {
        // A nearest-class-mean classifier fitted on one seed does clearly better than chance on another seed
        // (the classes share their glyphs across seeds) but is far from perfect (examples vary).
        Dataset train = SyntheticMnist.Create(3000, seed: 11), test = SyntheticMnist.Create(1000, seed: 12);
        var means = new double[10, 784];
        int[] counts = train.ClassCounts();
        for (int n = 0; n < train.Count; n++)
        {
            ReadOnlySpan<float> x = train.Input(n);
            int y = train.Label(n);
            for (int j = 0; j < 784; j++)
                means[y, j] += x[j] / (double)counts[y];
        }
        int correct = 0;
        for (int n = 0; n < test.Count; n++)
        {
            ReadOnlySpan<float> x = test.Input(n);
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int k = 0; k < 10; k++)
            {
                double distance = 0;
                for (int j = 0; j < 784; j++)
                    distance += (x[j] - means[k, j]) * (x[j] - means[k, j]);
                if (distance < bestDistance)
                    (best, bestDistance) = (k, distance);
            }
            if (best == test.Label(n))
                correct++;
        }
        Assert.InRange(correct / (double)test.Count, 0.4, 0.9);
    }

    [Fact]
    public void ExamplesOfAClassDiffer()
    {
        Dataset d = SyntheticMnist.Create(200, seed: 5);
        int[] zeros = Enumerable.Range(0, d.Count).Where(i => d.Label(i) == 0).Take(2).ToArray();
        Assert.False(d.Input(zeros[0]).SequenceEqual(d.Input(zeros[1])));
    }
}
