using System;
using System.Collections.Generic;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

/// <summary>
/// Conv2D and Im2Col against a direct seven-loop convolution in double, on odd sizes with stride, padding, dilation,
/// rectangular images, 1×1 kernels (the no-unfold path) and no bias; the backward passes against the adjoint identities
/// ⟨conv(x), dy⟩ = ⟨x, dX⟩ and = ⟨W, dW⟩ (bias: the sums of dy).
/// </summary>
public sealed class Conv2DTests
{
    public static IEnumerable<object[]> Geometries()
    {
        // cin, h, w, cout, k, stride, padding, dilation
        yield return [1, 7, 7, 2, 3, 1, 0, 1];
        yield return [3, 9, 8, 4, 3, 2, 1, 1];
        yield return [2, 11, 6, 3, 3, 1, 2, 2];
        yield return [2, 6, 13, 5, 2, 3, 0, 1];
        yield return [4, 5, 5, 3, 1, 1, 0, 1];
        yield return [3, 5, 7, 2, 1, 2, 1, 1];
        yield return [1, 28, 28, 6, 5, 1, 0, 1];
        yield return [5, 4, 4, 7, 4, 1, 0, 1];
    }

    private static Conv2DGeometry Make(int cin, int h, int w, int cout, int k, int s, int p, int d) =>
        new(cin, h, w, cout, Conv2D.OutputLength(h, k, s, p, d), Conv2D.OutputLength(w, k, s, p, d), k, k, s, s, p, p, d, d);

    /// <summary>The convolution written out: z[o, oy, ox] = b[o] + Σ W[o, c, ky, kx] x[c, oy·s − p + ky·d, ox·s − p + kx·d].</summary>
    internal static double[] Naive(Conv2DGeometry g, double[] x, double[] weight, double[]? bias, int rows)
    {
        int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = g.OutChannels * g.OutHeight * g.OutWidth;
        var z = new double[rows * outSize];
        for (int e = 0; e < rows; e++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        double sum = bias is null ? 0 : bias[o];
                        for (int c = 0; c < g.InChannels; c++)
                            for (int ky = 0; ky < g.KernelHeight; ky++)
                                for (int kx = 0; kx < g.KernelWidth; kx++)
                                {
                                    int iy = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                                    int ix = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                                    if (iy < 0 || iy >= g.InHeight || ix < 0 || ix >= g.InWidth) continue;
                                    sum += weight[((o * g.InChannels + c) * g.KernelHeight + ky) * g.KernelWidth + kx] * x[e * inSize + (c * g.InHeight + iy) * g.InWidth + ix];
                                }
                        z[e * outSize + (o * g.OutHeight + oy) * g.OutWidth + ox] = sum;
                    }
        return z;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_the_direct_convolution(int cin, int h, int w, int cout, int k, int s, int p, int d)
    {
        var g = Make(cin, h, w, cout, k, s, p, d);
        Conv2D.Validate(g);
        const int rows = 3;
        var x = TestData.Uniform(rows * Conv2D.InputSize(g), 1);
        var weight = TestData.Uniform(Conv2D.WeightSize(g), 2);
        var bias = TestData.Uniform(cout, 3);
        var expected = Naive(g, x, weight, bias, rows);

        var z = new double[expected.Length];
        Conv2D.Forward(g, x, weight, bias, z, rows);
        for (int i = 0; i < z.Length; i++) Assert.True(Math.Abs(expected[i] - z[i]) < 1e-12, $"{g}: z[{i}] = {z[i]}, expected {expected[i]}");

        // No bias, accumulating onto what is there.
        var start = TestData.Uniform(expected.Length, 4);
        var accumulated = (double[])start.Clone();
        Conv2D.Forward(g, x, weight, default, accumulated, rows, accumulate: true);
        var noBias = Naive(g, x, weight, null, rows);
        for (int i = 0; i < z.Length; i++) Assert.True(Math.Abs(start[i] + noBias[i] - accumulated[i]) < 1e-12, $"{g}: accumulated z[{i}]");

        // Float agrees to float precision.
        var zf = new float[expected.Length];
        Conv2D.Forward(g, Array.ConvertAll(x, v => (float)v), Array.ConvertAll(weight, v => (float)v), Array.ConvertAll(bias, v => (float)v), zf, rows);
        for (int i = 0; i < zf.Length; i++) Assert.True(Math.Abs(expected[i] - zf[i]) < 1e-5 * (1 + Math.Abs(expected[i])), $"{g}: float z[{i}]");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_passes_are_the_adjoints_of_the_forward_pass(int cin, int h, int w, int cout, int k, int s, int p, int d)
    {
        var g = Make(cin, h, w, cout, k, s, p, d);
        const int rows = 2;
        int inSize = Conv2D.InputSize(g), outSize = Conv2D.OutputSize(g);
        var x = TestData.Uniform(rows * inSize, 5);
        var weight = TestData.Uniform(Conv2D.WeightSize(g), 6);
        var dy = TestData.Uniform(rows * outSize, 7);

        var dx = new double[rows * inSize];
        Conv2D.BackwardInput(g, dy, weight, dx, rows);
        var dw = new double[weight.Length];
        var db = new double[cout];
        Conv2D.BackwardWeight(g, x, dy, dw, db, rows);

        // dX: for every input pixel i, ⟨conv(eᵢ), dy⟩ — checked through random directions v: ⟨conv(v), dy⟩ = ⟨v, dX⟩.
        for (int trial = 0; trial < 4; trial++)
        {
            var v = TestData.Uniform(rows * inSize, 100 + trial);
            var zv = Naive(g, v, weight, null, rows);
            Close(Dot(zv, dy), Dot(v, dx));
            var u = TestData.Uniform(weight.Length, 200 + trial);
            var zu = Naive(g, x, u, null, rows);
            Close(Dot(zu, dy), Dot(u, dw));
        }
        for (int o = 0; o < cout; o++)
        {
            double sum = 0;
            for (int e = 0; e < rows; e++)
                for (int q = 0; q < g.Positions; q++) sum += dy[e * outSize + o * g.Positions + q];
            Close(sum, db[o]);
        }

        // Accumulate adds; an empty bias span is allowed.
        var twice = (double[])dw.Clone();
        Conv2D.BackwardWeight(g, x, dy, twice, default, rows, accumulate: true);
        for (int i = 0; i < dw.Length; i++) Close(2 * dw[i], twice[i]);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Unfold_and_fold_are_adjoint_and_match_the_definition(int cin, int h, int w, int cout, int k, int s, int p, int d)
    {
        var g = Make(cin, h, w, cout, k, s, p, d);
        int inSize = Conv2D.InputSize(g), positions = g.Positions, patch = g.PatchSize, ld = positions + 3;
        var x = TestData.Uniform(inSize, 9);
        var u = new double[patch * ld];
        Array.Fill(u, double.NaN);
        Im2Col.Unfold(g, x, u, ld);
        for (int c = 0; c < cin; c++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++)
                    for (int oy = 0; oy < g.OutHeight; oy++)
                        for (int ox = 0; ox < g.OutWidth; ox++)
                        {
                            int iy = oy * s - p + ky * d, ix = ox * s - p + kx * d;
                            double expected = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x[(c * h + iy) * w + ix];
                            Assert.Equal(expected, u[((c * k + ky) * k + kx) * ld + oy * g.OutWidth + ox]);
                        }
        var cols = TestData.Uniform(patch * ld, 10);
        var folded = new double[inSize];
        Im2Col.FoldAdd(g, cols, ld, folded);
        double left = 0;
        for (int q = 0; q < patch; q++)
            for (int j = 0; j < positions; j++) left += u[q * ld + j] * cols[q * ld + j];
        Close(left, Dot(x, folded));
    }

    public static IEnumerable<object[]> StrideOneGeometries()
    {
        // cin, h, w, cout, k, padding, dilation: LeNet's two (no copy), partial vectors and channel blocks, an output
        // narrower than a vector, exactly two vectors, padding beyond the kernel span (input gradient by unfolding), CifarNet's.
        yield return [1, 28, 28, 6, 5, 0, 1];
        yield return [6, 12, 12, 16, 5, 0, 1];
        yield return [3, 9, 11, 5, 3, 1, 1];
        yield return [2, 7, 5, 3, 3, 2, 2];
        yield return [4, 6, 20, 9, 3, 0, 2];
        yield return [3, 5, 5, 2, 1, 3, 1];
        yield return [32, 15, 15, 64, 3, 1, 1];
        yield return [2, 5, 7, 6, 3, 0, 1];     // 6-channel blocks with an odd last vector
        yield return [3, 8, 10, 9, 3, 1, 1];    // 6-channel blocks, the last one partial
        yield return [2, 6, 8, 5, 3, 1, 1];     // small map, rows of one vector, padding (channel-vector input gradient)
        yield return [3, 7, 16, 17, 3, 2, 2];   // small map, two vectors a row, padding and dilation, a partial channel pair
    }

    /// <summary>dW and dX of the convolution written out (the definitions, not the adjoint identities).</summary>
    private static (double[] Dw, double[] Dx) NaiveBackward(Conv2DGeometry g, double[] x, double[] weight, double[] dy, int rows)
    {
        int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = g.OutChannels * g.OutHeight * g.OutWidth;
        var dw = new double[weight.Length];
        var dx = new double[rows * inSize];
        for (int e = 0; e < rows; e++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oy = 0; oy < g.OutHeight; oy++)
                    for (int ox = 0; ox < g.OutWidth; ox++)
                    {
                        double d = dy[e * outSize + (o * g.OutHeight + oy) * g.OutWidth + ox];
                        for (int c = 0; c < g.InChannels; c++)
                            for (int ky = 0; ky < g.KernelHeight; ky++)
                                for (int kx = 0; kx < g.KernelWidth; kx++)
                                {
                                    int iy = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                                    int ix = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                                    if (iy < 0 || iy >= g.InHeight || ix < 0 || ix >= g.InWidth) continue;
                                    int wi = ((o * g.InChannels + c) * g.KernelHeight + ky) * g.KernelWidth + kx;
                                    int xi = e * inSize + (c * g.InHeight + iy) * g.InWidth + ix;
                                    dw[wi] += d * x[xi];
                                    dx[xi] += d * weight[wi];
                                }
                    }
        return (dw, dx);
    }

    [Theory]
    [MemberData(nameof(StrideOneGeometries))]
    public void Float_kernels_match_the_written_out_convolution_and_its_gradients(int cin, int h, int w, int cout, int k, int p, int d)
    {
        var g = Make(cin, h, w, cout, k, 1, p, d);
        const int rows = 3;
        var x = TestData.Uniform(rows * Conv2D.InputSize(g), 11);
        var weight = TestData.Uniform(Conv2D.WeightSize(g), 12);
        var bias = TestData.Uniform(cout, 13);
        var dy = TestData.Uniform(rows * Conv2D.OutputSize(g), 14);
        var z = Naive(g, x, weight, bias, rows);
        var (dw, dx) = NaiveBackward(g, x, weight, dy, rows);
        var db = new double[cout];
        for (int e = 0; e < rows; e++)
            for (int o = 0; o < cout; o++)
                for (int q = 0; q < g.Positions; q++) db[o] += dy[e * Conv2D.OutputSize(g) + o * g.Positions + q];
        float[] F(double[] v) => Array.ConvertAll(v, a => (float)a);
        void Near(double[] expected, float[] actual, string what, double scale)
        {
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 * scale, $"{g}: {what}[{i}] = {actual[i]}, expected {expected[i]}");
        }
        double zScale = 1 + g.PatchSize, wScale = 1 + rows * g.Positions, xScale = 1 + g.OutChannels * g.KernelHeight * g.KernelWidth;

        // The public entry points (direct kernels where they apply) and the unfolded reference path, in float.
        foreach (bool unfolded in new[] { false, true })
        {
            string path = unfolded ? "unfolded" : "direct";
            var zf = new float[z.Length];
            if (unfolded) Conv2D.ForwardUnfolded(g, F(x), F(weight), F(bias), zf, rows);
            else Conv2D.Forward(g, F(x), F(weight), F(bias), zf, rows);
            Near(z, zf, path + " z", zScale);
            var twice = (float[])zf.Clone();
            if (unfolded) Conv2D.ForwardUnfolded(g, F(x), F(weight), default, twice, rows, accumulate: true);
            else Conv2D.Forward(g, F(x), F(weight), default, twice, rows, accumulate: true);
            var noBias = Naive(g, x, weight, null, rows);
            for (int i = 0; i < z.Length; i++) noBias[i] += z[i];
            Near(noBias, twice, path + " accumulated z", 2 * zScale);

            var dwf = new float[dw.Length];
            var dbf = new float[cout];
            if (unfolded) Conv2D.BackwardWeightUnfolded(g, F(x), F(dy), dwf, dbf, rows);
            else Conv2D.BackwardWeight(g, F(x), F(dy), dwf, dbf, rows);
            Near(dw, dwf, path + " dW", wScale);
            Near(db, dbf, path + " db", wScale);
            if (!unfolded)
            {
                Conv2D.BackwardWeight(g, F(x), F(dy), dwf, dbf, rows, accumulate: true);
                Near(Array.ConvertAll(dw, v => 2 * v), dwf, "accumulated dW", 2 * wScale);

                // Both direct weight-gradient kernels, whichever the dispatch picks for this shape, overwriting and accumulating.
                foreach (bool channels in DirectConv2D.Supports(g) ? new[] { false, true } : [])
                {
                    string kernel = channels ? "channel-vector" : "position-vector";
                    for (int pass = 0; pass < 2; pass++)
                    {
                        if (channels) ChannelVectorConv2D.WeightGradient(g, F(x), F(dy), dwf, rows, accumulate: pass == 1, separate: false);
                        else DirectConv2D.WeightGradient(g, F(x), F(dy), dwf, rows, accumulate: pass == 1);
                    }
                    Near(Array.ConvertAll(dw, v => 2 * v), dwf, kernel + " dW, accumulated", 2 * wScale);

                    // One block per image (the per-example derivatives of the curvature rules).
                    var blocks = new float[rows * dw.Length];
                    if (channels) ChannelVectorConv2D.WeightGradient(g, F(x), F(dy), blocks, rows, accumulate: false, separate: true);
                    else DirectConv2D.WeightGradient(g, F(x), F(dy), blocks, rows, accumulate: false, separate: true);
                    int inSize = Conv2D.InputSize(g), outSize = Conv2D.OutputSize(g);
                    for (int e = 0; e < rows; e++)
                    {
                        var (dwe, _) = NaiveBackward(g, x[(e * inSize)..((e + 1) * inSize)], weight, dy[(e * outSize)..((e + 1) * outSize)], 1);
                        Near(dwe, blocks[(e * dw.Length)..((e + 1) * dw.Length)], $"{kernel} dW of image {e} alone", 1 + g.Positions);
                    }
                }
            }

            var dxf = new float[dx.Length];
            Array.Fill(dxf, float.NaN);
            if (unfolded) Conv2D.BackwardInputUnfolded(g, F(dy), F(weight), dxf, rows);
            else Conv2D.BackwardInput(g, F(dy), F(weight), dxf, rows);
            Near(dx, dxf, path + " dX", xScale);
        }

        // Both direct forward kernels, whichever the dispatch picks: with the bias, accumulated without it, accumulated with it.
        foreach (bool channels in DirectConv2D.Supports(g) ? new[] { false, true } : [])
        {
            string kernel = channels ? "channel-vector" : "position-vector";
            void Run(float[] bias32, float[] output, bool accumulate)
            {
                if (channels) ChannelVectorConv2D.Forward(g, F(x), F(weight), bias32, output, rows, accumulate);
                else DirectConv2D.Forward(g, F(x), F(weight), bias32, output, rows, accumulate);
            }
            var zf = new float[z.Length];
            Run(F(bias), zf, accumulate: false);
            Near(z, zf, kernel + " z", zScale);
            Run([], zf, accumulate: true);
            var expected = Naive(g, x, weight, null, rows);
            for (int i = 0; i < z.Length; i++) expected[i] += z[i];
            Near(expected, zf, kernel + " accumulated z", 2 * zScale);
            Run(F(bias), zf, accumulate: true);
            for (int i = 0; i < z.Length; i++) expected[i] += z[i];
            Near(expected, zf, kernel + " accumulated z with the bias", 3 * zScale);
        }

        // Both direct input-gradient kernels where they apply, whichever the dispatch picks.
        if (DirectConv2D.SupportsInputGradient(g))
        {
            var dxf = new float[dx.Length];
            Array.Fill(dxf, float.NaN);
            DirectConv2D.BackwardInput(g, F(dy), F(weight), dxf, rows);
            Near(dx, dxf, "position-vector dX", xScale);
        }
        if (DirectConv2D.Supports(g) && g.OutWidth % 8 == 0)
        {
            var dxf = new float[dx.Length];
            Array.Fill(dxf, float.NaN);
            ChannelVectorConv2D.BackwardInput(g, F(dy), F(weight), dxf, rows);
            Near(dx, dxf, "channel-vector dX", xScale);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_before_any_work()
    {
        var g = Make(2, 5, 5, 3, 3, 1, 0, 1);
        var error = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, new double[49], new double[54], default, new double[27], 1));
        Assert.Contains("'input' has 49 elements", error.Message);
        error = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, new double[50], new double[53], default, new double[27], 1));
        Assert.Contains("[3, 2, 3, 3] needs 54", error.Message);
        error = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, new double[50], new double[54], new double[2], new double[27], 1));
        Assert.Contains("3 output channels", error.Message);
        error = Assert.Throws<ArgumentException>(() => Conv2D.Validate(g with { OutHeight = 4 }));
        Assert.Contains("give 3×3", error.Message);
    }

    /// <summary>Equal to a relative 1e-11 (sums in different orders).</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
