using System;
using Dnn2Gp.Examples.Inputs;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// The float LeNet-5 (direct convolution kernels, vectorised pooling) against the same network in double (unfolded
/// convolutions and scalar pooling, which the finite-difference checks cover): outputs, gradients and curvature agree
/// to float precision on MNIST-like inputs with a trained-like weight scale.
/// </summary>
public class LeNetPrecisionTests
{
    [Fact]
    public void Float_lenet_matches_the_double_reference()
    {
        const int n = 40;
        var pf = new float[LeNet5.ParameterCount];
        LeNet5.InitializeParameters(pf, seed: 5);
        var pd = Array.ConvertAll(pf, v => (double)v);
        var random = new Random(6);
        var xf = new float[n * LeNet5.InputSize];
        // Sparse images in [0, 1] like MNIST's.
        for (int i = 0; i < xf.Length; i++) xf[i] = random.NextDouble() < 0.2 ? (float)random.NextDouble() : 0f;
        var xd = Array.ConvertAll(xf, v => (double)v);
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = i % 10;
        var yd = Array.ConvertAll(y, v => (double)v);

        var ff = new float[n * 10];
        var fd = new double[n * 10];
        LeNet5.Forward(pf, xf, ff, n);
        LeNet5Double.Forward(pd, xd, fd, n);
        Close(fd, ff, "outputs", 1e-5);

        var gf = new float[pf.Length];
        var gd = new double[pd.Length];
        double lf = LeNet5.LossAndGradient(pf, xf, y, n, gf, 1f / n);
        double ld = LeNet5Double.LossAndGradient(pd, xd, yd, n, gd, 1.0 / n);
        Assert.True(Math.Abs(lf - ld) < 1e-5 * Math.Abs(ld), $"loss {lf} vs {ld}");
        Close(gd, gf, "gradient", 1e-4);

        var df = new double[pf.Length];
        var dd = new double[pd.Length];
        Curvature<LeNet5, float>.GgnDiagonal(pf, xf, n, df);
        Curvature<LeNet5Double, double>.GgnDiagonal(pd, xd, n, dd);
        Close(dd, df, "diagonal GGN", 1e-4);

        var kf = Curvature<LeNet5, float>.Kfac(pf, xf, n);
        var kd = Curvature<LeNet5Double, double>.Kfac(pd, xd, n);
        for (int l = 0; l < LeNet5.Layers.Count; l++)
        {
            Close(kd.A(l).ToArray(), kf.A(l).ToArray(), $"A of layer {l}", 1e-4);
            Close(kd.G(l).ToArray(), kf.G(l).ToArray(), $"G of layer {l}", 1e-4);
        }

        var tangent = new float[pf.Length];
        for (int i = 0; i < tangent.Length; i++) tangent[i] = (float)(random.NextDouble() - 0.5);
        var jvf = new float[n * 10];
        var jvd = new double[n * 10];
        Curvature<LeNet5, float>.JacobianVectorProduct(pf, xf, n, tangent, jvf);
        Curvature<LeNet5Double, double>.JacobianVectorProduct(pd, xd, n, Array.ConvertAll(tangent, v => (double)v), jvd);
        Close(jvd, jvf, "J v", 1e-4);

        var kernelF = new double[10 * 4 * 4];
        var kernelD = new double[10 * 4 * 4];
        Curvature<LeNet5, float>.Kernel(pf, xf, 4, xf, 4, new IsotropicCovariance(pf.Length, 0.5), KernelBlocks.PerOutput, kernelF);
        Curvature<LeNet5Double, double>.Kernel(pd, xd, 4, xd, 4, new IsotropicCovariance(pd.Length, 0.5), KernelBlocks.PerOutput, kernelD);
        Close(kernelD, kernelF, "kernel", 1e-4);
    }


    private static void Close(double[] expected, float[] actual, string what, double tolerance) =>
        Close(expected, Array.ConvertAll(actual, v => (double)v), what, tolerance);

    private static void Close(double[] expected, double[] actual, string what, double tolerance)
    {
        double scale = 1e-30;
        foreach (double v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}[{i}]: float {actual[i]:R}, double {expected[i]:R} (scale {scale:G3})");
    }
}

/// <summary>The allocation bound of LeNet-5's diagonal GGN, measured with no other test running.</summary>
[Collection(AllocationCollection.Name)]
public class LeNetPrecisionTestsAllocation
{
    [Fact]
    public void Diagonal_ggn_of_lenet_allocates_nothing_proportional_to_n_k_p()
    {
        const int n = 1000;
        var parameters = new float[LeNet5.ParameterCount];
        LeNet5.InitializeParameters(parameters, seed: 1);
        var inputs = new float[n * LeNet5.InputSize];
        var random = new Random(2);
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
        var diagonal = new double[LeNet5.ParameterCount];
        Curvature<LeNet5, float>.GgnDiagonal(parameters, inputs.AsSpan(0, 64 * LeNet5.InputSize), 64, diagonal); // warm-up: pools, JIT

        long before = GC.GetTotalAllocatedBytes(precise: true);
        Curvature<LeNet5, float>.GgnDiagonal(parameters, inputs, n, diagonal);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        long jacobians = (long)n * LeNet5.OutputSize * LeNet5.ParameterCount * sizeof(float);
        Assert.True(allocated < 16L << 20, $"The diagonal GGN of LeNet-5 over {n:N0} inputs allocated {allocated:N0} bytes; per-example Jacobians would be {jacobians:N0}.");
        Assert.All(diagonal, v => Assert.True(v >= 0 && double.IsFinite(v)));
    }
}
