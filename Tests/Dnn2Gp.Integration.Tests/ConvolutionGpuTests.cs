using System;
using Dnn2Gp.Examples.Inputs;
using Dnn2Gp.Integration.Tests.Networks;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>
/// The generated ILGPU forward kernels of convolutional networks (direct convolution and pooling loops, one thread per
/// example) on ILGPU's CPU accelerator against the CPU path (im2col + GEMM): LeNet-5 in float; odd shapes, stride,
/// padding, dilation, overlapping max-pool windows, average pooling and evaluation-mode dropout in double.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
[Trait("Category", "Gpu")]
public class ConvolutionGpuTests(CpuAcceleratorFixture fixture)
{
    [Fact]
    public void LeNet5_kernel_matches_cpu_forward()
    {
        const int batch = 5;
        var random = new Random(31);
        var p = new float[LeNet5.ParameterCount];
        LeNet5.InitializeParameters(p, seed: 3);
        var x = new float[batch * LeNet5.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        var expected = new float[batch * LeNet5.OutputSize];
        LeNet5.Forward(p, x, expected, batch);

        var actual = Run<float>(LeNet5.GpuForward, p, x, batch, LeNet5.GpuScratchPerExample, expected.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"output {i}: CPU {expected[i]}, kernel {actual[i]}");
    }

    [Fact]
    public void Double_kernels_match_cpu_forward_on_odd_shapes()
    {
        Check<ConvGaussianDouble>(ConvGaussianDouble.GpuForward, ConvGaussianDouble.GpuScratchPerExample);
        Check<ConvMaxPoolDouble>(ConvMaxPoolDouble.GpuForward, ConvMaxPoolDouble.GpuScratchPerExample);
        Check<ConvBernoulliDouble>(ConvBernoulliDouble.GpuForward, ConvBernoulliDouble.GpuScratchPerExample);
        Check<ConvDropoutDouble>(ConvDropoutDouble.GpuForward, ConvDropoutDouble.GpuScratchPerExample);
    }

    private void Check<TNet>(Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>> kernel, int scratch)
        where TNet : Dnn2Gp.Runtime.INetwork<TNet, double>
    {
        const int batch = 7;
        var (p, x, _) = Numerics.NetworkChecks.RandomProblem<TNet>(batch, seed: 32);
        var expected = new double[batch * TNet.OutputSize];
        TNet.Forward(p, x, expected, batch);
        var actual = Run(kernel, p, x, batch, scratch, expected.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"{TNet.Name}: output {i}: CPU {expected[i]}, kernel {actual[i]}");
    }

    private T[] Run<T>(Action<Index1D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>> method, T[] p, T[] x, int batch, int scratchPerExample, int outputs)
        where T : unmanaged
    {
        var kernel = fixture.Accelerator.LoadAutoGroupedStreamKernel(method);
        using var parameters = fixture.Accelerator.Allocate1D(p);
        using var inputs = fixture.Accelerator.Allocate1D(x);
        using var scratch = fixture.Accelerator.Allocate1D<T>(batch * scratchPerExample);
        using var result = fixture.Accelerator.Allocate1D<T>(outputs);
        kernel(batch, parameters.View, inputs.View, scratch.View, result.View);
        fixture.Accelerator.Synchronize();
        return result.GetAsArray1D();
    }
}
