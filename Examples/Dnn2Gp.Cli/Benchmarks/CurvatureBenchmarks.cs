using System;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>Random MNIST-sized inputs and initialised parameters for the curvature workloads.</summary>
internal static class CurvatureWorkload
{
    public static (float[] Parameters, float[] Inputs) MnistMlp(int examples, int seed = 0)
    {
        var parameters = new float[Cli.MnistMlp.ParameterCount];
        Cli.MnistMlp.InitializeParameters(parameters, seed);
        var random = new Random(seed + 1);
        var inputs = new float[examples * Cli.MnistMlp.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
        return (parameters, inputs);
    }
}

/// <summary>W1: per-example Jacobians of the 784-100-100-10 ReLU MLP's logits for 64 inputs ([64, 10, 89,610] floats).</summary>
internal sealed class JacobianBenchmark : IBenchmark
{
    public string Name => "w1-jacobian";

    public string Description => "W1: per-example Jacobian of the 784-100-100-10 ReLU MLP for N = 64 random inputs, float32";

    public double[] Run(int repeats)
    {
        const int n = 64;
        var (parameters, inputs) = CurvatureWorkload.MnistMlp(n);
        var jacobian = new float[n * MnistMlp.OutputSize * MnistMlp.ParameterCount];
        Console.WriteLine($"# {Curvature<MnistMlp, float>.Plan.Jacobian(n)}");
        return BenchmarkTiming.Repeat(repeats, () => Curvature<MnistMlp, float>.Jacobian(parameters, inputs, n, jacobian));
    }
}

/// <summary>W2: the exact diagonal GGN of the MNIST MLP (softmax, full Λ) over 10,000 inputs.</summary>
internal sealed class DiagonalGgnBenchmark : IBenchmark
{
    public string Name => "w2-diag-ggn";

    public string Description => "W2: exact diagonal GGN of the 784-100-100-10 ReLU MLP (softmax, full Λ) over N = 10,000 random inputs, float32";

    public double[] Run(int repeats)
    {
        const int n = 10_000;
        var (parameters, inputs) = CurvatureWorkload.MnistMlp(n);
        var diagonal = new double[MnistMlp.ParameterCount];
        Console.WriteLine($"# {Curvature<MnistMlp, float>.Plan.GgnDiagonal(n)}");
        return BenchmarkTiming.Repeat(repeats, () => Curvature<MnistMlp, float>.GgnDiagonal(parameters, inputs, n, diagonal));
    }
}

/// <summary>W3: the full 2000 × 2000 kernel J Σ Jᵀ of the MNIST MLP on 200 inputs, all 10 outputs, Σ a positive diagonal.</summary>
internal sealed class KernelBenchmark : IBenchmark
{
    public string Name => "w3-kernel";

    public string Description => "W3: kernel J Σ Jᵀ of the 784-100-100-10 ReLU MLP on M = 200 random inputs, all 10 outputs (2000 × 2000), Σ a positive diagonal";

    public double[] Run(int repeats)
    {
        const int m = 200;
        var (parameters, inputs) = CurvatureWorkload.MnistMlp(m);
        var random = new Random(3);
        var variances = new double[MnistMlp.ParameterCount];
        for (int i = 0; i < variances.Length; i++) variances[i] = 0.5 + random.NextDouble();
        var sigma = new DiagonalCovariance(variances);
        int size = m * MnistMlp.OutputSize;
        var kernel = new double[size * size];
        Console.WriteLine($"# {Curvature<MnistMlp, float>.Plan.Kernel(m, m, CovarianceStructure.Diagonal, KernelBlocks.Full)}");
        return BenchmarkTiming.Repeat(repeats, () => Curvature<MnistMlp, float>.Kernel(parameters, inputs, m, inputs, m, sigma, KernelBlocks.Full, kernel));
    }
}
