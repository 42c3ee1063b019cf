using System;
using System.Buffers;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// 2-D max and average pooling on rows of NCHW images (PyTorch's <c>nn.MaxPool2d</c> / <c>nn.AvgPool2d</c> with kernel
/// and stride, no padding, floor mode), with their backward passes for gradients and for the c seeded factors of
/// curvature passes, and the forward-mode tangent of max pooling. The geometry is a <see cref="Conv2DGeometry"/> with
/// InChannels = OutChannels, no padding and dilation 1.
/// </summary>
/// <remarks>
/// Ties: the maximum of a window is the first maximal element in row-major order of the window (PyTorch's CPU rule),
/// and the gradient goes to it alone. A NaN in a window is its maximum (PyTorch propagates NaN). Windows may overlap
/// (stride &lt; kernel): their gradients add.
/// </remarks>
public static class Pooling
{
    /// <summary>Writes the window maxima of <paramref name="rows"/> images into <paramref name="output"/>.</summary>
    public static void MaxForward<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, Span<T> output, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, input.Length, output.Length, rows);
        int inSize = InSize(g), outSize = OutSize(g);
        for (int e = 0; e < rows; e++)
        {
            ReadOnlySpan<T> x = input.Slice(e * inSize, inSize);
            Span<T> y = output.Slice(e * outSize, outSize);
            if (g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2)
            {
                Max2x2(g, x, y);
                continue;
            }
            for (int w = 0; w < outSize; w++) y[w] = x[ArgMax(g, x, w)];
        }
    }

    /// <summary>
    /// Back-propagates through max pooling: for each example e of <paramref name="n"/> and each of its <paramref name="c"/>
    /// rows r, dInput[e, r] = Σ over windows of dOutput[e, r, window] at the window's argmax in example e's input.
    /// Overwrites <paramref name="inputGradient"/> [n, c, InSize]; <paramref name="outputGradient"/> is [n, c, OutSize].
    /// </summary>
    public static void MaxBackward<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int n, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, input.Length, int.MaxValue, n);
        int inSize = InSize(g), outSize = OutSize(g);
        CheckRows(outputGradient.Length, (long)n * c * outSize, nameof(outputGradient));
        CheckRows(inputGradient.Length, (long)n * c * inSize, nameof(inputGradient));
        int[] argmax = ArrayPool<int>.Shared.Rent(Math.Max(1, outSize));
        try
        {
            inputGradient.Slice(0, n * c * inSize).Clear();
            for (int e = 0; e < n; e++)
            {
                ReadOnlySpan<T> x = input.Slice(e * inSize, inSize);
                for (int w = 0; w < outSize; w++) argmax[w] = ArgMax(g, x, w);
                for (int r = 0; r < c; r++)
                {
                    ReadOnlySpan<T> dy = outputGradient.Slice((e * c + r) * outSize, outSize);
                    Span<T> dx = inputGradient.Slice((e * c + r) * inSize, inSize);
                    for (int w = 0; w < outSize; w++) dx[argmax[w]] += dy[w];
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(argmax);
        }
    }

    /// <summary>Forward-mode tangent of max pooling: tangentOutput[e, window] = tangentInput[e, argmax of input e's window].</summary>
    public static void MaxTangent<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> tangentInput, Span<T> tangentOutput, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, input.Length, tangentOutput.Length, rows);
        Check(g, tangentInput.Length, int.MaxValue, rows);
        int inSize = InSize(g), outSize = OutSize(g);
        for (int e = 0; e < rows; e++)
        {
            ReadOnlySpan<T> x = input.Slice(e * inSize, inSize);
            ReadOnlySpan<T> tx = tangentInput.Slice(e * inSize, inSize);
            Span<T> ty = tangentOutput.Slice(e * outSize, outSize);
            for (int w = 0; w < outSize; w++) ty[w] = tx[ArgMax(g, x, w)];
        }
    }

    /// <summary>Writes the window means of <paramref name="rows"/> images (also the tangent map, which is linear).</summary>
    public static void AvgForward<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, Span<T> output, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, input.Length, output.Length, rows);
        int inSize = InSize(g), outSize = OutSize(g), kh = g.KernelHeight, kw = g.KernelWidth;
        T scale = T.One / T.CreateTruncating(kh * kw);
        for (int e = 0; e < rows; e++)
        {
            ReadOnlySpan<T> x = input.Slice(e * inSize, inSize);
            Span<T> y = output.Slice(e * outSize, outSize);
            for (int w = 0; w < outSize; w++)
            {
                var (start, _) = Window(g, w);
                T sum = T.Zero;
                for (int ky = 0; ky < kh; ky++)
                {
                    for (int kx = 0; kx < kw; kx++) sum += x[start + ky * g.InWidth + kx];
                }
                y[w] = sum * scale;
            }
        }
    }

    /// <summary>Spreads each output gradient evenly over its window: overwrites <paramref name="inputGradient"/> [rows, InSize].</summary>
    public static void AvgBackward<T>(in Conv2DGeometry g, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, inputGradient.Length, outputGradient.Length, rows);
        int inSize = InSize(g), outSize = OutSize(g), kh = g.KernelHeight, kw = g.KernelWidth;
        T scale = T.One / T.CreateTruncating(kh * kw);
        inputGradient.Slice(0, rows * inSize).Clear();
        for (int e = 0; e < rows; e++)
        {
            ReadOnlySpan<T> dy = outputGradient.Slice(e * outSize, outSize);
            Span<T> dx = inputGradient.Slice(e * inSize, inSize);
            for (int w = 0; w < outSize; w++)
            {
                var (start, _) = Window(g, w);
                T share = dy[w] * scale;
                for (int ky = 0; ky < kh; ky++)
                {
                    for (int kx = 0; kx < kw; kx++) dx[start + ky * g.InWidth + kx] += share;
                }
            }
        }
    }

    /// <summary>The index, within one image, of the first maximal element of output window <paramref name="w"/> (NaN wins).</summary>
    public static int ArgMax<T>(in Conv2DGeometry g, ReadOnlySpan<T> image, int w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, _) = Window(g, w);
        int best = start;
        T max = image[start];
        if (T.IsNaN(max)) return best;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int rowStart = start + ky * g.InWidth;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                T v = image[rowStart + kx];
                if (v > max || T.IsNaN(v))
                {
                    max = v;
                    best = rowStart + kx;
                    if (T.IsNaN(v)) return best;
                }
            }
        }
        return best;
    }

    /// <summary>Checks that a pooling geometry is supported: same channels in and out, no padding, dilation 1, PyTorch's output size.</summary>
    public static void Validate(in Conv2DGeometry g)
    {
        if (g.InChannels != g.OutChannels || g.PaddingHeight != 0 || g.PaddingWidth != 0 || g.DilationHeight != 1 || g.DilationWidth != 1)
            throw new ArgumentException($"A pooling geometry keeps the channels and has no padding or dilation, but it is {g}.", nameof(g));
        Conv2D.Validate(g);
    }

    /// <summary>The first input index of output window <paramref name="w"/> (channel, oy, ox) and its channel.</summary>
    private static (int Start, int Channel) Window(in Conv2DGeometry g, int w)
    {
        int positions = g.OutHeight * g.OutWidth;
        int ch = w / positions, p = w - ch * positions;
        int oy = p / g.OutWidth, ox = p - oy * g.OutWidth;
        return ((ch * g.InHeight + oy * g.StrideHeight) * g.InWidth + ox * g.StrideWidth, ch);
    }

    /// <summary>2×2 windows at stride 2 (LeNet's pooling): the same first-max rule, unrolled.</summary>
    private static void Max2x2<T>(in Conv2DGeometry g, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        for (int ch = 0; ch < g.InChannels; ch++)
        {
            ReadOnlySpan<T> plane = x.Slice(ch * inH * inW, inH * inW);
            Span<T> dst = y.Slice(ch * outH * outW, outH * outW);
            for (int oy = 0; oy < outH; oy++)
            {
                ReadOnlySpan<T> r0 = plane.Slice(2 * oy * inW, inW);
                ReadOnlySpan<T> r1 = plane.Slice((2 * oy + 1) * inW, inW);
                Span<T> d = dst.Slice(oy * outW, outW);
                for (int ox = 0; ox < outW; ox++)
                {
                    T a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], e = r1[2 * ox + 1];
                    T m = a;
                    if (b > m || T.IsNaN(b)) m = T.IsNaN(m) ? m : b;
                    if (c > m || T.IsNaN(c)) m = T.IsNaN(m) ? m : c;
                    if (e > m || T.IsNaN(e)) m = T.IsNaN(m) ? m : e;
                    d[ox] = m;
                }
            }
        }
    }

    private static int InSize(in Conv2DGeometry g) => g.InChannels * g.InHeight * g.InWidth;

    private static int OutSize(in Conv2DGeometry g) => g.OutChannels * g.OutHeight * g.OutWidth;

    private static void Check(in Conv2DGeometry g, int inputLength, int outputLength, int rows)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The number of rows must be zero or positive.");
        CheckRows(inputLength, (long)rows * InSize(g), "input");
        if (outputLength != int.MaxValue) CheckRows(outputLength, (long)rows * OutSize(g), "output");
    }

    private static void CheckRows(int length, long needed, string name)
    {
        if (length < needed) throw new ArgumentException($"'{name}' has {length:N0} elements, but {needed:N0} are needed.", name);
    }
}
