using System;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>
/// Max and average pooling against plain loops (odd sizes, overlapping windows, LeNet's 2×2 fast path), and the tie
/// rule: the first maximal element of the window in row-major order (PyTorch's) gets the whole gradient.
/// </summary>
public sealed class PoolingTests
{
    private static Conv2DGeometry Pool(int c, int h, int w, int k, int s) =>
        new(c, h, w, c, (h - k) / s + 1, (w - k) / s + 1, k, k, s, s, 0, 0, 1, 1);

    [Theory]
    [InlineData(3, 7, 9, 3, 2)]
    [InlineData(2, 8, 8, 2, 2)]
    [InlineData(1, 5, 6, 2, 1)]
    [InlineData(4, 9, 5, 3, 3)]
    [InlineData(6, 24, 24, 2, 2)]
    public void Max_and_average_match_plain_loops(int c, int h, int w, int k, int s)
    {
        var g = Pool(c, h, w, k, s);
        Pooling.Validate(g);
        const int rows = 3;
        int inSize = c * h * w, outSize = c * g.OutHeight * g.OutWidth;
        var x = TestData.Uniform(rows * inSize, 1);
        var max = new double[rows * outSize];
        var avg = new double[rows * outSize];
        Pooling.MaxForward(g, x, max, rows);
        Pooling.AvgForward(g, x, avg, rows);
        var maxf = new float[rows * outSize];
        Pooling.MaxForward(g, Array.ConvertAll(x, v => (float)v), maxf, rows);
        for (int e = 0; e < rows; e++)
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        double m = double.NegativeInfinity, sum = 0;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                double v = x[e * inSize + (ch * h + oy * s + ky) * w + ox * s + kx];
                                m = Math.Max(m, v);
                                sum += v;
                            }
                        int at = e * outSize + (ch * g.OutHeight + oy) * g.OutWidth + ox;
                        Assert.Equal(m, max[at]);
                        Assert.Equal((float)m, maxf[at]);
                        Assert.Equal(sum / (k * k), avg[at], 14);
                    }

        // Backward: adjoint of the (piecewise) linear map for c = 2 rows per example.
        var dy = TestData.Uniform(rows * 2 * outSize, 2);
        var dx = new double[rows * 2 * inSize];
        Pooling.MaxBackward(g, x, dy, dx, rows, 2);
        var v2 = TestData.Uniform(rows * inSize, 3);
        var tangent = new double[rows * outSize];
        Pooling.MaxTangent(g, x, v2, tangent, rows);
        for (int e = 0; e < rows; e++)
            for (int r = 0; r < 2; r++)
            {
                double left = 0, right = 0;
                for (int i = 0; i < outSize; i++) left += tangent[e * outSize + i] * dy[(e * 2 + r) * outSize + i];
                for (int i = 0; i < inSize; i++) right += v2[e * inSize + i] * dx[(e * 2 + r) * inSize + i];
                Close(left, right);
            }
        var adx = new double[rows * inSize];
        Pooling.AvgBackward(g, dy.AsSpan(0, rows * outSize), adx, rows);
        var av = new double[rows * outSize];
        Pooling.AvgForward(g, v2, av, rows);
        Close(Dot(av, dy.AsSpan(0, rows * outSize)), Dot(v2, adx));
    }

    [Fact]
    public void Ties_go_to_the_first_maximum_in_row_major_order_and_nan_wins()
    {
        // One 2×2 window (LeNet's fast path) and one 3×3 window (the general path), each with a tie.
        foreach (var (g, x, winner) in new[]
        {
            (Pool(1, 2, 2, 2, 2), new[] { 0.5, 0.9, 0.9, 0.1 }, 1),
            (Pool(1, 3, 3, 3, 3), new[] { 0.2, 0.1, 0.7, 0.7, 0.7, -1.0, 0.3, 0.7, 0.0 }, 2),
        })
        {
            var y = new double[1];
            Pooling.MaxForward(g, x, y, 1);
            Assert.Equal(x[winner], y[0]);
            Assert.Equal(winner, Pooling.ArgMax(g, x, 0));
            var dx = new double[x.Length];
            Pooling.MaxBackward(g, x, new[] { 3.0 }, dx, 1, 1);
            for (int i = 0; i < x.Length; i++) Assert.Equal(i == winner ? 3.0 : 0.0, dx[i]);
            var t = new double[1];
            var tx = new double[x.Length];
            for (int i = 0; i < tx.Length; i++) tx[i] = 10 + i;
            Pooling.MaxTangent(g, x, tx, t, 1);
            Assert.Equal(10 + winner, t[0]);
        }
        var withNan = new[] { 0.5, double.NaN, 2.0, 1.0 };
        var output = new double[1];
        Pooling.MaxForward(Pool(1, 2, 2, 2, 2), withNan, output, 1);
        Assert.True(double.IsNaN(output[0]));
        Assert.Equal(1, Pooling.ArgMax(Pool(1, 2, 2, 2, 2), withNan, 0));
        var general = new[] { 0.5, 9.0, 2.0, 1.0, double.NaN, 3.0, 0.0, 0.0, 0.0 };
        Pooling.MaxForward(Pool(1, 3, 3, 3, 3), general, output, 1);
        Assert.True(double.IsNaN(output[0]));
    }

    [Theory]
    [InlineData(3, 6, 16)]
    [InlineData(6, 24, 24)]
    [InlineData(2, 5, 23)]
    [InlineData(16, 8, 8)]
    [InlineData(3, 2, 3)]
    [InlineData(3, 6, 8)]   // rows of 4 windows (two row pairs per vector), an odd number of row pairs
    [InlineData(1, 7, 9)]   // rows of 4 windows, untiled (the last row and column belong to no window)
    [InlineData(5, 2, 24)]  // rows of 12 windows (8 + a half), an odd number of row pairs
    public void Vectorised_float_paths_match_the_scalar_rule_with_many_ties_and_nans(int c, int h, int w)
    {
        // Values from {0, 1, 2, 3} (and some NaN) make most windows ties; the float paths (8 windows per vector) must
        // pick the same element as the scalar rule, which is checked on the same values in double.
        var g = Pool(c, h, w, 2, 2);
        const int rows = 3, seeds = 2;
        int inSize = c * h * w, outSize = c * g.OutHeight * g.OutWidth;
        var random = new Random(h * w);
        var x = new double[rows * inSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.Next(50) == 0 ? double.NaN : random.Next(4);
        var xf = Array.ConvertAll(x, v => (float)v);
        var y = new double[rows * outSize];
        var yf = new float[rows * outSize];
        Pooling.MaxForward(g, x, y, rows);
        Pooling.MaxForward(g, xf, yf, rows);
        for (int i = 0; i < y.Length; i++) Assert.True(y[i].Equals((double)yf[i]), $"max[{i}]: {yf[i]} vs {y[i]}");

        var dy = TestData.Uniform(rows * seeds * outSize, 4);
        var dyf = Array.ConvertAll(dy, v => (float)v);
        var dx = new double[rows * seeds * inSize];
        var dxf = new float[rows * seeds * inSize];
        Array.Fill(dxf, float.NaN);
        Pooling.MaxBackward(g, x, dy, dx, rows, seeds);
        Pooling.MaxBackward(g, xf, dyf, dxf, rows, seeds);
        for (int i = 0; i < dx.Length; i++) Assert.True((float)dx[i] == dxf[i], $"dx[{i}]: {dxf[i]} vs {dx[i]}");
        // Every window sends its gradient to exactly one element: the one ArgMax names.
        for (int e = 0; e < rows; e++)
            for (int win = 0; win < outSize; win++)
                Assert.Equal((float)dy[(e * seeds) * outSize + win], dxf[e * seeds * inSize + Pooling.ArgMax(g, xf.AsSpan(e * inSize, inSize), win)]);
    }

    [Fact]
    public void Overlapping_windows_add_their_gradients()
    {
        var g = Pool(1, 1, 3, 1, 1) with { KernelWidth = 2, OutWidth = 2 };
        var x = new[] { 0.0, 5.0, 1.0 };
        var dx = new double[3];
        Pooling.MaxBackward(g, x, new[] { 1.0, 2.0 }, dx, 1, 1);
        Assert.Equal(new[] { 0.0, 3.0, 0.0 }, dx);
    }

    [Fact]
    public void Unsupported_geometries_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Pooling.Validate(Pool(2, 6, 6, 2, 2) with { OutChannels = 3 }));
        Assert.Contains("keeps the channels", error.Message);
        Assert.Throws<ArgumentException>(() => Pooling.MaxForward(Pool(2, 6, 6, 2, 2), new double[71], new double[18], 1));
    }

    /// <summary>Equal to a relative 1e-11 (sums in different orders).</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
