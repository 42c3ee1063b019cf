using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Stride-1 convolutions for small output maps (LeNet's second layer: 16 channels of 8×8), with the 8-lane vectors
/// running along the output channels instead of the output positions. The position kernels of
/// <see cref="DirectConv2D"/> keep 8-lane partial sums per (channel, tap) that have to be flushed and reduced for every
/// image, which on an 8×8 map costs as much as the products; here every accumulator is a finished sum. On LeNet's
/// second layer (one core, 60,000 images, <c>dnn2gp bench conv-lenet-ops</c>) the weight gradient takes 0.34–0.40 s
/// against 0.81–1.15 s (alternating runs), the input gradient 0.60–0.64 s against 0.72–0.78 s and the forward pass
/// 0.37–0.46 s against 0.45–0.57 s (same runs).
/// </summary>
/// <remarks>
/// <para>
/// Forward: Zᵀ [positions, channels] = Σₜ x[offset(t) + address(p)] · Wᵀ[t, channels], 6 positions × 2 channel vectors
/// per micro-kernel (2 weight loads and 6 pixel broadcasts per tap for 12 FMAs, started at the bias), then transposed
/// into NCHW. Used when at most a quarter of the channel lanes would be padding.
/// </para>
/// <para>
/// Weight gradient: dW[o, t] = Σₚ dZ[o, p] · x[offset(t) + address(p)]. Each image's output gradient is transposed to
/// [positions, channels] (channels padded with zeros to whole pairs of vectors), and a micro-kernel holds 6 taps × 2
/// channel vectors (12 accumulators) over all positions of the image: per position 2 vector loads and 6 broadcasts
/// of input pixels for 12 FMAs, no unfolding and no horizontal sums.
/// </para>
/// <para>
/// Input gradient: the patch columns col[t, p] = Σₒ W[o, t] dZ[o, p] are a GEMM with the positions in the vectors
/// (6 taps × 2 position vectors per micro-kernel), written into zero-margined rows; dX is then gathered from them,
/// dX[c, iy, ix] = Σ over the kernel taps (c, ky, kx) of col[(c, ky, kx), iy − ky·d + pad, ix − kx·d + pad], with the
/// margins standing in for positions outside the map. Unlike the flipped forward convolution, no product with the zero
/// padding of the output gradient is computed. It needs output rows of whole vectors (OutWidth a multiple of 8).
/// </para>
/// </remarks>
internal static unsafe class ChannelVectorConv2D
{
    private const int Lanes = 8;
    private const int Taps = 6;

    /// <summary>Whether these kernels are the faster choice: stride 1 on FMA hardware, and a map of fewer than 256 positions.</summary>
    public static bool Prefer(in Conv2DGeometry g) => DirectConv2D.Supports(g) && g.Positions < 256;

    /// <summary>Whether <see cref="BackwardInput"/> applies: <see cref="Prefer"/> and output rows of whole vectors.</summary>
    public static bool PreferInputGradient(in Conv2DGeometry g) => Prefer(g) && g.OutWidth % Lanes == 0;

    /// <summary>Whether <see cref="Forward"/> is the faster choice: <see cref="Prefer"/>, and at most a quarter of the channel lanes wasted on padding.</summary>
    public static bool PreferForward(in Conv2DGeometry g) => Prefer(g) && 4 * g.OutChannels >= 3 * ChannelWidth(g.OutChannels);

    /// <summary>
    /// Z = W ⋆ X (+ b), or Z += W ⋆ X with <paramref name="accumulate"/>, for <paramref name="rows"/> images: per image
    /// Zᵀ [positions, channels] by 6 positions × 2 channel vectors per micro-kernel (per tap 2 weight loads and 6 pixel
    /// broadcasts for 12 FMAs), then transposed into the NCHW output.
    /// </summary>
    public static void Forward(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, int rows, bool accumulate)
    {
        int patch = g.PatchSize, cout = g.OutChannels, positions = g.Positions;
        int width = ChannelWidth(cout), pairs = width / (2 * Lanes);
        int groups = (positions + Taps - 1) / Taps, slots = groups * Taps;
        var layout = new DirectConv2D.Layout(g);
        float[] packed = ArrayPool<float>.Shared.Rent(patch * width + width);
        float[] transposed = ArrayPool<float>.Shared.Rent(slots * width);
        int[] offsets = ArrayPool<int>.Shared.Rent(patch);
        int[] addresses = ArrayPool<int>.Shared.Rent(slots);
        float[]? padded = layout.Direct ? null : ArrayPool<float>.Shared.Rent(layout.PaddedSize);
        try
        {
            // Wᵀ as [tap][width] (zero past the channels), then the bias as [width].
            Array.Clear(packed, 0, patch * width + width);
            for (int o = 0; o < cout; o++)
            {
                for (int t = 0; t < patch; t++) packed[t * width + o] = weight[o * patch + t];
                if (!bias.IsEmpty) packed[patch * width + o] = bias[o];
            }
            for (int t = 0; t < patch; t++) offsets[t] = layout.Offset(g, t);
            // Position p's window corner in the (padded) image; the group-filling positions past the map read pixel 0.
            for (int p = 0; p < slots; p++) addresses[p] = p < positions ? p / g.OutWidth * layout.RowLength + p % g.OutWidth : 0;
            if (padded is not null) Array.Clear(padded, 0, layout.PaddedSize);
            int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = cout * positions;
            fixed (float* pin = input)
            fixed (float* pout = output)
            fixed (float* pw = packed)
            fixed (float* pt = transposed)
            fixed (int* poff = offsets)
            fixed (int* paddr = addresses)
            fixed (float* ppad = padded)
            {
                for (int e = 0; e < rows; e++)
                {
                    float* x = layout.Image(g, pin + (long)e * inSize, ppad);
                    for (int pair = 0; pair < pairs; pair++)
                        for (int group = 0; group < groups; group++)
                            Positions6x2(x, paddr + group * Taps, poff, patch, pw + pair * 2 * Lanes, width, pw + patch * width + pair * 2 * Lanes,
                                pt + group * Taps * width + pair * 2 * Lanes);
                    float* z = pout + (long)e * outSize;
                    for (int o = 0; o < cout; o++)
                    {
                        float* plane = z + o * positions, column = pt + o;
                        if (accumulate) for (int p = 0; p < positions; p++) plane[p] += column[p * width];
                        else for (int p = 0; p < positions; p++) plane[p] = column[p * width];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
            ArrayPool<float>.Shared.Return(transposed);
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(addresses);
            if (padded is not null) ArrayPool<float>.Shared.Return(padded);
        }
    }

    /// <summary>Channel lanes per position: the output channels rounded up to whole pairs of vectors.</summary>
    private static int ChannelWidth(int channels) => (channels + 2 * Lanes - 1) / (2 * Lanes) * 2 * Lanes;

    /// <summary>
    /// Zᵀ of 6 positions (window corners x + addresses[i]) × 2 channel vectors over every tap: 12 accumulators started
    /// at the bias, per tap 2 weight loads and 6 pixel broadcasts; the sums are stored to <paramref name="zT"/> [position, width].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Positions6x2(float* x, int* addresses, int* offsets, int patch, float* wT, int width, float* bias, float* zT)
    {
        var s0 = Avx.LoadVector256(bias);
        var t0 = Avx.LoadVector256(bias + Lanes);
        Vector256<float> s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, t1 = t0, t2 = t0, t3 = t0, t4 = t0, t5 = t0;
        float* x0 = x + addresses[0], x1 = x + addresses[1], x2 = x + addresses[2], x3 = x + addresses[3], x4 = x + addresses[4], x5 = x + addresses[5];
        for (int t = 0; t < patch; t++)
        {
            int offset = offsets[t];
            var lo = Avx.LoadVector256(wT);
            var hi = Avx.LoadVector256(wT + Lanes);
            wT += width;
            var b = Avx.BroadcastScalarToVector256(x0 + offset);
            s0 = Fma.MultiplyAdd(b, lo, s0);
            t0 = Fma.MultiplyAdd(b, hi, t0);
            b = Avx.BroadcastScalarToVector256(x1 + offset);
            s1 = Fma.MultiplyAdd(b, lo, s1);
            t1 = Fma.MultiplyAdd(b, hi, t1);
            b = Avx.BroadcastScalarToVector256(x2 + offset);
            s2 = Fma.MultiplyAdd(b, lo, s2);
            t2 = Fma.MultiplyAdd(b, hi, t2);
            b = Avx.BroadcastScalarToVector256(x3 + offset);
            s3 = Fma.MultiplyAdd(b, lo, s3);
            t3 = Fma.MultiplyAdd(b, hi, t3);
            b = Avx.BroadcastScalarToVector256(x4 + offset);
            s4 = Fma.MultiplyAdd(b, lo, s4);
            t4 = Fma.MultiplyAdd(b, hi, t4);
            b = Avx.BroadcastScalarToVector256(x5 + offset);
            s5 = Fma.MultiplyAdd(b, lo, s5);
            t5 = Fma.MultiplyAdd(b, hi, t5);
        }
        Avx.Store(zT, s0); Avx.Store(zT + Lanes, t0);
        Avx.Store(zT + width, s1); Avx.Store(zT + width + Lanes, t1);
        Avx.Store(zT + 2 * width, s2); Avx.Store(zT + 2 * width + Lanes, t2);
        Avx.Store(zT + 3 * width, s3); Avx.Store(zT + 3 * width + Lanes, t3);
        Avx.Store(zT + 4 * width, s4); Avx.Store(zT + 4 * width + Lanes, t4);
        Avx.Store(zT + 5 * width, s5); Avx.Store(zT + 5 * width + Lanes, t5);
    }

    /// <summary>
    /// dW[o, t] (+)= Σₑ Σₚ dZₑ[o, p] · (patch t of position p of image e), in PyTorch's [out, in, kh, kw] order; with
    /// <paramref name="separate"/>, image e's sum goes to its own block e of <paramref name="weightGradient"/>. The same
    /// contract as <see cref="DirectConv2D.WeightGradient"/>.
    /// </summary>
    public static void WeightGradient(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient,
        int rows, bool accumulate, bool separate)
    {
        int patch = g.PatchSize, cout = g.OutChannels, positions = g.Positions;
        int pairs = (cout + 2 * Lanes - 1) / (2 * Lanes), width = pairs * 2 * Lanes;
        int groups = (patch + Taps - 1) / Taps, taps = groups * Taps;
        var layout = new DirectConv2D.Layout(g);
        float[] transposed = ArrayPool<float>.Shared.Rent(positions * width);
        float[] partial = ArrayPool<float>.Shared.Rent(taps * width);
        int[] offsets = ArrayPool<int>.Shared.Rent(taps);
        float[]? padded = layout.Direct ? null : ArrayPool<float>.Shared.Rent(layout.PaddedSize);
        try
        {
            // Taps in PyTorch's (c, ky, kx) order; the group-filling taps past the patch read pixel 0 into discarded sums.
            for (int t = 0; t < taps; t++) offsets[t] = t < patch ? layout.Offset(g, t) : 0;
            Array.Clear(transposed, 0, positions * width);
            Array.Clear(partial, 0, taps * width);
            if (padded is not null) Array.Clear(padded, 0, layout.PaddedSize);
            int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = cout * positions, size = cout * patch;
            fixed (float* pin = input)
            fixed (float* pdz = outputGradient)
            fixed (float* pt = transposed)
            fixed (float* pp = partial)
            fixed (int* poff = offsets)
            fixed (float* ppad = padded)
            {
                for (int e = 0; e < rows; e++)
                {
                    float* x = layout.Image(g, pin + (long)e * inSize, ppad);
                    Transpose(pdz + (long)e * outSize, cout, positions, pt, width);
                    for (int pair = 0; pair < pairs; pair++)
                        for (int group = 0; group < groups; group++)
                            Taps6x2(x, poff + group * Taps, pt + pair * 2 * Lanes, width, g.OutHeight, g.OutWidth, layout.RowLength,
                                pp + group * Taps * width + pair * 2 * Lanes);
                    if (separate) Scatter(pp, width, cout, patch, taps, weightGradient.Slice(e * size, size), accumulate);
                }
                if (!separate) Scatter(pp, width, cout, patch, taps, weightGradient, accumulate);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transposed);
            ArrayPool<float>.Shared.Return(partial);
            ArrayPool<int>.Shared.Return(offsets);
            if (padded is not null) ArrayPool<float>.Shared.Return(padded);
        }
    }

    /// <summary>dX = Wᵀ ⋆ dZ for <paramref name="rows"/> images, overwriting <paramref name="inputGradient"/>; needs <see cref="PreferInputGradient"/>.</summary>
    public static void BackwardInput(in Conv2DGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, int rows)
    {
        int patch = g.PatchSize, cout = g.OutChannels, positions = g.Positions, vectors = positions / Lanes;
        int groups = (patch + Taps - 1) / Taps, taps = groups * Taps;
        var columns = new ColumnLayout(g);
        float[] packed = ArrayPool<float>.Shared.Rent(taps * cout);
        float[] col = ArrayPool<float>.Shared.Rent(taps * columns.PerTap);
        try
        {
            // Wᵀ packed as [group][o][tap of the group] (zero for the group-filling taps), read by broadcasts in order.
            for (int group = 0; group < groups; group++)
                for (int o = 0; o < cout; o++)
                    for (int i = 0; i < Taps; i++)
                    {
                        int t = group * Taps + i;
                        packed[(group * cout + o) * Taps + i] = t < patch ? weight[o * patch + t] : 0f;
                    }
            // The margins stay zero: the GEMM writes only the interior of each row.
            Array.Clear(col, 0, taps * columns.PerTap);
            int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = cout * positions;
            fixed (float* pdz = outputGradient)
            fixed (float* pw = packed)
            fixed (float* pc = col)
            fixed (float* pdx = inputGradient)
            {
                for (int e = 0; e < rows; e++)
                {
                    float* dz = pdz + (long)e * outSize;
                    for (int group = 0; group < groups; group++)
                    {
                        float* w = pw + group * cout * Taps;
                        float* target = pc + (long)group * Taps * columns.PerTap;
                        int v = 0;
                        for (; v + 1 < vectors; v += 2) Columns6x2(dz + v * Lanes, positions, w, cout, target, columns, v, v + 1);
                        if (v < vectors) Columns6x2(dz + v * Lanes, positions, w, cout, target, columns, v, -1);
                    }
                    Gather(g, columns, pc, pdx + (long)e * inSize);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
            ArrayPool<float>.Shared.Return(col);
        }
    }

    /// <summary>dZ [channels, positions] → [positions, width] (lanes past the channels are left as they are: zero).</summary>
    private static void Transpose(float* dz, int channels, int positions, float* transposed, int width)
    {
        for (int o = 0; o < channels; o++)
        {
            float* row = dz + (long)o * positions;
            float* column = transposed + o;
            for (int p = 0; p < positions; p++) column[(long)p * width] = row[p];
        }
    }

    /// <summary>dW[o, t] (+)= partial[t, o] for the real taps and channels (PyTorch order); zeroes the partial sums.</summary>
    private static void Scatter(float* partial, int width, int channels, int patch, int taps, Span<float> weightGradient, bool accumulate)
    {
        fixed (float* dw = weightGradient)
        {
            for (int t = 0; t < patch; t++)
            {
                float* sums = partial + (long)t * width;
                for (int o = 0; o < channels; o++) dw[o * patch + t] = accumulate ? dw[o * patch + t] + sums[o] : sums[o];
            }
        }
        new Span<float>(partial, taps * width).Clear();
    }

    /// <summary>
    /// 6 taps × 2 channel vectors over every position of one image: 12 accumulators, per position 2 gradient loads and
    /// 6 pixel broadcasts; the finished sums are added to <paramref name="partial"/> [tap, width].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Taps6x2(float* x, int* offsets, float* dzT, int width, int outHeight, int outWidth, int rowLength, float* partial)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default;
        float* x0 = x + offsets[0], x1 = x + offsets[1], x2 = x + offsets[2], x3 = x + offsets[3], x4 = x + offsets[4], x5 = x + offsets[5];
        float* d = dzT;
        for (int oy = 0; oy < outHeight; oy++)
        {
            int end = oy * rowLength + outWidth;
            for (int at = oy * rowLength; at < end; at++)
            {
                var lo = Avx.LoadVector256(d);
                var hi = Avx.LoadVector256(d + Lanes);
                d += width;
                var b = Avx.BroadcastScalarToVector256(x0 + at);
                s0 = Fma.MultiplyAdd(b, lo, s0);
                t0 = Fma.MultiplyAdd(b, hi, t0);
                b = Avx.BroadcastScalarToVector256(x1 + at);
                s1 = Fma.MultiplyAdd(b, lo, s1);
                t1 = Fma.MultiplyAdd(b, hi, t1);
                b = Avx.BroadcastScalarToVector256(x2 + at);
                s2 = Fma.MultiplyAdd(b, lo, s2);
                t2 = Fma.MultiplyAdd(b, hi, t2);
                b = Avx.BroadcastScalarToVector256(x3 + at);
                s3 = Fma.MultiplyAdd(b, lo, s3);
                t3 = Fma.MultiplyAdd(b, hi, t3);
                b = Avx.BroadcastScalarToVector256(x4 + at);
                s4 = Fma.MultiplyAdd(b, lo, s4);
                t4 = Fma.MultiplyAdd(b, hi, t4);
                b = Avx.BroadcastScalarToVector256(x5 + at);
                s5 = Fma.MultiplyAdd(b, lo, s5);
                t5 = Fma.MultiplyAdd(b, hi, t5);
            }
        }
        Add(partial, s0); Add(partial + Lanes, t0);
        Add(partial + width, s1); Add(partial + width + Lanes, t1);
        Add(partial + 2 * width, s2); Add(partial + 2 * width + Lanes, t2);
        Add(partial + 3 * width, s3); Add(partial + 3 * width + Lanes, t3);
        Add(partial + 4 * width, s4); Add(partial + 4 * width + Lanes, t4);
        Add(partial + 5 * width, s5); Add(partial + 5 * width + Lanes, t5);
    }

    /// <summary>
    /// col[t, p] = Σₒ W[o, t] dZ[o, p] for the 6 taps of a group and position vectors <paramref name="va"/> and
    /// <paramref name="vb"/> (−1: none) of one image: 12 accumulators, per channel 2 gradient loads and 6 weight broadcasts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns6x2(float* dz, int positions, float* w, int channels, float* col, in ColumnLayout layout, int va, int vb)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default;
        // Without a second vector the first is read twice and only its sums are kept.
        int second = vb < 0 ? 0 : Lanes;
        for (int o = 0; o < channels; o++)
        {
            var a = Avx.LoadVector256(dz);
            var b = Avx.LoadVector256(dz + second);
            dz += positions;
            var c = Avx.BroadcastScalarToVector256(w);
            s0 = Fma.MultiplyAdd(c, a, s0);
            t0 = Fma.MultiplyAdd(c, b, t0);
            c = Avx.BroadcastScalarToVector256(w + 1);
            s1 = Fma.MultiplyAdd(c, a, s1);
            t1 = Fma.MultiplyAdd(c, b, t1);
            c = Avx.BroadcastScalarToVector256(w + 2);
            s2 = Fma.MultiplyAdd(c, a, s2);
            t2 = Fma.MultiplyAdd(c, b, t2);
            c = Avx.BroadcastScalarToVector256(w + 3);
            s3 = Fma.MultiplyAdd(c, a, s3);
            t3 = Fma.MultiplyAdd(c, b, t3);
            c = Avx.BroadcastScalarToVector256(w + 4);
            s4 = Fma.MultiplyAdd(c, a, s4);
            t4 = Fma.MultiplyAdd(c, b, t4);
            c = Avx.BroadcastScalarToVector256(w + 5);
            s5 = Fma.MultiplyAdd(c, a, s5);
            t5 = Fma.MultiplyAdd(c, b, t5);
            w += Taps;
        }
        int per = layout.PerTap;
        float* ca = col + layout.At(va);
        Avx.Store(ca, s0); Avx.Store(ca + per, s1); Avx.Store(ca + 2 * per, s2); Avx.Store(ca + 3 * per, s3); Avx.Store(ca + 4 * per, s4); Avx.Store(ca + 5 * per, s5);
        if (vb < 0) return;
        float* cb = col + layout.At(vb);
        Avx.Store(cb, t0); Avx.Store(cb + per, t1); Avx.Store(cb + 2 * per, t2); Avx.Store(cb + 3 * per, t3); Avx.Store(cb + 4 * per, t4); Avx.Store(cb + 5 * per, t5);
    }

    /// <summary>
    /// dX[c, iy, ix] = Σ_(ky, kx) col[(c, ky, kx), iy − ky·dh + ph, ix − kx·dw + pw] for one image, 8 pixels of a row at a
    /// time; kernel rows that fall outside the output map are skipped, columns outside it read the zero margins.
    /// </summary>
    private static void Gather(in Conv2DGeometry g, in ColumnLayout layout, float* col, float* dx)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, per = layout.PerTap, stride = layout.RowStride, step = per - g.DilationWidth;
        for (int c = 0; c < g.InChannels; c++)
        {
            for (int iy = 0; iy < g.InHeight; iy++)
            {
                float* target = dx + (c * g.InHeight + iy) * g.InWidth;
                // Two vectors of the row at a time, even and odd kx in separate sums: four independent add chains.
                for (int ix = 0; ix < g.InWidth; ix += 2 * Lanes)
                {
                    bool two = ix + Lanes < g.InWidth;
                    Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        int oy = iy - ky * g.DilationHeight + g.PaddingHeight;
                        if ((uint)oy >= (uint)g.OutHeight) continue;
                        float* row = col + (long)((c * kh + ky) * kw) * per + oy * stride + layout.Margin + ix + g.PaddingWidth;
                        int kx = 0;
                        for (; kx + 1 < kw; kx += 2)
                        {
                            float* r0 = row + kx * step, r1 = r0 + step;
                            a0 = Avx.Add(a0, Avx.LoadVector256(r0));
                            a1 = Avx.Add(a1, Avx.LoadVector256(r1));
                            if (!two) continue;
                            b0 = Avx.Add(b0, Avx.LoadVector256(r0 + Lanes));
                            b1 = Avx.Add(b1, Avx.LoadVector256(r1 + Lanes));
                        }
                        if (kx < kw)
                        {
                            a0 = Avx.Add(a0, Avx.LoadVector256(row + kx * step));
                            if (two) b0 = Avx.Add(b0, Avx.LoadVector256(row + kx * step + Lanes));
                        }
                    }
                    StoreRow(Avx.Add(a0, a1), target, ix, g.InWidth);
                    if (two) StoreRow(Avx.Add(b0, b1), target, ix + Lanes, g.InWidth);
                }
            }
        }
    }

    /// <summary>Stores the pixels of <paramref name="value"/> that lie within a row of <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector256<float> value, float* row, int ix, int width)
    {
        int lanes = Math.Min(Lanes, width - ix);
        if (lanes == Lanes) Avx.Store(row + ix, value);
        else for (int l = 0; l < lanes; l++) row[ix + l] = value.GetElement(l);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* at, Vector256<float> value) => Avx.Store(at, Avx.Add(Avx.LoadVector256(at), value));

    /// <summary>
    /// Where the input-gradient GEMM writes col[t, oy, ox]: per tap OutHeight rows of <see cref="RowStride"/> floats,
    /// the OutWidth values at <see cref="Margin"/>, zeros on both sides wide enough for every shifted read of the gather.
    /// </summary>
    private readonly struct ColumnLayout
    {
        public ColumnLayout(in Conv2DGeometry g)
        {
            Margin = g.DilationWidth * (g.KernelWidth - 1);
            // The gather reads [Margin + ix + pw − kx·dw, +8) for ix < InWidth rounded up to whole vectors.
            int reach = (g.InWidth + Lanes - 1) / Lanes * Lanes + g.PaddingWidth;
            RowStride = Margin + Math.Max(g.OutWidth, reach);
            PerTap = g.OutHeight * RowStride;
            OutWidth = g.OutWidth;
        }

        /// <summary>Zeros before each row's values.</summary>
        public int Margin { get; }

        /// <summary>Floats per row.</summary>
        public int RowStride { get; }

        /// <summary>Floats per tap.</summary>
        public int PerTap { get; }

        private int OutWidth { get; }

        /// <summary>The offset within a tap of position vector <paramref name="v"/> (rows of whole vectors).</summary>
        public int At(int v)
        {
            int p = v * Lanes, oy = p / OutWidth;
            return oy * RowStride + Margin + (p - oy * OutWidth);
        }
    }
}
