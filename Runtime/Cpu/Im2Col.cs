using System;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Unfolds one NCHW image into the patch matrix of a 2-D convolution and folds it back: row q = (c·kh + ky)·kw + kx
/// of the patch matrix holds, at column p = oy·OutWidth + ox, the input pixel that kernel tap (c, ky, kx) sees at
/// output position (oy, ox) (zero where the tap falls into the padding). Then the convolution is W [out, patch] ×
/// U [patch, positions], its weight gradient dZ Uᵀ and its input gradient col2im(Wᵀ dZ).
/// </summary>
public static class Im2Col
{
    /// <summary>
    /// Writes the patch matrix of <paramref name="image"/> [InChannels, InHeight, InWidth] into
    /// <paramref name="columns"/>: PatchSize rows of stride <paramref name="ldc"/>, columns 0 … Positions−1 of each.
    /// </summary>
    public static void Unfold<T>(in Conv2DGeometry g, ReadOnlySpan<T> image, Span<T> columns, int ldc)
        where T : unmanaged
    {
        int inW = g.InWidth, inH = g.InHeight, outH = g.OutHeight, outW = g.OutWidth, sw = g.StrideWidth;
        for (int ch = 0; ch < g.InChannels; ch++)
        {
            ReadOnlySpan<T> plane = image.Slice(ch * inH * inW, inH * inW);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int q = (ch * g.KernelHeight + ky) * g.KernelWidth + kx;
                    Span<T> row = columns.Slice(q * ldc, outH * outW);
                    int x0 = kx * g.DilationWidth - g.PaddingWidth;
                    var (lo, hi) = ValidRange(x0, sw, inW, outW);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        Span<T> dst = row.Slice(oy * outW, outW);
                        int iy = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)inH || lo >= hi)
                        {
                            dst.Clear();
                            continue;
                        }
                        ReadOnlySpan<T> src = plane.Slice(iy * inW, inW);
                        dst.Slice(0, lo).Clear();
                        dst.Slice(hi).Clear();
                        if (sw == 1)
                        {
                            src.Slice(x0 + lo, hi - lo).CopyTo(dst.Slice(lo, hi - lo));
                        }
                        else
                        {
                            for (int ox = lo; ox < hi; ox++) dst[ox] = src[x0 + ox * sw];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds the patch matrix <paramref name="columns"/> (PatchSize rows of stride <paramref name="ldc"/>) back into
    /// <paramref name="image"/> [InChannels, InHeight, InWidth]: every tap adds to the pixel it read (the adjoint of
    /// <see cref="Unfold{T}"/>). Taps in the padding are dropped. The image is not cleared first.
    /// </summary>
    public static void FoldAdd<T>(in Conv2DGeometry g, ReadOnlySpan<T> columns, int ldc, Span<T> image)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int inW = g.InWidth, inH = g.InHeight, outH = g.OutHeight, outW = g.OutWidth, sw = g.StrideWidth;
        for (int ch = 0; ch < g.InChannels; ch++)
        {
            Span<T> plane = image.Slice(ch * inH * inW, inH * inW);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int q = (ch * g.KernelHeight + ky) * g.KernelWidth + kx;
                    ReadOnlySpan<T> row = columns.Slice(q * ldc, outH * outW);
                    int x0 = kx * g.DilationWidth - g.PaddingWidth;
                    var (lo, hi) = ValidRange(x0, sw, inW, outW);
                    if (lo >= hi) continue;
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int iy = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)inH) continue;
                        ReadOnlySpan<T> src = row.Slice(oy * outW, outW);
                        Span<T> dst = plane.Slice(iy * inW, inW);
                        if (sw == 1 && hi - lo >= 32)
                        {
                            System.Numerics.Tensors.TensorPrimitives.Add(dst.Slice(x0 + lo, hi - lo), src.Slice(lo, hi - lo), dst.Slice(x0 + lo, hi - lo));
                        }
                        else if (sw == 1)
                        {
                            // Short rows (LeNet's 8-wide maps): a plain loop beats the call.
                            Span<T> d = dst.Slice(x0 + lo, hi - lo);
                            ReadOnlySpan<T> v = src.Slice(lo, hi - lo);
                            for (int i = 0; i < d.Length; i++) d[i] += v[i];
                        }
                        else
                        {
                            for (int ox = lo; ox < hi; ox++) dst[x0 + ox * sw] += src[ox];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The patch matrix [PatchSize, Positions] of <paramref name="image"/>: the image itself where <see cref="IsIdentity"/>
    /// holds, else unfolded into <paramref name="scratch"/> (at least PatchSize · Positions elements; unused, and may be
    /// empty, for an identity geometry).
    /// </summary>
    public static ReadOnlySpan<T> Patches<T>(in Conv2DGeometry g, ReadOnlySpan<T> image, Span<T> scratch)
        where T : unmanaged
    {
        if (IsIdentity(g)) return image;
        Unfold(g, image, scratch, g.Positions);
        return scratch.Slice(0, g.PatchSize * g.Positions);
    }

    /// <summary>Whether the patch matrix is the image itself (1×1 kernel, stride 1, no padding): no unfolding needed.</summary>
    public static bool IsIdentity(in Conv2DGeometry g) =>
        g.KernelHeight == 1 && g.KernelWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.PaddingHeight == 0 && g.PaddingWidth == 0;

    /// <summary>The output columns [lo, hi) whose input column x0 + ox·stride lies in [0, width).</summary>
    private static (int Lo, int Hi) ValidRange(int x0, int stride, int width, int outputs)
    {
        int lo = x0 >= 0 ? 0 : (-x0 + stride - 1) / stride;
        int hi = x0 > width - 1 ? 0 : (width - 1 - x0) / stride + 1;
        return (Math.Min(lo, outputs), Math.Min(hi, outputs));
    }
}
