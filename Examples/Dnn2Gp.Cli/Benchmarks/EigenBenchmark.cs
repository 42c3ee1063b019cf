using System;
using System.Diagnostics;
using System.Globalization;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// eig-N: the full symmetric eigendecomposition (values and vectors) of one N×N SPD matrix with
/// <see cref="SymmetricEigen"/>, then the same with MathNet.Numerics' managed provider (the alternative it was chosen
/// over), with the accuracy of both (‖A·Q − Q·Λ‖ / ‖A‖, ‖QᵀQ − I‖) and the largest eigenvalue difference.
/// </summary>
internal abstract class EigenBenchmark(int order) : IBenchmark
{
    /// <summary>From this order on MathNet is timed once, without warm-up (one run takes minutes).</summary>
    private const int MathNetSingleRunOrder = 1500;

    public string Name => $"eig-{order}";

    public string Description => $"symmetric eigendecomposition (values and vectors) of a random {order}×{order} SPD matrix, double, all cores; then MathNet.Numerics 5 (managed) for comparison";

    public double[] Run(int repeats)
    {
        int n = order;
        double[] a = LinearAlgebraWorkload.RandomSpd(n, seed: 2);
        var lambda = new double[n];
        var q = new double[n * n];
        void Decompose() => SymmetricEigen.Decompose(a, n, lambda, q);
        LinearAlgebraWorkload.WarmUp(Decompose);
        double[] times = BenchmarkTiming.Repeat(repeats, Decompose);
        var (residual, orthogonality) = Accuracy(a, n, lambda, q);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# hand-written n = {n}: median {BenchmarkTiming.Median(times):F4} s; ‖AQ − QΛ‖/‖A‖ = {residual:E1}, ‖QᵀQ − I‖ = {orthogonality:E1}"));

        MathNet.Numerics.Control.UseManaged();
        var matrix = Matrix<double>.Build.DenseOfRowMajor(n, n, a);
        Evd<double>? evd = null;
        double[] mathNet;
        if (n >= MathNetSingleRunOrder)
        {
            var clock = Stopwatch.StartNew();
            evd = matrix.Evd(Symmetricity.Symmetric);
            mathNet = [clock.Elapsed.TotalSeconds];
        }
        else
        {
            mathNet = BenchmarkTiming.Repeat(repeats, () => evd = matrix.Evd(Symmetricity.Symmetric));
        }
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            values[j] = evd!.EigenValues[j].Real;
        }
        double[] columnMajor = evd!.EigenVectors.ToColumnMajorArray();
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
            {
                vectors[(i * n) + j] = columnMajor[(j * n) + i];
            }
        }
        var (mnResidual, mnOrthogonality) = Accuracy(a, n, values, vectors);
        double diff = 0;
        for (int j = 0; j < n; j++)
        {
            diff = Math.Max(diff, Math.Abs(values[j] - lambda[j]));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# mathnet (managed) n = {n}: median {BenchmarkTiming.Median(mathNet):F4} s over {mathNet.Length} run(s); ‖AQ − QΛ‖/‖A‖ = {mnResidual:E1}, ‖QᵀQ − I‖ = {mnOrthogonality:E1}; max |Δλ| vs hand-written = {diff:E1} (λmax {lambda[n - 1]:F2})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# speed-up over mathnet: {BenchmarkTiming.Median(mathNet) / BenchmarkTiming.Median(times):F1}x"));
        return times;
    }

    /// <summary>Max-norm residuals ‖A·Q − Q·Λ‖/‖A‖ and ‖QᵀQ − I‖, by GEMM.</summary>
    private static (double Residual, double Orthogonality) Accuracy(double[] a, int n, double[] lambda, double[] q)
    {
        var aq = new double[n * n];
        Gemm.MultiplyParallel(false, false, n, n, n, 1.0, a, n, q, n, 0.0, aq, n);
        double residual = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                residual = Math.Max(residual, Math.Abs(aq[(i * n) + j] - (q[(i * n) + j] * lambda[j])));
                scale = Math.Max(scale, Math.Abs(a[(i * n) + j]));
            }
        }
        var qtq = new double[n * n];
        Gemm.MultiplyParallel(true, false, n, n, n, 1.0, q, n, q, n, 0.0, qtq, n);
        double orthogonality = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                orthogonality = Math.Max(orthogonality, Math.Abs(qtq[(i * n) + j] - (i == j ? 1 : 0)));
            }
        }
        return (residual / scale, orthogonality);
    }
}

/// <summary>eig-81.</summary>
internal sealed class Eigen81Benchmark() : EigenBenchmark(81);

/// <summary>eig-500.</summary>
internal sealed class Eigen500Benchmark() : EigenBenchmark(500);

/// <summary>eig-1000.</summary>
internal sealed class Eigen1000Benchmark() : EigenBenchmark(1000);

/// <summary>eig-2701: the full GGN of a 1-50-50-1 MLP (P = 2,701).</summary>
internal sealed class Eigen2701Benchmark() : EigenBenchmark(2701);
