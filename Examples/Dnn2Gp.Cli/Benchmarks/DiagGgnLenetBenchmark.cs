using System;
using System.Diagnostics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// diag-ggn-lenet: the exact diagonal GGN Σₙ diag(Jₙᵀ Λₙ Jₙ) of LeNet-5 (full softmax Λ, every cross-position term of the
/// convolutions) over 10,000 MNIST-sized images, from the generated curvature pass, never forming a per-example Jacobian.
/// </summary>
internal sealed class DiagGgnLenetBenchmark : IBenchmark
{
    public string Name => "diag-ggn-lenet";

    public string Description => "exact diagonal GGN of LeNet-5 over 10,000 MNIST-sized images (full softmax Hessian, exact conv cross terms)";

    public double[] Run(int repeats)
    {
        const int n = 10_000;
        var data = SyntheticMnist.Create(n, seed: 1);
        var parameters = new float[LeNet5.ParameterCount];
        LeNet5.InitializeParameters(parameters, seed: 0);
        var diagonal = new double[LeNet5.ParameterCount];
        var plan = Curvature<LeNet5, float>.Plan.GgnDiagonal(n);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var times = BenchmarkTiming.Repeat(repeats, () => Curvature<LeNet5, float>.GgnDiagonal(parameters, data.Inputs, n, diagonal));
        double perRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / (times.Length + 1);
        Console.WriteLine(FormattableString.Invariant($"# process CPU time per run {perRun:F2} s (warm-up included; {perRun / Environment.ProcessorCount:F2} s of wall time if the cores were free)"));
        double trace = 0;
        foreach (double v in diagonal) trace += v;
        Console.WriteLine(FormattableString.Invariant($"# {LeNet5.Name}: {LeNet5.ParameterCount:N0} parameters, {n:N0} images, {Environment.ProcessorCount} cores; plan: {plan}; trace {trace:G6}"));
        return times;
    }
}
