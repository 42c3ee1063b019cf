using System;
using System.Globalization;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// W4: the full Laplace of the 1-50-50-1 tanh regression MLP (σ² = 0.1): the full GGN over N = 1,000 inputs + δI, its
/// Cholesky factor, and the linearised predictive variances j*ᵀ (GGN + δI)⁻¹ j* of 1,000 test inputs (‖L⁻¹ j*‖²).
/// </summary>
internal sealed class FullLaplaceBenchmark : IBenchmark
{
    internal const int N = 1_000, M = 1_000;
    internal const double Delta = 1.0;

    public string Name => "w4-full-laplace";

    public string Description => "W4: tanh MLP 1-50-50-1, Gaussian σ² = 0.1: full GGN over N = 1,000 inputs + δI, Cholesky, predictive variances on 1,000 test inputs";

    /// <summary>
    /// The initialised 1-50-50-1 tanh MLP, N training inputs x ~ U(−3, 3) and M test inputs on a grid over [−4, 4]; the
    /// same for both W4 forms, so that their variances can be compared.
    /// </summary>
    internal static (float[] Parameters, float[] Inputs, float[] Tests) Workload()
    {
        var parameters = new float[TanhRegressionMlp.ParameterCount];
        TanhRegressionMlp.InitializeParameters(parameters, seed: 0);
        var random = new Random(1);
        var inputs = new float[N];
        for (int i = 0; i < N; i++) inputs[i] = (float)(6 * random.NextDouble() - 3);
        var tests = new float[M];
        for (int i = 0; i < M; i++) tests[i] = (float)(-4 + 8.0 * i / (M - 1));
        return (parameters, inputs, tests);
    }

    public double[] Run(int repeats)
    {
        var (parameters, inputs, tests) = Workload();
        int p = parameters.Length;
        var ggn = new double[(long)p * p];
        var jacobian = new float[M * p];
        var jacobianT = new double[(long)p * M];
        var variances = new double[M];
        Console.WriteLine($"# {Curvature<TanhRegressionMlp, float>.Plan.GgnFull(N)}");

        CholeskyFactor? factor = null;
        var times = BenchmarkTiming.Repeat(repeats, () =>
        {
            Curvature<TanhRegressionMlp, float>.GgnFull(parameters, inputs, N, ggn);
            for (int i = 0; i < p; i++) ggn[(long)i * p + i] += Delta;
            factor = Cholesky.Factor(ggn, p, JitterPolicy.Default, "posterior precision GGN + δI (P×P)");
            Curvature<TanhRegressionMlp, float>.Jacobian(parameters, tests, M, jacobian);
            for (int m = 0; m < M; m++)
            {
                for (int i = 0; i < p; i++) jacobianT[(long)i * M + m] = jacobian[m * p + i];
            }
            factor.InverseQuadraticDiagonal(jacobianT, M, variances);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# P = {p}; jitter used: {factor!.Jitter:E1}; predictive std of f at x = -4, 0, 4: {Math.Sqrt(variances[0]):F4}, {Math.Sqrt(variances[M / 2]):F4}, {Math.Sqrt(variances[M - 1]):F4}"));
        return times;
    }
}

/// <summary>
/// W4 in function space: the same predictive variances from the N × N dual form, never forming the P × P GGN —
/// j*ᵀ (VᵀV + δI)⁻¹ j* = (‖j*‖² − (V j*)ᵀ (δI + V Vᵀ)⁻¹ (V j*)) / δ with V the square-root GGN factor (N × P). The
/// cheaper form whenever N &lt; P, as here (N = 1,000, P = 2,701); checked against the weight-space form on a '#' line.
/// </summary>
internal sealed class FullLaplaceDualBenchmark : IBenchmark
{
    private const int N = FullLaplaceBenchmark.N, M = FullLaplaceBenchmark.M;
    private const double Delta = FullLaplaceBenchmark.Delta;

    public string Name => "w4-full-laplace-dual";

    public string Description => "W4 in function space: the same full-Laplace predictive variances through the N × N dual (Woodbury) form";

    public double[] Run(int repeats)
    {
        var (parameters, inputs, tests) = FullLaplaceBenchmark.Workload();
        int p = parameters.Length;

        var v = new float[N * p];
        var vDouble = new double[(long)N * p];
        var gram = new double[N * N];
        var jacobian = new float[M * p];
        var jacobianDouble = new double[(long)M * p];
        var projected = new double[N * M];
        var explained = new double[M];
        var variances = new double[M];
        var times = BenchmarkTiming.Repeat(repeats, () =>
        {
            // The N × N products are taken in double: the dual variance is a difference of two close numbers.
            Curvature<TanhRegressionMlp, float>.GgnFactor(parameters, inputs, N, v);
            for (int i = 0; i < v.Length; i++) vDouble[i] = v[i];
            SymmetricRankK.Update(false, N, p, 1.0, vDouble, p, 0.0, gram, N);
            for (int i = 0; i < N; i++) gram[i * N + i] += Delta;
            var factor = Cholesky.Factor(gram, N, JitterPolicy.Default, "dual matrix δI + V Vᵀ (N×N)");
            Curvature<TanhRegressionMlp, float>.Jacobian(parameters, tests, M, jacobian);
            for (int i = 0; i < jacobian.Length; i++) jacobianDouble[i] = jacobian[i];
            Dnn2Gp.Runtime.Cpu.Gemm.MultiplyParallel(false, true, N, M, p, 1.0, vDouble, p, jacobianDouble, p, 0.0, projected, M);
            factor.InverseQuadraticDiagonal(projected, M, explained);
            for (int m = 0; m < M; m++)
            {
                ReadOnlySpan<double> row = jacobianDouble.AsSpan(m * p, p);
                variances[m] = (System.Numerics.Tensors.TensorPrimitives.Dot(row, row) - explained[m]) / Delta;
            }
        });

        // The weight-space form once, for the check.
        var ggn = new double[(long)p * p];
        Curvature<TanhRegressionMlp, float>.GgnFull(parameters, inputs, N, ggn);
        for (int i = 0; i < p; i++) ggn[(long)i * p + i] += Delta;
        var weightSpace = Cholesky.Factor(ggn, p, JitterPolicy.Default, "posterior precision GGN + δI (P×P)");
        var jt = new double[(long)p * M];
        for (int m = 0; m < M; m++) for (int i = 0; i < p; i++) jt[(long)i * M + m] = jacobian[m * p + i];
        var reference = new double[M];
        weightSpace.InverseQuadraticDiagonal(jt, M, reference);
        double worst = 0;
        for (int m = 0; m < M; m++) worst = Math.Max(worst, Math.Abs(variances[m] - reference[m]) / reference[m]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# largest relative difference from the weight-space variances: {worst:E2} (float Jacobians, double solves)"));
        return times;
    }
}
