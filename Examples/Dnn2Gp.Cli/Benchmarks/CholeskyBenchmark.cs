using System;
using System.Globalization;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// cholesky-N: the blocked Cholesky factorisation of one N×N SPD matrix (double), timed against a double GEMM of the
/// same order in the same run (printed as '# gemm …'), so the two rates are compared on one machine state.
/// </summary>
internal abstract class CholeskyBenchmark(int order) : IBenchmark
{
    public string Name => $"cholesky-{order}";

    public string Description => $"Cholesky A = L·Lᵀ of a random {order}×{order} SPD matrix (double, all cores), then a {order}³ double GEMM and MathNet.Numerics 5 (managed, one run) for comparison";

    public double[] Run(int repeats)
    {
        int n = order;
        double[] a = LinearAlgebraWorkload.RandomSpd(n, seed: 1);
        var lower = new double[n * n];
        void Factor() => Cholesky.FactorInto(a, n, lower, JitterPolicy.None, "benchmark matrix");
        var c = new double[n * n];
        void Multiply() => Gemm.MultiplyParallel(false, false, n, n, n, 1.0, a, n, lower, n, 0.0, c, n);
        LinearAlgebraWorkload.WarmUp(() =>
        {
            Factor();
            Multiply();
        });
        // Factor and GEMM alternate, so that both see the same load on a shared machine.
        var factorTimes = new System.Collections.Generic.List<double>();
        var gemmTimes = new System.Collections.Generic.List<double>();
        BenchmarkTiming.Repeat(repeats, () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Factor();
            factorTimes.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            Multiply();
            gemmTimes.Add(clock.Elapsed.TotalSeconds);
        });
        double[] times = factorTimes.GetRange(1, factorTimes.Count - 1).ToArray();
        double[] gemm = gemmTimes.GetRange(1, gemmTimes.Count - 1).ToArray();
        double median = BenchmarkTiming.Median(times);
        double flops = (double)n * n * n / 3;
        double gemmMedian = BenchmarkTiming.Median(gemm);
        double gemmRate = 2.0 * n * n * n / gemmMedian / 1e9, rate = flops / median / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# cholesky n = {n}: median {median:F4} s, {rate:F1} GFLOP/s (n³/3 flops), {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# gemm {n}×{n}×{n} double: median {gemmMedian:F4} s, {gemmRate:F1} GFLOP/s; cholesky rate / gemm rate = {rate / gemmRate:F2}"));
        MathNet.Numerics.Control.UseManaged();
        var matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(n, n, a);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var mathNet = matrix.Cholesky();
        double mathNetSeconds = clock.Elapsed.TotalSeconds;
        double diff = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                diff = Math.Max(diff, Math.Abs(mathNet.Factor[i, j] - lower[(i * n) + j]));
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# mathnet (managed) cholesky n = {n}: one run {mathNetSeconds:F4} s, {flops / mathNetSeconds / 1e9:F1} GFLOP/s; max |ΔL| vs hand-written = {diff:E1}"));
        return times;
    }
}

/// <summary>cholesky-1000.</summary>
internal sealed class Cholesky1000Benchmark() : CholeskyBenchmark(1000);

/// <summary>cholesky-2000.</summary>
internal sealed class Cholesky2000Benchmark() : CholeskyBenchmark(2000);

/// <summary>cholesky-2701: the order of the full GGN of a 1-50-50-1 MLP (P = 2,701).</summary>
internal sealed class Cholesky2701Benchmark() : CholeskyBenchmark(2701);
