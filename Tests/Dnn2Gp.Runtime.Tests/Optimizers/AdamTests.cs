using System;
using System.Linq;
using Dnn2Gp.Runtime.Optimizers;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Optimizers;

public sealed class AdamTests
{
    private const int P = 37; // not a multiple of any vector width: exercises the vector loop and the scalar tail

    internal static double[] Start() => Enumerable.Range(0, P).Select(i => Math.Sin(i + 1.0) * (1 + i % 5)).ToArray();

    /// <summary>A made-up gradient for step t (1-based), with magnitudes spread over several orders.</summary>
    internal static double[] Gradient(int t, double[] p) =>
        Enumerable.Range(0, P).Select(i => Math.Cos(0.7 * i + t) * Math.Pow(10, i % 4 - 2) + 0.1 * p[i]).ToArray();

    /// <summary>
    /// torch.optim.Adam written out in double: g ← ∇ + λp; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
    /// m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ); p ← p − lr·m̂/(√v̂ + ε).
    /// </summary>
    private static double[] Reference(int steps, double lr, double b1, double b2, double eps, double wd)
    {
        double[] p = Start(), m = new double[P], v = new double[P];
        for (int t = 1; t <= steps; t++)
        {
            double[] grad = Gradient(t, p);
            for (int i = 0; i < P; i++)
            {
                double g = grad[i] + wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return p;
    }

    private static double[] RunDouble(Adam<double> adam, int steps)
    {
        double[] p = Start();
        for (int t = 1; t <= steps; t++)
            adam.Step(p, Gradient(t, p));
        return p;
    }

    private static double[] RunFloat(Adam<float> adam, int steps)
    {
        float[] p = Array.ConvertAll(Start(), x => (float)x);
        for (int t = 1; t <= steps; t++)
        {
            double[] g = Gradient(t, Array.ConvertAll(p, x => (double)x));
            adam.Step(p, Array.ConvertAll(g, x => (float)x));
        }
        return Array.ConvertAll(p, x => (double)x);
    }

    private static void Near(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"parameter {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Theory]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, 0.0)]
    [InlineData(0.05, 0.9, 0.999, 1e-8, 0.1)] // weight decay
    [InlineData(0.01, 0.3, 0.5, 1e-3, 0.0)] // β₁ < ½ takes PyTorch's other lerp branch; ε matters
    [InlineData(0.02, 0.0, 0.0, 1e-8, 0.01)] // β = 0: sign-like steps
    public void MatchesTheReferenceForThreeSteps(double lr, double b1, double b2, double eps, double wd)
    {
        double[] expected = Reference(3, lr, b1, b2, eps, wd);
        var adam = new Adam<double>(P, lr, b1, b2, eps, wd);
        Near(expected, RunDouble(adam, 3), 1e-13);
        Assert.Equal(3, adam.StepCount);
        Near(expected, RunFloat(new Adam<float>(P, lr, b1, b2, eps, wd), 3), 2e-6);
    }

    [Fact]
    public void FirstStepMovesEachParameterByTheLearningRate()
    {
        // m̂ = g and v̂ = g² on the first step, so p moves by lr·sign(g) (up to ε).
        var adam = new Adam<double>(3, learningRate: 0.1);
        double[] p = [1, 1, 1];
        adam.Step(p, [2, -0.001, 0]);
        Assert.Equal(0.9, p[0], 1e-9);
        Assert.Equal(1.1, p[1], 1e-6);
        Assert.Equal(1.0, p[2]);
    }

    [Fact]
    public void ResetForgetsTheMoments()
    {
        var adam = new Adam<double>(P, 0.01);
        double[] first = RunDouble(adam, 3);
        adam.Reset();
        Assert.Equal(0, adam.StepCount);
        Assert.All(adam.FirstMoment.ToArray(), x => Assert.Equal(0.0, x));
        Assert.All(adam.SecondMoment.ToArray(), x => Assert.Equal(0.0, x));
        Assert.Equal(first, RunDouble(adam, 3));
    }

    [Fact]
    public void LearningRateCanChangeBetweenSteps()
    {
        var adam = new Adam<double>(1, 0.1);
        double[] p = [0];
        adam.Step(p, [1]);
        adam.LearningRate = 0.01;
        adam.Step(p, [1]);
        Assert.Equal(-0.11, p[0], 1e-8); // up to ε
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = 0);
    }

    [Fact]
    public void ConvergesOnAQuadratic()
    {
        // f(x) = ½ Σ aᵢ (xᵢ − cᵢ)², condition number 100.
        const int n = 50;
        double[] a = Enumerable.Range(0, n).Select(i => Math.Pow(100, i / (n - 1.0))).ToArray();
        double[] c = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
        float[] x = new float[n], g = new float[n];
        var adam = new Adam<float>(n, learningRate: 0.05);
        for (int step = 0; step < 3000; step++)
        {
            if (step == 2000)
                adam.LearningRate = 0.005;
            for (int i = 0; i < n; i++)
                g[i] = (float)(a[i] * (x[i] - c[i]));
            adam.Step(x, g);
        }
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(x[i] - c[i]) < 1e-2, $"x[{i}] = {x[i]}, optimum {c[i]}");
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var adam = new Adam<float>(1000);
        float[] p = new float[1000], g = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        adam.Step(p, g);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            adam.Step(p, g);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0.9, 0.0)]
    [InlineData(0.3, 0.01)] // the other lerp branch, with weight decay
    public void ParallelStepsEqualSerialStepsBitForBit(double beta1, double weightDecay)
    {
        // Long enough for the worker team, and not a multiple of any vector width or of the split unit.
        int n = Adam<float>.ParallelThreshold * 3 + 13;
        var random = new Random(7);
        float[] start = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] startD = Array.ConvertAll(start, v => (double)v);
        var parallel = new Adam<float>(n, 1e-2, beta1, 0.999, 1e-8, weightDecay);
        var serial = new Adam<float>(n, 1e-2, beta1, 0.999, 1e-8, weightDecay) { AllowParallel = false };
        var parallelD = new Adam<double>(n, 1e-2, beta1, 0.999, 1e-8, weightDecay);
        var serialD = new Adam<double>(n, 1e-2, beta1, 0.999, 1e-8, weightDecay) { AllowParallel = false };
        float[] p = (float[])start.Clone(), q = (float[])start.Clone();
        double[] pd = (double[])startD.Clone(), qd = (double[])startD.Clone();
        for (int t = 1; t <= 4; t++)
        {
            float[] g = Enumerable.Range(0, n).Select(i => (float)(Math.Cos(0.37 * i + t) * Math.Pow(10, i % 5 - 3))).ToArray();
            double[] gd = Array.ConvertAll(g, v => (double)v);
            parallel.Step(p, g);
            serial.Step(q, g);
            parallelD.Step(pd, gd);
            serialD.Step(qd, gd);
        }
        Assert.Equal(q, p);
        Assert.Equal(serial.FirstMoment.ToArray(), parallel.FirstMoment.ToArray());
        Assert.Equal(serial.SecondMoment.ToArray(), parallel.SecondMoment.ToArray());
        Assert.Equal(qd, pd);
        Assert.NotEqual(start, p);
    }

    [Fact]
    public void ParallelStepAllocatesNothing()
    {
        int n = Adam<float>.ParallelThreshold * 4;
        var adam = new Adam<float>(n);
        float[] p = new float[n], g = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        adam.Step(p, g);
        // Up to five rounds of 100 steps, one of which must allocate nothing: the runtime may allocate on this thread
        // once for its own bookkeeping (starting its tiered-compilation worker, say) while other tests run.
        long least = long.MaxValue;
        for (int round = 0; round < 5 && least != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
                adam.Step(p, g);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void RejectsBadHyperparametersAndLengths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, learningRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, learningRate: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, learningRate: double.PositiveInfinity));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, beta1: 1));
        Assert.Contains("β₁ must be in [0, 1)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(3, weightDecay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(-1));

        var adam = new Adam<float>(3);
        var e2 = Assert.Throws<ArgumentException>(() => adam.Step(new float[4], new float[4]));
        Assert.Contains("made for 3 parameters but was given 4", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => adam.Step(new float[3], new float[2]));
        Assert.Contains("gradient of length 2", e3.Message);
        Assert.Equal(0, adam.StepCount);
    }
}
