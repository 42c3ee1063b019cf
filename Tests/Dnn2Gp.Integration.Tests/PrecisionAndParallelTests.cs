using System;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Runtime.Cpu;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>The float path against the double path, and the batch split across cores against one chunk at a time.</summary>
public class PrecisionAndParallelTests
{
    [Fact]
    public void Float_network_agrees_with_its_double_twin()
    {
        const int batch = 64;
        var (pd, xd, yd) = Numerics.NetworkChecks.RandomProblem<SmallClassifierDouble>(batch, seed: 3);
        float[] pf = Array.ConvertAll(pd, v => (float)v), xf = Array.ConvertAll(xd, v => (float)v), yf = Array.ConvertAll(yd, v => (float)v);

        var fd = new double[batch * 10];
        var ff = new float[batch * 10];
        SmallClassifierDouble.Forward(pd, xd, fd, batch);
        SmallClassifier.Forward(pf, xf, ff, batch);
        for (int i = 0; i < fd.Length; i++) Assert.True(Math.Abs(fd[i] - ff[i]) <= 1e-4 * Math.Max(1, Math.Abs(fd[i])), $"output {i}: double {fd[i]}, float {ff[i]}");

        var gd = new double[pd.Length];
        var gf = new float[pf.Length];
        double ld = SmallClassifierDouble.LossAndGradient(pd, xd, yd, batch, gd, 1.0);
        double lf = SmallClassifier.LossAndGradient(pf, xf, yf, batch, gf, 1f);
        Assert.True(Math.Abs(ld - lf) <= 1e-4 * Math.Abs(ld), $"loss: double {ld}, float {lf}");
        double scale = 0;
        foreach (double g in gd) scale = Math.Max(scale, Math.Abs(g));
        for (int i = 0; i < gd.Length; i++) Assert.True(Math.Abs(gd[i] - gf[i]) <= 1e-4 * scale, $"gradient {i}: double {gd[i]}, float {gf[i]}");
    }

    [Fact]
    public void Batch_split_across_cores_equals_chunk_by_chunk_sums()
    {
        const int batch = 1200, chunk = 100;
        Assert.True(BatchParallel.WorkerCount(batch, 150) >= Math.Min(2, Environment.ProcessorCount));
        var (p, x, y) = Numerics.NetworkChecks.RandomProblem<SmallClassifierDouble>(batch, seed: 9);
        var whole = new double[p.Length];
        double wholeLoss = SmallClassifierDouble.LossAndGradient(p, x, y, batch, whole, 1.0);

        var sum = new double[p.Length];
        var part = new double[p.Length];
        double sumLoss = 0;
        for (int start = 0; start < batch; start += chunk)
        {
            sumLoss += SmallClassifierDouble.LossAndGradient(p, x.AsSpan(start * 20, chunk * 20), y.AsSpan(start, chunk), chunk, part, 1.0);
            for (int i = 0; i < p.Length; i++) sum[i] += part[i];
        }
        Assert.Equal(sumLoss, wholeLoss, 9);
        for (int i = 0; i < p.Length; i++) Assert.Equal(sum[i], whole[i], 9);

        var outputs = new double[batch * 10];
        SmallClassifierDouble.Forward(p, x, outputs, batch);
        var one = new double[10];
        for (int n = 0; n < batch; n += 97)
        {
            SmallClassifierDouble.Forward(p, x.AsSpan(n * 20, 20), one, 1);
            for (int k = 0; k < 10; k++) Assert.Equal(one[k], outputs[n * 10 + k], 12);
        }
    }

    [Fact]
    public void Empty_batch_gives_zero_loss_and_zero_gradient()
    {
        var p = new double[SmallClassifierDouble.ParameterCount];
        var g = new double[p.Length];
        Array.Fill(g, double.NaN);
        Assert.Equal(0.0, SmallClassifierDouble.LossAndGradient(p, [], [], 0, g, 1.0));
        Assert.All(g, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Bad_shapes_and_labels_throw_clear_errors_before_any_work()
    {
        var p = new float[SmallClassifier.ParameterCount];
        var x = new float[2 * 20];
        var g = new float[p.Length];
        Array.Fill(g, 42f);
        var e1 = Assert.Throws<ArgumentException>(() => SmallClassifier.LossAndGradient(p, x.AsSpan(0, 30), new float[2], 2, g, 1f));
        Assert.Contains("'inputs' has 30 elements, but a batch of 2 examples of 20 inputs needs 40", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => SmallClassifier.LossAndGradient(p, x, new float[] { 3, 10 }, 2, g, 1f));
        Assert.Contains("label of example 1 is 10", e2.Message);
        Assert.All(g, v => Assert.Equal(42f, v));
        var e3 = Assert.Throws<ArgumentException>(() => SmallClassifier.Forward(new float[5], x, new float[20], 2));
        Assert.Contains("'parameters' has 5 elements, but the network has", e3.Message);
    }
}
