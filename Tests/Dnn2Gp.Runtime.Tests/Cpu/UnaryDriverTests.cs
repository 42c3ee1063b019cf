using System;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Ops;
using Dnn2Gp.Runtime.Tests.Ops;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>
/// Driver mechanics. The per-op agreement of every SIMD path with the scalar oracle, for every length 0…256 and in
/// place, is in <see cref="OpContractTests{TOp}"/>.
/// </summary>
public sealed class UnaryDriverTests
{
    [Fact]
    public void NonVectorizableOp_UsesOnlyScalarMembers()
    {
        for (int n = 0; n <= 70; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: n);
            var y = new float[n];
            UnaryDriver.Apply<ScalarOnlySquare>(x, y);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(x[i] * x[i], y[i]);
            }
        }
    }

    [Fact]
    public void LengthMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => UnaryDriver.Apply<Relu>(new float[5], new float[4]));
        Assert.Equal("y", ex.ParamName);
        Assert.Contains("length 4", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => UnaryDriver.Apply<Relu>(new double[5], new double[6]));
    }

    [Fact]
    public void PartialOverlap_Throws_ButExactAliasingIsAllowed()
    {
        var buffer = new float[40];
        Assert.Throws<ArgumentException>(() => UnaryDriver.Apply<Tanh>(buffer.AsSpan(0, 32), buffer.AsSpan(1, 32)));
        UnaryDriver.Apply<Tanh>(buffer.AsSpan(4, 32), buffer.AsSpan(4, 32));
        UnaryDriver.Apply<Tanh>(buffer.AsSpan(0, 16), buffer.AsSpan(16, 16));
    }

    [Fact]
    public void Apply_PropagatesNaN_InEveryPath()
    {
        for (int n = 1; n <= 40; n++)
        {
            var x = new float[n];
            x[n - 1] = float.NaN;
            var y = new float[n];
            UnaryDriver.Apply<Gelu>(x, y);
            Assert.True(float.IsNaN(y[n - 1]), $"length {n}");
            UnaryDriver.Apply<Relu>(x, y);
            Assert.True(float.IsNaN(y[n - 1]), $"length {n}");
        }
    }
}
