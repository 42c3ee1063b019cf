using System;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Ops;
using Dnn2Gp.Runtime.Tests.Ops;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>BiasDriver against plain loops on odd shapes (rows 1…5, cols 1…37 and a few wide ones), with aliasing.</summary>
public sealed class BiasDriverTests
{
    private static readonly int[] Widths = [.. Range(1, 37), 63, 64, 65, 129];

    [Fact]
    public void AddBias_MatchesLoop()
    {
        foreach ((int rows, int cols) in Shapes())
        {
            float[] z = OpTestSupport.Inputs(rows * cols, seed: rows * 100 + cols);
            float[] bias = OpTestSupport.Uniform(cols, seed: cols);
            float[] expected = (float[])z.Clone();
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < cols; j++)
                {
                    expected[r * cols + j] += bias[j];
                }
            }

            BiasDriver.AddBias(z, bias, rows);
            Assert.Equal(expected, z);

            double[] z0 = Array.ConvertAll(OpTestSupport.Inputs(rows * cols, seed: rows * 100 + cols), v => (double)v);
            double[] zd = (double[])z0.Clone();
            double[] biasd = Array.ConvertAll(bias, v => (double)v);
            BiasDriver.AddBias(zd, biasd, rows);
            for (int i = 0; i < zd.Length; i++)
            {
                Assert.Equal(z0[i] + biasd[i % cols], zd[i]);
            }
        }
    }

    [Fact]
    public void AddBiasAndApply_MatchesLoop()
    {
        CheckAddBiasAndApply<Identity>();
        CheckAddBiasAndApply<Relu>();
        CheckAddBiasAndApply<Tanh>();
        CheckAddBiasAndApply<Gelu>();
    }

    [Fact]
    public void AddBiasAndApply_Double_MatchesLoop()
    {
        foreach ((int rows, int cols) in Shapes())
        {
            double[] z = Array.ConvertAll(OpTestSupport.Inputs(rows * cols, seed: rows + cols), v => (double)v);
            double[] bias = Array.ConvertAll(OpTestSupport.Uniform(cols, seed: cols), v => (double)v);
            double[] zExpected = new double[z.Length];
            double[] aExpected = new double[z.Length];
            for (int i = 0; i < z.Length; i++)
            {
                zExpected[i] = z[i] + bias[i % cols];
                aExpected[i] = Softplus.Value(zExpected[i]);
            }

            double[] a = new double[z.Length];
            double[] zAlias = (double[])z.Clone();
            BiasDriver.AddBiasAndApply<Softplus>(z, bias, rows, a);
            BiasDriver.AddBiasAndApply<Softplus>(zAlias, bias, rows, zAlias);
            Assert.Equal(zExpected, z);
            Assert.Equal(aExpected, a);
            Assert.Equal(aExpected, zAlias);
        }
    }

    [Fact]
    public void SumRows_MatchesLoop()
    {
        foreach ((int rows, int cols) in Shapes())
        {
            float[] dz = OpTestSupport.Uniform(rows * cols, seed: rows * 7 + cols);
            float[] result = new float[cols];
            result.AsSpan().Fill(123f); // overwritten, not accumulated into
            BiasDriver.SumRows(dz, rows, cols, result);

            double[] dzd = Array.ConvertAll(dz, v => (double)v);
            double[] resultd = new double[cols];
            resultd.AsSpan().Fill(123.0);
            BiasDriver.SumRows(dzd, rows, cols, resultd);
            for (int j = 0; j < cols; j++)
            {
                double sum = 0.0;
                for (int r = 0; r < rows; r++)
                {
                    sum += dz[r * cols + j];
                }

                Assert.Equal(sum, result[j], 5e-6);
                Assert.Equal(sum, resultd[j], 1e-14);
            }
        }

        float[] empty = [1f, 2f];
        BiasDriver.SumRows([], 0, 2, empty);
        Assert.Equal([0f, 0f], empty);
    }

    [Fact]
    public void ShapeMismatch_Throws_WithClearMessages()
    {
        var ex = Assert.Throws<ArgumentException>(() => BiasDriver.AddBias(new float[10], new float[3], 3));
        Assert.Equal("z", ex.ParamName);
        Assert.Contains("3 × 3 = 9", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => BiasDriver.AddBias(Span<float>.Empty, new float[3], -1));
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => BiasDriver.AddBiasAndApply<Relu>(new float[6], new float[3], 2, new float[5])).ParamName);
        var buffer = new float[8];
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => BiasDriver.AddBiasAndApply<Relu>(buffer.AsSpan(0, 6), new float[3], 2, buffer.AsSpan(1, 6))).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentException>(() => BiasDriver.SumRows(new float[6], 2, 3, new float[2])).ParamName);
        Assert.Equal("dz", Assert.Throws<ArgumentException>(() => BiasDriver.SumRows(new double[7], 2, 3, new double[3])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => BiasDriver.SumRows(ReadOnlySpan<float>.Empty, 0, -1, Span<float>.Empty));
    }

    private static void CheckAddBiasAndApply<TOp>()
        where TOp : struct, IVectorOp<TOp>
    {
        string op = typeof(TOp).Name;
        foreach ((int rows, int cols) in Shapes())
        {
            float[] z0 = OpTestSupport.Inputs(rows * cols, seed: rows * 1000 + cols);
            float[] bias = OpTestSupport.Uniform(cols, seed: cols + 1);
            var zExpected = new float[z0.Length];
            var aExpected = new float[z0.Length];
            for (int i = 0; i < z0.Length; i++)
            {
                zExpected[i] = z0[i] + bias[i % cols];
                aExpected[i] = TOp.Value(zExpected[i]);
            }

            float[] z = (float[])z0.Clone();
            var a = new float[z0.Length];
            BiasDriver.AddBiasAndApply<TOp>(z, bias, rows, a);
            Assert.Equal(zExpected, z);
            float[] aliased = (float[])z0.Clone();
            BiasDriver.AddBiasAndApply<TOp>(aliased, bias, rows, aliased);
            for (int i = 0; i < z0.Length; i++)
            {
                OpTestSupport.AssertClose(op, $"AddBiasAndApply [{rows}×{cols}]", z0.Length, i, zExpected[i], aExpected[i], a[i], 1e-6, 1e-35);
                OpTestSupport.AssertClose(op, $"AddBiasAndApply in place [{rows}×{cols}]", z0.Length, i, zExpected[i], aExpected[i], aliased[i], 1e-6, 1e-35);
            }
        }
    }

    private static (int Rows, int Cols)[] Shapes()
    {
        var shapes = new System.Collections.Generic.List<(int, int)>();
        for (int rows = 1; rows <= 5; rows++)
        {
            foreach (int cols in Widths)
            {
                shapes.Add((rows, cols));
            }
        }

        shapes.Add((0, 4));
        return [.. shapes];
    }

    private static int[] Range(int from, int to)
    {
        var values = new int[to - from + 1];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = from + i;
        }

        return values;
    }
}
