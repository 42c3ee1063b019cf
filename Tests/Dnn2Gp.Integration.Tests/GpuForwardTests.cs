using System;
using Dnn2Gp.Integration.Tests.Networks;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>Owns one ILGPU context and CPU accelerator for all GPU-kernel tests (loading a context is expensive).</summary>
public sealed class CpuAcceleratorFixture : IDisposable
{
    public CpuAcceleratorFixture()
    {
        Context = Context.Create(builder => builder.CPU());
        Accelerator = Context.CreateCPUAccelerator(0);
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CpuAcceleratorCollection : ICollectionFixture<CpuAcceleratorFixture>
{
    public const string Name = "ILGPU CPU accelerator";
}

/// <summary>
/// The generated ILGPU forward kernel, run on ILGPU's CPU accelerator (as in every CI run), against the CPU SIMD
/// path. Both call the same Runtime op structs, so this checks the kernel's indexing and the shared math.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
[Trait("Category", "Gpu")]
public class GpuForwardTests(CpuAcceleratorFixture fixture)
{
    [Fact]
    public void Float_kernel_matches_cpu_forward()
    {
        const int batch = 37;
        var (pd, xd, _) = Numerics.NetworkChecks.RandomProblem<SmallClassifierDouble>(batch, seed: 21);
        float[] p = Array.ConvertAll(pd, v => (float)v), x = Array.ConvertAll(xd, v => (float)v);
        var expected = new float[batch * SmallClassifier.OutputSize];
        SmallClassifier.Forward(p, x, expected, batch);

        var kernel = fixture.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(SmallClassifier.GpuForward);
        using var parameters = fixture.Accelerator.Allocate1D(p);
        using var inputs = fixture.Accelerator.Allocate1D(x);
        using var scratch = fixture.Accelerator.Allocate1D<float>(batch * SmallClassifier.GpuScratchPerExample);
        using var outputs = fixture.Accelerator.Allocate1D<float>(expected.Length);
        kernel(batch, parameters.View, inputs.View, scratch.View, outputs.View);
        fixture.Accelerator.Synchronize();
        float[] actual = outputs.GetAsArray1D();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"output {i}: CPU {expected[i]}, kernel {actual[i]}");
        }
    }

    [Fact]
    public void Double_kernel_matches_cpu_forward_on_odd_shapes()
    {
        const int batch = 13;
        var (p, x, _) = Numerics.NetworkChecks.RandomProblem<OddShapes>(batch, seed: 22);
        var expected = new double[batch * OddShapes.OutputSize];
        OddShapes.Forward(p, x, expected, batch);

        var kernel = fixture.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(OddShapes.GpuForward);
        using var parameters = fixture.Accelerator.Allocate1D(p);
        using var inputs = fixture.Accelerator.Allocate1D(x);
        using var scratch = fixture.Accelerator.Allocate1D<double>(batch * OddShapes.GpuScratchPerExample);
        using var outputs = fixture.Accelerator.Allocate1D<double>(expected.Length);
        kernel(batch, parameters.View, inputs.View, scratch.View, outputs.View);
        fixture.Accelerator.Synchronize();
        double[] actual = outputs.GetAsArray1D();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}
