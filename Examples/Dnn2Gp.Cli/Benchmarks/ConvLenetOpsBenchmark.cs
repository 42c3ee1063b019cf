using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Ops;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// conv-lenet-ops: the convolution and pooling ops of one LeNet-5 training epoch, each timed on one core, in chunks of 64
/// images (what each worker of <c>train-lenet</c> runs), scaled to 60,000 images. It says where an epoch's time goes: one
/// '#' line per op with its seconds per 60,000 images and, for the convolutions, its useful GFLOP/s.
/// </summary>
internal sealed class ConvLenetOpsBenchmark : IBenchmark
{
    private const int Chunk = 64;
    private const int Images = 12_000;
    private const double Scale = 60_000.0 / Images;

    private static readonly Conv2DGeometry Conv1 = new(1, 28, 28, 6, 24, 24, 5, 5, 1, 1, 0, 0, 1, 1);
    private static readonly Conv2DGeometry Pool1 = new(6, 24, 24, 6, 12, 12, 2, 2, 2, 2, 0, 0, 1, 1);
    private static readonly Conv2DGeometry Conv2 = new(6, 12, 12, 16, 8, 8, 5, 5, 1, 1, 0, 0, 1, 1);
    private static readonly Conv2DGeometry Pool2 = new(16, 8, 8, 16, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1);

    public string Name => "conv-lenet-ops";

    public string Description => "LeNet-5's conv, ReLU and pooling ops of one training epoch, each on one core in chunks of 64, scaled to 60,000 images (seconds summed)";

    public double[] Run(int repeats)
    {
        int s0 = Conv2D.InputSize(Conv1), s1 = Conv2D.OutputSize(Conv1), s2 = Conv2D.InputSize(Conv2), s3 = Conv2D.OutputSize(Conv2), s4 = 16 * 4 * 4;
        float[] x = Filled(Chunk * s0, 1), z1 = new float[Chunk * s1], a1 = new float[Chunk * s1], h1 = new float[Chunk * s2];
        float[] z2 = new float[Chunk * s3], a2 = new float[Chunk * s3], h2 = new float[Chunk * s4];
        float[] w1 = Filled(Conv2D.WeightSize(Conv1) + 6, 2), w2 = Filled(Conv2D.WeightSize(Conv2) + 16, 3);
        float[] dh2 = Filled(Chunk * s4, 4), da2 = new float[Chunk * s3], dh1 = new float[Chunk * s2], da1 = new float[Chunk * s1];
        float[] dw1 = new float[w1.Length], dw2 = new float[w2.Length];
        int weights1 = Conv2D.WeightSize(Conv1), weights2 = Conv2D.WeightSize(Conv2);
        var ops = new (string Name, double Flops, Action Body)[]
        {
            ("conv1 forward", Flops(Conv1), () => Conv2D.Forward(Conv1, x, w1.AsSpan(0, weights1), w1.AsSpan(weights1), z1, Chunk)),
            ("conv1 relu", 0, () => UnaryDriver.Apply<Relu>(z1, a1)),
            ("pool1 forward", 0, () => Pooling.MaxForward(Pool1, a1, h1, Chunk)),
            ("conv2 forward", Flops(Conv2), () => Conv2D.Forward(Conv2, h1, w2.AsSpan(0, weights2), w2.AsSpan(weights2), z2, Chunk)),
            ("conv2 relu", 0, () => UnaryDriver.Apply<Relu>(z2, a2)),
            ("pool2 forward", 0, () => Pooling.MaxForward(Pool2, a2, h2, Chunk)),
            ("pool2 backward", 0, () => Pooling.MaxBackward(Pool2, a2, dh2, da2, Chunk, 1)),
            ("conv2 relu backward", 0, () => BackwardDriver.Apply<Relu>(z2, a2, da2, da2)),
            ("conv2 weight gradient", Flops(Conv2), () => Conv2D.BackwardWeight(Conv2, h1, da2, dw2.AsSpan(0, weights2), dw2.AsSpan(weights2), Chunk)),
            ("conv2 input gradient", Flops(Conv2), () => Conv2D.BackwardInput(Conv2, da2, w2.AsSpan(0, weights2), dh1, Chunk)),
            ("pool1 backward", 0, () => Pooling.MaxBackward(Pool1, a1, dh1, da1, Chunk, 1)),
            ("conv1 relu backward", 0, () => BackwardDriver.Apply<Relu>(z1, a1, da1, da1)),
            ("conv1 weight gradient", Flops(Conv1), () => Conv2D.BackwardWeight(Conv1, x, da1, dw1.AsSpan(0, weights1), dw1.AsSpan(weights1), Chunk)),
        };
        var seconds = new List<double>[ops.Length];
        for (int i = 0; i < ops.Length; i++) seconds[i] = [];
        var times = BenchmarkTiming.Repeat(repeats, () =>
        {
            for (int i = 0; i < ops.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                for (int done = 0; done < Images; done += Chunk) ops[i].Body();
                seconds[i].Add(clock.Elapsed.TotalSeconds * Scale);
            }
        });
        // The warm-up runs are the first entries of each list; the timed runs are the last times.Length.
        double total = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            var timed = seconds[i].GetRange(seconds[i].Count - times.Length, times.Length).ToArray();
            double median = BenchmarkTiming.Median(timed);
            total += median;
            string rate = ops[i].Flops > 0 ? string.Create(CultureInfo.InvariantCulture, $", {ops[i].Flops * 60_000 / median / 1e9:F1} GFLOP/s") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {ops[i].Name,-22} {median:F3} s per 60,000 images{rate}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# sum of the op medians {total:F3} core-seconds per 60,000 images"));
        for (int r = 0; r < times.Length; r++) times[r] *= Scale;
        return times;
    }

    /// <summary>Useful floating-point operations of one image's convolution (or of each of its two gradients): 2 · Cout · positions · patch.</summary>
    private static double Flops(in Conv2DGeometry g) => 2.0 * g.OutChannels * g.Positions * g.PatchSize;

    private static float[] Filled(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
