using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class MinibatchSamplerTests
{
    /// <summary>Example i has inputs (i, −i) and target i mod 4, so a batch row tells which example it holds.</summary>
    private static Dataset Numbered(int count) =>
        new("numbered", Enumerable.Range(0, count).SelectMany(i => new float[] { i, -i }).ToArray(), 2,
            Enumerable.Range(0, count).Select(i => (float)(i % 4)).ToArray(), 1, classes: 4);

    /// <summary>Runs one epoch and returns the examples of each batch, checked against the gathered rows.</summary>
    private static List<int[]> Epoch<T>(MinibatchSampler<T> sampler)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var batches = new List<int[]>();
        while (sampler.NextBatch())
        {
            int[] indices = sampler.Indices.ToArray();
            Assert.Equal(sampler.CurrentBatchSize, indices.Length);
            Assert.Equal(sampler.CurrentBatchSize * 2, sampler.Inputs.Length);
            Assert.Equal(sampler.CurrentBatchSize, sampler.Targets.Length);
            for (int k = 0; k < indices.Length; k++)
            {
                Assert.Equal(double.CreateTruncating(sampler.Inputs[2 * k]), indices[k]);
                Assert.Equal(double.CreateTruncating(sampler.Inputs[2 * k + 1]), -indices[k]);
                Assert.Equal(double.CreateTruncating(sampler.Targets[k]), indices[k] % 4);
            }
            batches.Add(indices);
        }
        return batches;
    }

    [Fact]
    public void EveryExampleOncePerEpochWithAPartialLastBatch()
    {
        var sampler = new MinibatchSampler<float>(Numbered(103), batchSize: 10, seed: 1);
        Assert.Equal(11, sampler.BatchesPerEpoch);
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            List<int[]> batches = Epoch(sampler);
            Assert.Equal(epoch, sampler.Epoch);
            Assert.Equal(11, batches.Count);
            Assert.All(batches.Take(10), b => Assert.Equal(10, b.Length));
            Assert.Equal(3, batches[^1].Length);
            Assert.Equal(Enumerable.Range(0, 103), batches.SelectMany(b => b).Order());
        }
    }

    [Fact]
    public void DropLastLeavesOutThePartialBatch()
    {
        var sampler = new MinibatchSampler<float>(Numbered(103), batchSize: 10, seed: 1, dropLast: true);
        Assert.Equal(10, sampler.BatchesPerEpoch);
        List<int[]> batches = Epoch(sampler);
        Assert.Equal(10, batches.Count);
        Assert.All(batches, b => Assert.Equal(10, b.Length));
        Assert.Equal(100, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void IsDeterministicPerSeedAndReshufflesEachEpoch()
    {
        var a = new MinibatchSampler<float>(Numbered(50), 8, seed: 42);
        var b = new MinibatchSampler<float>(Numbered(50), 8, seed: 42);
        var c = new MinibatchSampler<float>(Numbered(50), 8, seed: 43);
        int[] a1 = Epoch(a).SelectMany(x => x).ToArray(), a2 = Epoch(a).SelectMany(x => x).ToArray();
        int[] b1 = Epoch(b).SelectMany(x => x).ToArray(), b2 = Epoch(b).SelectMany(x => x).ToArray();
        int[] c1 = Epoch(c).SelectMany(x => x).ToArray();
        Assert.Equal(a1, b1);
        Assert.Equal(a2, b2);
        Assert.NotEqual(a1, a2);
        Assert.NotEqual(a1, c1);
        Assert.NotEqual(Enumerable.Range(0, 50), a1);
    }

    [Fact]
    public void WithoutShufflingKeepsDataSetOrder()
    {
        var sampler = new MinibatchSampler<double>(Numbered(7), 3, seed: 0, shuffle: false);
        List<int[]> batches = Epoch(sampler);
        Assert.Equal([[0, 1, 2], [3, 4, 5], [6]], batches);
    }

    [Fact]
    public void GathersIntoDoubleBuffers()
    {
        var data = new Dataset("d", [0.1f, 0.2f, 0.3f, 0.4f], 2, [1.5f, -2f], 1);
        var sampler = new MinibatchSampler<double>(data, 2, seed: 0, shuffle: false);
        Assert.True(sampler.NextBatch());
        Assert.Equal([(double)0.1f, 0.2f, 0.3f, 0.4f], sampler.Inputs.ToArray());
        Assert.Equal([1.5, -2.0], sampler.Targets.ToArray());
        Assert.Same(sampler.InputBuffer, sampler.InputBuffer);
        Assert.Equal(4, sampler.InputBuffer.Length);
        Assert.False(sampler.NextBatch());
        Assert.Equal(0, sampler.CurrentBatchSize);
    }

    [Fact]
    public void BatchSizeIsClampedToTheDataSet()
    {
        var sampler = new MinibatchSampler<float>(Numbered(5), 64, seed: 0, dropLast: true);
        Assert.Equal(5, sampler.BatchSize);
        Assert.Single(Epoch(sampler));
    }

    [Fact]
    public void GatheringAllocatesNothing()
    {
        var sampler = new MinibatchSampler<float>(Numbered(1000), 32, seed: 3);
        while (sampler.NextBatch()) { } // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        int batches = 0;
        while (sampler.NextBatch())
            batches++;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(32, batches);
    }

    [Theory]
    [InlineData(97)] // odd: the chunks differ by a row
    [InlineData(128)]
    public void ParallelGatherEqualsTheSerialOneAndAllocatesNothing(int batchSize)
    {
        // Wide examples, so that a batch passes the parallel threshold; example i holds i + j/1000 in feature j.
        const int width = 401, count = 1000;
        Assert.True(batchSize * width >= MinibatchSampler<float>.ParallelGatherThreshold);
        float[] inputs = new float[count * width];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < width; j++)
                inputs[i * width + j] = i + j / 1000f;
        var data = new Dataset("wide", inputs, width, Enumerable.Range(0, count).Select(i => (float)(i % 3)).ToArray(), 1, classes: 3);
        var parallel = new MinibatchSampler<float>(data, batchSize, seed: 4);
        var serial = new MinibatchSampler<float>(data, batchSize, seed: 4) { AllowParallelGather = false };
        var doubles = new MinibatchSampler<double>(data, batchSize, seed: 4);
        for (int batch = 0; batch < 3 * parallel.BatchesPerEpoch; batch++) // three epochs, in step
        {
            Assert.True(parallel.NextBatch());
            Assert.True(serial.NextBatch());
            Assert.True(doubles.NextBatch());
            Assert.Equal(serial.Indices.ToArray(), parallel.Indices.ToArray());
            Assert.True(serial.Inputs.SequenceEqual(parallel.Inputs));
            Assert.True(serial.Targets.SequenceEqual(parallel.Targets));
            Assert.Equal(Array.ConvertAll(serial.Inputs.ToArray(), v => (double)v), doubles.Inputs.ToArray());
            int first = parallel.Indices[0], last = parallel.Indices[^1];
            Assert.Equal(first + 0.4f, parallel.Inputs[400]);
            Assert.Equal(last, parallel.Inputs[(parallel.CurrentBatchSize - 1) * width]);
            if ((batch + 1) % parallel.BatchesPerEpoch == 0)
            {
                Assert.False(parallel.NextBatch());
                Assert.False(serial.NextBatch());
                Assert.False(doubles.NextBatch());
            }
        }

        // Up to five epochs, one of which must allocate nothing: the runtime may allocate on this thread once for its
        // own bookkeeping (starting its tiered-compilation worker, say) while other tests run.
        long least = long.MaxValue;
        for (int round = 0; round < 5 && least != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (parallel.NextBatch()) { }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinibatchSampler<float>(Numbered(5), 0, 1));
        var e = Assert.Throws<ArgumentException>(() => new MinibatchSampler<float>(Numbered(0), 4, 1));
        Assert.Contains("empty", e.Message);
    }
}
