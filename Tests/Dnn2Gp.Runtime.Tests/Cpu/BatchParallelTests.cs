using System;
using System.Linq;
using Dnn2Gp.Runtime.Cpu;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>Serialises the tests that switch BatchParallel's static fallback switch.</summary>
[CollectionDefinition(nameof(BatchParallelSwitch), DisableParallelization = true)]
public sealed class BatchParallelSwitch
{
}

/// <summary>
/// BatchParallel's three passes on small hand-written kernels of a linear least-squares model (ℓ = ½(w·x + b − y)²):
/// against plain loops in double, and the worker team against the Parallel.For fallback and against one worker.
/// </summary>
[Collection(nameof(BatchParallelSwitch))]
public sealed class BatchParallelTests
{
    private const int In = 37;

    /// <summary>Parameters: w [In], then b.</summary>
    private const int Parameters = In + 1;

    /// <summary>One-chunk kernel: outputs f = w·x + b (MapRows) or, with an output-less call, Σ ℓ.</summary>
    private readonly struct Linear : IBatchKernel<double>
    {
        public static double Run(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets,
            Span<double> output, int count, double scale)
        {
            double loss = 0;
            for (int n = 0; n < count; n++)
            {
                double f = Predict(parameters, inputs.Slice(n * In, In));
                if (!output.IsEmpty) output[n] = f;
                if (!targets.IsEmpty) loss += 0.5 * (f - targets[n]) * (f - targets[n]);
            }
            return scale * loss;
        }
    }

    /// <summary>One-chunk gradient kernel for SumGradients: overwrites the whole gradient with its chunk's.</summary>
    private readonly struct LinearGradient : IBatchKernel<double>
    {
        public static double Run(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets,
            Span<double> gradient, int count, double scale)
        {
            gradient.Clear();
            double loss = 0;
            for (int n = 0; n < count; n++)
            {
                var x = inputs.Slice(n * In, In);
                double r = Predict(parameters, x) - targets[n];
                loss += 0.5 * r * r;
                for (int i = 0; i < In; i++) gradient[i] += scale * r * x[i];
                gradient[In] += scale * r;
            }
            return scale * loss;
        }
    }

    /// <summary>The same model as a two-phase kernel: residuals per row, then the gradient's columns over the batch.</summary>
    private readonly struct TwoPhaseLinear : IGradientKernel<double>
    {
        public static int Workspace => 1;

        public static double Rows(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets,
            Span<double> workspace, int batch, int start, int count, double scale)
        {
            double loss = 0;
            for (int n = start; n < start + count; n++)
            {
                double r = Predict(parameters, inputs.Slice(n * In, In)) - targets[n];
                workspace[n] = scale * r;
                loss += 0.5 * r * r;
            }
            return scale * loss;
        }

        public static void Weights(ReadOnlySpan<double> parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> workspace,
            Span<double> gradient, int batch, int part, int parts)
        {
            // ∂ℓ/∂w = rᵀ X: a 1 × In GEMM over the batch, this part's columns only.
            (int c, int count) = BatchParallel.Columns<double>(In, part, parts);
            Gemm.Multiply(true, false, 1, count, batch, 1.0, workspace.Slice(0, batch), 1, inputs.Slice(c), In, 0.0, gradient.Slice(c, count), In);
            (c, count) = BatchParallel.Columns<double>(1, part, parts);
            BiasDriver.SumRows(workspace.Slice(0, batch), batch, 1, c, gradient.Slice(In + c, count));
        }
    }

    private static double Predict(ReadOnlySpan<double> p, ReadOnlySpan<double> x)
    {
        double f = p[In];
        for (int i = 0; i < In; i++) f += p[i] * x[i];
        return f;
    }

    private static (double[] P, double[] X, double[] Y) Problem(int batch, int seed)
    {
        var random = new Random(seed);
        double[] p = Enumerable.Range(0, Parameters).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] x = Enumerable.Range(0, batch * In).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] y = Enumerable.Range(0, batch).Select(_ => random.NextDouble()).ToArray();
        return (p, x, y);
    }

    /// <summary>Loss and gradient written out in plain loops.</summary>
    private static (double Loss, double[] Gradient) Reference(double[] p, double[] x, double[] y, int batch, double scale)
    {
        var g = new double[Parameters];
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            double r = Predict(p, x.AsSpan(n * In, In)) - y[n];
            loss += 0.5 * r * r;
            for (int i = 0; i < In; i++) g[i] += scale * r * x[n * In + i];
            g[In] += scale * r;
        }
        return (scale * loss, g);
    }

    private static T WithFallback<T>(bool fallback, Func<T> body)
    {
        BatchParallel.ForceFallback = fallback;
        try
        {
            return body();
        }
        finally
        {
            BatchParallel.ForceFallback = false;
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(7, 3)]
    [InlineData(300, 1)]
    [InlineData(1001, 7)]
    public void TwoPhaseLossAndGradientMatchesTheLoopsAndIsTheSameOnAnyNumberOfWorkers(int batch, int minRows)
    {
        var (p, x, y) = Problem(batch, seed: batch);
        const double scale = 0.25;
        var (loss, expected) = Reference(p, x, y, batch, scale);
        foreach (bool fallback in new[] { false, true })
        {
            var g = Enumerable.Repeat(double.NaN, Parameters).ToArray();
            double l = WithFallback(fallback, () => BatchParallel.LossAndGradient<TwoPhaseLinear, double>(p, x, y, g, batch, scale, minRows));
            Assert.Equal(loss, l, 1e-12 * Math.Max(1, Math.Abs(loss)));
            for (int i = 0; i < Parameters; i++)
                Assert.True(Math.Abs(expected[i] - g[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"gradient {i}: expected {expected[i]}, got {g[i]} (fallback {fallback})");

            // One worker (the whole batch in one chunk) gives the same gradient bit for bit: each element is one GEMM over the batch.
            var one = new double[Parameters];
            BatchParallel.LossAndGradient<TwoPhaseLinear, double>(p, x, y, one, batch, scale, minRowsPerWorker: batch + 1);
            Assert.Equal(one, g);
        }
    }

    [Fact]
    public void TwoPhaseLossAndGradientOfAnEmptyBatchIsZero()
    {
        var g = Enumerable.Repeat(double.NaN, Parameters).ToArray();
        Assert.Equal(0.0, BatchParallel.LossAndGradient<TwoPhaseLinear, double>(new double[Parameters], [], [], g, 0, 1.0, 1));
        Assert.All(g, v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(301)]
    public void SumGradientsOnTheTeamEqualsTheFallbackBitForBit(int batch)
    {
        var (p, x, y) = Problem(batch, seed: 5);
        var (loss, expected) = Reference(p, x, y, batch, 1.0);
        var team = new double[Parameters];
        var fallback = new double[Parameters];
        double lt = WithFallback(false, () => BatchParallel.SumGradients<LinearGradient, double>(p, x, In, y, 1, team, batch, 1.0, 1));
        double lf = WithFallback(true, () => BatchParallel.SumGradients<LinearGradient, double>(p, x, In, y, 1, fallback, batch, 1.0, 1));
        Assert.Equal(fallback, team);
        Assert.Equal(lf, lt);
        Assert.Equal(loss, lt, 1e-12 * Math.Abs(loss));
        for (int i = 0; i < Parameters; i++) Assert.Equal(expected[i], team[i], 1e-12 * (1 + Math.Abs(expected[i])));
    }

    [Fact]
    public void MapRowsOnTheTeamEqualsTheFallbackAndTheLoop()
    {
        const int batch = 203;
        var (p, x, y) = Problem(batch, seed: 8);
        var team = new double[batch];
        var fallback = new double[batch];
        double lt = WithFallback(false, () => BatchParallel.MapRows<Linear, double>(p, x, In, y, 1, team, 1, batch, 1.0, 1));
        double lf = WithFallback(true, () => BatchParallel.MapRows<Linear, double>(p, x, In, y, 1, fallback, 1, batch, 1.0, 1));
        Assert.Equal(fallback, team);
        Assert.Equal(lf, lt);
        for (int n = 0; n < batch; n++) Assert.Equal(Predict(p, x.AsSpan(n * In, In)), team[n]);
        Assert.Equal(Reference(p, x, y, batch, 1.0).Loss, lt, 1e-12 * Math.Abs(lt));
    }

    [Fact]
    public void ColumnsTileTheWidthInOrderAndSplitAtCacheLinesWhenWide()
    {
        foreach (int parts in new[] { 1, 2, 3, 16 })
        {
            foreach (int width in new[] { 0, 1, 3, 10, 17, 31, 32, 33, 100, 784, 1001 })
            {
                int next = 0, smallest = int.MaxValue, largest = 0;
                for (int part = 0; part < parts; part++)
                {
                    (int start, int count) = BatchParallel.Columns<float>(width, part, parts);
                    Assert.Equal(next, start);
                    Assert.True(count >= 0);
                    if (width >= 32 * parts && part > 0) Assert.Equal(0, start % 16);
                    next = start + count;
                    smallest = Math.Min(smallest, count);
                    largest = Math.Max(largest, count);
                }
                Assert.Equal(width, next);
                Assert.True(largest - smallest <= (width >= 32 * parts ? 32 : 1), $"width {width}, {parts} parts: {smallest} … {largest} columns");
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchParallel.Columns<float>(10, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchParallel.Columns<float>(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchParallel.Columns<float>(-1, 0, 1));
    }

    [Fact]
    public void ChunksTileTheBatchInOrder()
    {
        foreach (int workers in new[] { 1, 2, 3, 7 })
        {
            foreach (int batch in new[] { 0, 1, 5, 128, 1001 })
            {
                int next = 0;
                for (int w = 0; w < workers; w++)
                {
                    (int start, int count) = BatchParallel.Chunk(batch, workers, w);
                    Assert.Equal(next, start);
                    Assert.InRange(count, batch / workers, batch / workers + 1);
                    next = start + count;
                }
                Assert.Equal(batch, next);
            }
        }
    }
}
