using System;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Ops;
using Dnn2Gp.Runtime.Tests.Ops;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>
/// Driver mechanics. The per-op agreement of every SIMD path with the scalar oracle, for every length 0…256 and with
/// dx aliasing dy, is in <see cref="OpContractTests{TOp}"/>.
/// </summary>
public sealed class BackwardDriverTests
{
    [Fact]
    public void NonVectorizableOp_UsesOnlyScalarMembers()
    {
        for (int n = 0; n <= 70; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: n);
            float[] dy = OpTestSupport.Uniform(n, seed: 100 + n);
            var dx = new float[n];
            BackwardDriver.Apply<ScalarOnlySquare>(x, x, dy, dx);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(dy[i] * (2f * x[i]), dx[i]);
            }
        }
    }

    [Fact]
    public void DxMayAliasAnyInput()
    {
        for (int n = 0; n <= 70; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: n);
            float[] y = Array.ConvertAll(x, Tanh.Value);
            float[] dy = OpTestSupport.Uniform(n, seed: 200 + n);
            var expected = new float[n];
            BackwardDriver.Apply<Tanh>(x, y, dy, expected);

            float[] aliasX = (float[])x.Clone();
            BackwardDriver.Apply<Tanh>(aliasX, y, dy, aliasX);
            Assert.Equal(expected, aliasX);

            float[] aliasY = (float[])y.Clone();
            BackwardDriver.Apply<Tanh>(x, aliasY, dy, aliasY);
            Assert.Equal(expected, aliasY);
        }
    }

    [Fact]
    public void LengthMismatch_NamesTheSpan()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BackwardDriver.Apply<Relu>(new float[4], new float[3], new float[4], new float[4])).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => BackwardDriver.Apply<Relu>(new float[4], new float[4], new float[5], new float[4])).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => BackwardDriver.Apply<Relu>(new double[4], new double[4], new double[4], new double[2])).ParamName);
    }

    [Fact]
    public void PartialOverlap_Throws()
    {
        var buffer = new float[40];
        var other = new float[32];
        Assert.Throws<ArgumentException>(() => BackwardDriver.Apply<Tanh>(other, other, buffer.AsSpan(0, 32), buffer.AsSpan(2, 32)));
    }
}
