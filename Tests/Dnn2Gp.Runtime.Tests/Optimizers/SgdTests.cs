using System;
using System.Linq;
using Dnn2Gp.Runtime.Optimizers;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Optimizers;

public sealed class SgdTests
{
    private const int P = 37;

    /// <summary>
    /// torch.optim.SGD written out in double: g ← ∇ + λp; with momentum, b ← g on the first step and b ← μb + g
    /// afterwards, g ← b; p ← p − lr·g.
    /// </summary>
    private static double[] Reference(int steps, double lr, double mu, double wd)
    {
        double[] p = AdamTests.Start(), b = new double[P];
        for (int t = 1; t <= steps; t++)
        {
            double[] grad = AdamTests.Gradient(t, p);
            for (int i = 0; i < P; i++)
            {
                double g = grad[i] + wd * p[i];
                if (mu != 0)
                {
                    b[i] = t == 1 ? g : mu * b[i] + g;
                    g = b[i];
                }
                p[i] -= lr * g;
            }
        }
        return p;
    }

    private static double[] Run<T>(Sgd<T> sgd, int steps) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] p = AdamTests.Start().Select(T.CreateTruncating).ToArray();
        for (int t = 1; t <= steps; t++)
        {
            double[] g = AdamTests.Gradient(t, p.Select(double.CreateTruncating).ToArray());
            sgd.Step(p, g.Select(T.CreateTruncating).ToArray());
        }
        return p.Select(double.CreateTruncating).ToArray();
    }

    private static void Near(double[] expected, double[] actual, double tolerance)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"parameter {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Theory]
    [InlineData(0.1, 0.0, 0.0)]
    [InlineData(0.1, 0.9, 0.0)]
    [InlineData(0.05, 0.5, 0.2)]
    [InlineData(0.3, 0.0, 0.01)]
    public void MatchesTheReferenceForThreeSteps(double lr, double mu, double wd)
    {
        double[] expected = Reference(3, lr, mu, wd);
        var sgd = new Sgd<double>(P, lr, mu, wd);
        Near(expected, Run(sgd, 3), 1e-14);
        Assert.Equal(3, sgd.StepCount);
        Near(expected, Run(new Sgd<float>(P, lr, mu, wd), 3), 1e-6);
    }

    [Fact]
    public void MomentumBufferStartsAsTheGradient()
    {
        var sgd = new Sgd<double>(2, learningRate: 1, momentum: 0.9);
        double[] p = [0, 0];
        sgd.Step(p, [1, -2]);
        Assert.Equal([-1.0, 2.0], p);
        Assert.Equal([1.0, -2.0], sgd.MomentumBuffer.ToArray());
        sgd.Step(p, [1, -2]);
        Assert.Equal([1.9, -3.8], sgd.MomentumBuffer.ToArray());
        Assert.Equal(-2.9, p[0], 1e-12);
    }

    [Fact]
    public void ResetClearsTheMomentumBuffer()
    {
        var sgd = new Sgd<double>(P, 0.05, momentum: 0.9);
        double[] first = Run(sgd, 3);
        sgd.Reset();
        Assert.Equal(0, sgd.StepCount);
        Assert.All(sgd.MomentumBuffer.ToArray(), x => Assert.Equal(0.0, x));
        Assert.Equal(first, Run(sgd, 3));
    }

    [Fact]
    public void ConvergesOnAQuadratic()
    {
        const int n = 50;
        double[] a = Enumerable.Range(0, n).Select(i => Math.Pow(10, i / (n - 1.0))).ToArray();
        double[] c = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
        double[] x = new double[n], g = new double[n];
        var sgd = new Sgd<double>(n, learningRate: 0.05, momentum: 0.9);
        for (int step = 0; step < 1000; step++)
        {
            for (int i = 0; i < n; i++)
                g[i] = a[i] * (x[i] - c[i]);
            sgd.Step(x, g);
        }
        for (int i = 0; i < n; i++)
            Assert.Equal(c[i], x[i], 1e-8);
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var sgd = new Sgd<double>(1000, 0.1, 0.9, 0.01);
        double[] p = new double[1000], g = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        sgd.Step(p, g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            sgd.Step(p, g);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RejectsBadHyperparametersAndLengths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(3, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(3, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(3, 0.1, momentum: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(3, 0.1, weightDecay: double.NaN));
        var sgd = new Sgd<float>(3, 0.1);
        Assert.Throws<ArgumentException>(() => sgd.Step(new float[3], new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
    }
}
