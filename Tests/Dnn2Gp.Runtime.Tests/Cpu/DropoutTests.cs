using System;
using Dnn2Gp.Runtime.Cpu;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>Dropout masks: reproducible, independent across seeds, layers, rows and units, dropping a fraction p.</summary>
public sealed class DropoutTests
{
    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Masks_drop_a_fraction_p_and_scale_the_rest(double rate)
    {
        const int n = 200, width = 250;
        var mask = new float[n * width];
        Dropout.FillMask(mask, start: 17, n, width, rate, seed: 3, layer: 5);
        int dropped = 0;
        float scale = (float)(1 / (1 - rate));
        for (int e = 0; e < n; e++)
        {
            for (int i = 0; i < width; i++)
            {
                float m = mask[e * width + i];
                Assert.True(m == 0 || m == scale, $"mask value {m}");
                Assert.Equal(m != 0, Dropout.Keep(3, 5, 17 + e, i, rate));
                if (m == 0) dropped++;
            }
        }
        double fraction = dropped / (double)(n * width);
        Assert.True(Math.Abs(fraction - rate) < 0.01, $"dropped {fraction:P2}, expected {rate:P0}");
    }

    [Fact]
    public void Masks_are_reproducible_and_differ_between_seeds_layers_and_rows()
    {
        const int width = 4096;
        var a = new double[width];
        var b = new double[width];
        Dropout.FillMask(a, 3, 1, width, 0.5, seed: 1, layer: 2);
        Dropout.FillMask(b, 3, 1, width, 0.5, seed: 1, layer: 2);
        Assert.Equal(a, b);
        foreach (var (seed, layer, row) in new[] { (2UL, 2, 3), (1UL, 3, 3), (1UL, 2, 4) })
        {
            Dropout.FillMask(b, row, 1, width, 0.5, seed, layer);
            int same = 0;
            for (int i = 0; i < width; i++) if (a[i] == b[i]) same++;
            Assert.InRange(same / (double)width, 0.45, 0.55);
        }
        var none = new double[8];
        Dropout.FillMask(none, 0, 1, 8, 0.0, 9, 0);
        Assert.All(none, v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void Invalid_rates_and_lengths_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.FillMask(new double[4], 0, 1, 4, 1.0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.FillMask(new double[4], 0, 1, 4, -0.1, 0, 0));
        Assert.Throws<ArgumentException>(() => Dropout.FillMask(new double[3], 0, 1, 4, 0.5, 0, 0));
        Assert.Throws<ArgumentException>(() => Dropout.Apply<double>(new double[4], new double[3], new double[4]));
    }
}
