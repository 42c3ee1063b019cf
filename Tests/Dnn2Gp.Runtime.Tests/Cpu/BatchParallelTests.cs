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
