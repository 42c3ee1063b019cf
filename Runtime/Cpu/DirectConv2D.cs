using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Direct (unfold-free) stride-1 convolution kernels in float on 256-bit vectors with FMA: each output row is cut into
/// 8-lane vectors, and a micro-kernel computes 4 output channels × 2 vectors (8 accumulators) at a time, with one
/// broadcast weight and two input loads per kernel tap, so it runs at the FMA rate instead of the packing rate the
/// small GEMMs of an unfolded convolution (6 or 16 channels, 25 to 150 taps) are limited by.
/// </summary>
/// <remarks>
/// The input image is read through a zero-padded copy whose rows are long enough for whole vectors (none is needed
/// when there is no padding and the output width is a multiple of 8, as in LeNet). Tap t = (c, ky, kx) reads the
/// padded image at a fixed offset from the window's corner, so dilation and channels are one offset table. The input
/// gradient is the forward kernel on the padded output gradient with the kernel flipped and transposed; the weight
/// gradient accumulates, per tap pair, products of output-gradient vectors (zero beyond the output width) and input
/// vectors. Used by <see cref="Conv2D"/> when <see cref="Supports"/> holds; results agree with the unfolded path to
/// float rounding.
/// </remarks>
internal static unsafe class DirectConv2D
{
    private const int Lanes = 8;
    private const int Channels = 4;

    /// <summary>Whether the direct kernels apply: 256-bit FMA hardware, stride 1.</summary>
    public static bool Supports(in Conv2DGeometry g) =>
        Fma.IsSupported && Avx.IsSupported && g.StrideHeight == 1 && g.StrideWidth == 1;

    /// <summary>Whether the input gradient can be computed by the flipped forward kernel (padding at most the dilated kernel span).</summary>
    public static bool SupportsInputGradient(in Conv2DGeometry g) =>
        Supports(g) && g.PaddingHeight <= g.DilationHeight * (g.KernelHeight - 1) && g.PaddingWidth <= g.DilationWidth * (g.KernelWidth - 1);

    /// <summary>Z = W ⋆ X (+ b), or Z += W ⋆ X with <paramref name="accumulate"/>, for <paramref name="rows"/> images.</summary>
    public static void Forward(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, int rows, bool accumulate)
    {
        var layout = new Layout(g);
        int block = ForwardBlock(g.OutChannels);
        int patch = g.PatchSize, blocks = (g.OutChannels + block - 1) / block;
        // Slack of one 4-channel group: the 1-vector kernel reads 4 weights and biases for a 6-channel block's last 2.
        float[] packed = ArrayPool<float>.Shared.Rent(blocks * patch * block + blocks * block + Channels);
        int[] offsets = ArrayPool<int>.Shared.Rent(patch);
        float[]? padded = layout.Direct ? null : ArrayPool<float>.Shared.Rent(layout.PaddedSize);
        try
        {
            PackWeights(g, weight, bias, packed, blocks, block);
            layout.TapOffsets(g, offsets);
            if (padded is not null) Array.Clear(padded, 0, layout.PaddedSize);
            int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = g.OutChannels * g.OutHeight * g.OutWidth;
            fixed (float* pin = input)
            fixed (float* pout = output)
            fixed (float* pw = packed)
            fixed (int* poff = offsets)
            fixed (float* ppad = padded)
            {
                for (int e = 0; e < rows; e++)
                {
                    float* x = layout.Image(g, pin + (long)e * inSize, ppad);
                    ForwardImage(g, layout, x, pw, poff, blocks, block, pout + (long)e * outSize, accumulate);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
            ArrayPool<int>.Shared.Return(offsets);
            if (padded is not null) ArrayPool<float>.Shared.Return(padded);
        }
    }

    /// <summary>dX = Wᵀ ⋆ dZ for <paramref name="rows"/> rows (overwritten): the forward kernel with the kernel flipped and transposed.</summary>
    public static void BackwardInput(in Conv2DGeometry g, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, int rows)
    {
        int ph = g.DilationHeight * (g.KernelHeight - 1) - g.PaddingHeight, pw = g.DilationWidth * (g.KernelWidth - 1) - g.PaddingWidth;
        var transposed = new Conv2DGeometry(g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.InHeight, g.InWidth,
            g.KernelHeight, g.KernelWidth, 1, 1, ph, pw, g.DilationHeight, g.DilationWidth);
        int kh = g.KernelHeight, kw = g.KernelWidth, taps = kh * kw;
        float[] flipped = ArrayPool<float>.Shared.Rent(g.OutChannels * g.PatchSize);
        try
        {
            // W'[c, o, ky, kx] = W[o, c, kh−1−ky, kw−1−kx].
            for (int o = 0; o < g.OutChannels; o++)
                for (int c = 0; c < g.InChannels; c++)
                    for (int t = 0; t < taps; t++)
                        flipped[(c * g.OutChannels + o) * taps + t] = weight[(o * g.InChannels + c) * taps + (taps - 1 - t)];
            Forward(transposed, outputGradient, flipped.AsSpan(0, g.OutChannels * g.PatchSize), default, inputGradient, rows, accumulate: false);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(flipped);
        }
    }

    /// <summary>
    /// dW[r, t] (+)= Σₑ Σₚ dZₑ[r, p] · (patch t of position p of image e), for <paramref name="rows"/> images and their output
    /// gradients [rows, OutChannels·OH·OW] (OutChannels may be any number of rows, e.g. c seeds × channels of one image).
    /// With <paramref name="separate"/>, image e's sum goes to its own block e of <paramref name="weightGradient"/>
    /// [rows, OutChannels · PatchSize] instead (the per-example derivatives of curvature rules).
    /// </summary>
    public static void WeightGradient(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient,
        int rows, bool accumulate, bool separate = false)
    {
        var layout = new Layout(g);
        int block = ForwardBlock(g.OutChannels);
        int patch = g.PatchSize, blocks = (g.OutChannels + block - 1) / block;
        int positions = g.OutHeight * layout.PaddedOutWidth, vectors = blocks * patch * block;
        int[] offsets = ArrayPool<int>.Shared.Rent(patch);
        int[] destinations = ArrayPool<int>.Shared.Rent(vectors);
        float[]? padded = layout.Direct ? null : ArrayPool<float>.Shared.Rent(layout.PaddedSize);
        // Output-gradient rows padded to whole vectors and channel blocks with zeros; not needed when the rows are whole
        // vectors and the channels whole blocks (the output gradient is then read in place).
        bool inPlace = layout.PaddedOutWidth == g.OutWidth && g.OutChannels % block == 0;
        float[]? gradient = inPlace ? null : ArrayPool<float>.Shared.Rent(blocks * block * positions);
        float[] partial = ArrayPool<float>.Shared.Rent(vectors * Lanes);
        try
        {
            layout.TapOffsets(g, offsets);
            // Partial vector (b, t, j) sums into dW[b·block + j, tap t in PyTorch's order], or nowhere (padding channels).
            for (int b = 0; b < blocks; b++)
                for (int t = 0; t < patch; t++)
                    for (int j = 0; j < block; j++)
                    {
                        int r = b * block + j;
                        destinations[(b * patch + t) * block + j] = r < g.OutChannels ? r * patch + Tap(g, t) : -1;
                    }
            if (padded is not null) Array.Clear(padded, 0, layout.PaddedSize);
            if (gradient is not null) Array.Clear(gradient, 0, blocks * block * positions);
            Array.Clear(partial, 0, vectors * Lanes);
            int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = g.OutChannels * g.OutHeight * g.OutWidth;
            int outW = g.OutWidth, owp = layout.PaddedOutWidth, tapsPerRow = g.InChannels * g.KernelWidth;
            fixed (float* pin = input)
            fixed (float* pdz = outputGradient)
            fixed (float* pg = gradient)
            fixed (float* ppart = partial)
            fixed (int* poff = offsets)
            fixed (float* ppad = padded)
            {
                for (int e = 0; e < rows; e++)
                {
                    float* x = layout.Image(g, pin + (long)e * inSize, ppad);
                    float* dz = pdz + (long)e * outSize;
                    float* rowsBase = dz;
                    if (pg is not null)
                    {
                        for (int r = 0; r < g.OutChannels; r++)
                            for (int oy = 0; oy < g.OutHeight; oy++)
                                Buffer.MemoryCopy(dz + (r * g.OutHeight + oy) * outW, pg + (long)r * positions + oy * owp, outW * sizeof(float), outW * sizeof(float));
                        rowsBase = pg;
                    }
                    for (int b = 0; b < blocks; b++)
                    {
                        float* dzBlock = rowsBase + (long)b * block * positions;
                        float* part = ppart + (long)b * patch * block * Lanes;
                        int t = 0;
                        for (; t + 1 < patch; t += 2)
                        {
                            var (lo, hi) = OutputRows(g, t / tapsPerRow, (t + 1) / tapsPerRow);
                            if (block == 6) GradientTaps2x6(x, layout.RowLength, poff[t], poff[t + 1], dzBlock, positions, lo, hi, owp, part + t * block * Lanes);
                            else GradientTaps2(x, layout.RowLength, poff[t], poff[t + 1], dzBlock, positions, lo, hi, owp, part + t * block * Lanes);
                        }
                        if (t < patch)
                        {
                            var (lo, hi) = OutputRows(g, t / tapsPerRow, t / tapsPerRow);
                            // A 6-row block's last tap as a 4-row and a 2-row part (the 4-row kernel with zero-padded rows
                            // would read past the block): rows 4 and 5 through the 4-row kernel with rows 6, 7 ignored.
                            for (int partRow = 0; partRow < block; partRow += Channels)
                            {
                                if (block == 6 && partRow == 4)
                                {
                                    GradientTap1Rows2(x, layout.RowLength, poff[t], dzBlock + 4L * positions, positions, lo, hi, owp, part + (t * block + 4) * Lanes);
                                    break;
                                }
                                GradientTap1(x, layout.RowLength, poff[t], dzBlock + (long)partRow * positions, positions, lo, hi, owp, part + (t * block + partRow) * Lanes);
                            }
                        }
                    }
                    if (separate)
                    {
                        int size = g.OutChannels * patch;
                        Reduce(partial, destinations, vectors, weightGradient.Slice(e * size, size), accumulate);
                    }
                }
            }
            if (!separate) Reduce(partial, destinations, vectors, weightGradient, accumulate);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<int>.Shared.Return(destinations);
            if (padded is not null) ArrayPool<float>.Shared.Return(padded);
            if (gradient is not null) ArrayPool<float>.Shared.Return(gradient);
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>
    /// Sums the 8 lanes of every partial vector into dW at its destination (-1: a padding channel), eight vectors at a
    /// time through a transposing add tree, and zeroes the partials for the next image.
    /// </summary>
    private static void Reduce(float[] partial, int[] destinations, int vectors, Span<float> weightGradient, bool accumulate)
    {
        fixed (float* pp = partial)
        fixed (float* dw = weightGradient)
        {
            int v = 0;
            var zero = Vector256<float>.Zero;
            for (; v + 8 <= vectors; v += 8)
            {
                float* p = pp + (long)v * Lanes;
                var ab = Avx.HorizontalAdd(Avx.LoadVector256(p), Avx.LoadVector256(p + 8));
                var cd = Avx.HorizontalAdd(Avx.LoadVector256(p + 16), Avx.LoadVector256(p + 24));
                var ef = Avx.HorizontalAdd(Avx.LoadVector256(p + 32), Avx.LoadVector256(p + 40));
                var gh = Avx.HorizontalAdd(Avx.LoadVector256(p + 48), Avx.LoadVector256(p + 56));
                var abcd = Avx.HorizontalAdd(ab, cd);
                var efgh = Avx.HorizontalAdd(ef, gh);
                // abcd = [A0 B0 C0 D0 | A1 B1 C1 D1] (sums of the low and high halves), likewise efgh.
                var total = Avx.Add(Avx.Permute2x128(abcd, efgh, 0x20), Avx.Permute2x128(abcd, efgh, 0x31));
                for (int k = 0; k < 8; k++) Avx.Store(p + 8 * k, zero);
                for (int l = 0; l < 8; l++)
                {
                    int d = destinations[v + l];
                    if (d >= 0) dw[d] = accumulate ? dw[d] + total.GetElement(l) : total.GetElement(l);
                }
            }
            for (; v < vectors; v++)
            {
                float* p = pp + (long)v * Lanes;
                float sum = 0;
                for (int l = 0; l < Lanes; l++)
                {
                    sum += p[l];
                    p[l] = 0;
                }
                int d = destinations[v];
                if (d >= 0) dw[d] = accumulate ? dw[d] + sum : sum;
            }
        }
    }

    /// <summary>The padded image the kernels read: rows of whole vectors, padding on every side.</summary>
    internal readonly struct Layout
    {
        public Layout(in Conv2DGeometry g)
        {
            PaddedOutWidth = (g.OutWidth + Lanes - 1) / Lanes * Lanes;
            RowLength = Math.Max(PaddedOutWidth + g.DilationWidth * (g.KernelWidth - 1), g.InWidth + 2 * g.PaddingWidth);
            Rows = g.InHeight + 2 * g.PaddingHeight;
            Direct = g.PaddingHeight == 0 && g.PaddingWidth == 0 && RowLength == g.InWidth;
            PaddedSize = g.InChannels * Rows * RowLength;
        }

        /// <summary>The output width rounded up to whole vectors.</summary>
        public int PaddedOutWidth { get; }

        /// <summary>Elements per row of the padded image.</summary>
        public int RowLength { get; }

        /// <summary>Rows per channel of the padded image.</summary>
        public int Rows { get; }

        /// <summary>Whether the input itself has this layout (no copy).</summary>
        public bool Direct { get; }

        public int PaddedSize { get; }

        /// <summary>
        /// offsets[t] of kernel tap t from a window's corner in the padded image, taps in (ky, c, kx) order (see
        /// <see cref="Tap"/>), so the taps of one kernel row are contiguous and rows of padding can be skipped as a range.
        /// </summary>
        public void TapOffsets(in Conv2DGeometry g, int[] offsets)
        {
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int c = 0; c < g.InChannels; c++)
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                        offsets[(ky * g.InChannels + c) * g.KernelWidth + kx] = (c * Rows + ky * g.DilationHeight) * RowLength + kx * g.DilationWidth;
        }

        /// <summary>The offset from a window's corner in the padded image of tap t = (c, ky, kx) in PyTorch's order.</summary>
        public int Offset(in Conv2DGeometry g, int t)
        {
            int kx = t % g.KernelWidth, rest = t / g.KernelWidth, ky = rest % g.KernelHeight, c = rest / g.KernelHeight;
            return (c * Rows + ky * g.DilationHeight) * RowLength + kx * g.DilationWidth;
        }

        /// <summary>The kernel rows [first, end) whose taps read real pixels (not vertical padding) for output row <paramref name="oy"/>.</summary>
        public (int First, int End) KernelRows(in Conv2DGeometry g, int oy)
        {
            int d = g.DilationHeight, top = g.PaddingHeight - oy, bottom = g.PaddingHeight + g.InHeight - 1 - oy;
            int first = top <= 0 ? 0 : (top + d - 1) / d;
            int end = bottom < 0 ? 0 : Math.Min(g.KernelHeight, bottom / d + 1);
            return (first, Math.Max(first, end));
        }

        /// <summary>
        /// The image as the kernels read it: itself when <paramref name="padded"/> is null (<see cref="Direct"/>), else
        /// copied into the interior of that (already zero-bordered) buffer.
        /// </summary>
        public float* Image(in Conv2DGeometry g, float* image, float* padded)
        {
            if (padded is null) return image;
            int w = g.InWidth, bytes = w * sizeof(float);
            for (int c = 0; c < g.InChannels; c++)
                for (int y = 0; y < g.InHeight; y++)
                    Buffer.MemoryCopy(image + (c * g.InHeight + y) * w, padded + (c * Rows + y + g.PaddingHeight) * RowLength + g.PaddingWidth, bytes, bytes);
            return padded;
        }
    }

    /// <summary>The index in PyTorch's (c, ky, kx) order of tap <paramref name="t"/> in the kernels' (ky, c, kx) order.</summary>
    private static int Tap(in Conv2DGeometry g, int t)
    {
        int kx = t % g.KernelWidth, rest = t / g.KernelWidth, c = rest % g.InChannels, ky = rest / g.InChannels;
        return (c * g.KernelHeight + ky) * g.KernelWidth + kx;
    }

    /// <summary>
    /// The output channels per forward micro-kernel: 6 (12 accumulators) when that pads fewer channels than 4, as for
    /// LeNet's 6-channel layers, else 4 (8 accumulators).
    /// </summary>
    private static int ForwardBlock(int channels) => (channels + 5) / 6 * 6 <= (channels + 3) / 4 * 4 ? 6 : Channels;

    /// <summary>Weights as [block][tap (ky, c, kx)][channels of a block] (zero beyond OutChannels), then the bias as [block][channels].</summary>
    private static void PackWeights(in Conv2DGeometry g, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float[] packed, int blocks, int block)
    {
        int patch = g.PatchSize;
        for (int b = 0; b < blocks; b++)
        {
            for (int t = 0; t < patch; t++)
            {
                int tap = Tap(g, t);
                for (int j = 0; j < block; j++)
                {
                    int o = b * block + j;
                    packed[(b * patch + t) * block + j] = o < g.OutChannels ? weight[o * patch + tap] : 0f;
                }
            }
        }
        int biasAt = blocks * patch * block;
        for (int o = 0; o < blocks * block; o++) packed[biasAt + o] = o < g.OutChannels && !bias.IsEmpty ? bias[o] : 0f;
    }

    private static void ForwardImage(in Conv2DGeometry g, in Layout layout, float* x, float* packed, int* offsets, int blocks, int block, float* z, bool accumulate)
    {
        int patch = g.PatchSize, perRow = layout.PaddedOutWidth / Lanes, vectors = g.OutHeight * perRow;
        int plane = g.OutHeight * g.OutWidth, tapsPerRow = g.InChannels * g.KernelWidth;
        float* biasBase = packed + blocks * patch * block;
        for (int b = 0; b < blocks; b++)
        {
            float* w = packed + b * patch * block;
            int channels = Math.Min(block, g.OutChannels - b * block);
            float* zb = z + b * block * plane;
            float* bias = biasBase + b * block;
            int v = 0;
            for (; v + 1 < vectors; v += 2)
            {
                int oyA = v / perRow, oxA = (v - oyA * perRow) * Lanes;
                int oyB = (v + 1) / perRow, oxB = (v + 1 - oyB * perRow) * Lanes;
                var (firstA, endA) = layout.KernelRows(g, oyA);
                var (firstB, endB) = layout.KernelRows(g, oyB);
                if (block == 6)
                {
                    Kernel2x6(x + oyA * layout.RowLength + oxA, x + oyB * layout.RowLength + oxB, offsets, w,
                        Math.Min(firstA, firstB) * tapsPerRow, Math.Max(endA, endB) * tapsPerRow, bias, accumulate,
                        zb, plane, oyA * g.OutWidth + oxA, Math.Min(Lanes, g.OutWidth - oxA), oyB * g.OutWidth + oxB, Math.Min(Lanes, g.OutWidth - oxB), channels);
                    continue;
                }
                Kernel2(x + oyA * layout.RowLength + oxA, x + oyB * layout.RowLength + oxB, offsets, w,
                    Math.Min(firstA, firstB) * tapsPerRow, Math.Max(endA, endB) * tapsPerRow, bias, accumulate,
                    zb, plane, oyA * g.OutWidth + oxA, Math.Min(Lanes, g.OutWidth - oxA), oyB * g.OutWidth + oxB, Math.Min(Lanes, g.OutWidth - oxB), channels);
            }
            if (v < vectors)
            {
                int oy = v / perRow, ox = (v - oy * perRow) * Lanes;
                var (first, end) = layout.KernelRows(g, oy);
                // The odd last vector: a 6-channel block runs as a 4- and a 2-channel part of the 4-channel kernel.
                for (int part = 0; part < channels; part += Channels)
                {
                    Kernel1Strided(x + oy * layout.RowLength + ox, offsets, w + part, block, first * tapsPerRow, end * tapsPerRow, bias + part, accumulate,
                        zb + part * plane, plane, oy * g.OutWidth + ox, Math.Min(Lanes, g.OutWidth - ox), Math.Min(Channels, channels - part));
                }
            }
        }
    }

    /// <summary>4 channels × 2 output vectors (at input corners a and b): 8 accumulators, 2 loads and 4 broadcasts per tap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel2(float* a, float* b, int* offsets, float* w, int firstTap, int endTap, float* bias, bool accumulate,
        float* z, int plane, int atA, int lanesA, int atB, int lanesB, int channels)
    {
        // Every sum starts at the bias (zero without one), plus Z when accumulating.
        Vector256<float> a0 = Vector256.Create(bias[0]), a1 = Vector256.Create(bias[1]), a2 = Vector256.Create(bias[2]), a3 = Vector256.Create(bias[3]);
        Vector256<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3;
        if (accumulate)
        {
            a0 += Load(z, atA, lanesA); b0 += Load(z, atB, lanesB);
            if (channels > 1) { a1 += Load(z + plane, atA, lanesA); b1 += Load(z + plane, atB, lanesB); }
            if (channels > 2) { a2 += Load(z + 2 * plane, atA, lanesA); b2 += Load(z + 2 * plane, atB, lanesB); }
            if (channels > 3) { a3 += Load(z + 3 * plane, atA, lanesA); b3 += Load(z + 3 * plane, atB, lanesB); }
        }
        for (int t = firstTap; t < endTap; t++)
        {
            int offset = offsets[t];
            var xa = Avx.LoadVector256(a + offset);
            var xb = Avx.LoadVector256(b + offset);
            float* wt = w + t * Channels;
            var w0 = Vector256.Create(wt[0]);
            a0 = Fma.MultiplyAdd(w0, xa, a0);
            b0 = Fma.MultiplyAdd(w0, xb, b0);
            var w1 = Vector256.Create(wt[1]);
            a1 = Fma.MultiplyAdd(w1, xa, a1);
            b1 = Fma.MultiplyAdd(w1, xb, b1);
            var w2 = Vector256.Create(wt[2]);
            a2 = Fma.MultiplyAdd(w2, xa, a2);
            b2 = Fma.MultiplyAdd(w2, xb, b2);
            var w3 = Vector256.Create(wt[3]);
            a3 = Fma.MultiplyAdd(w3, xa, a3);
            b3 = Fma.MultiplyAdd(w3, xb, b3);
        }
        Store(a0, z, atA, lanesA); Store(b0, z, atB, lanesB);
        if (channels > 1) { Store(a1, z + plane, atA, lanesA); Store(b1, z + plane, atB, lanesB); }
        if (channels > 2) { Store(a2, z + 2 * plane, atA, lanesA); Store(b2, z + 2 * plane, atB, lanesB); }
        if (channels > 3) { Store(a3, z + 3 * plane, atA, lanesA); Store(b3, z + 3 * plane, atB, lanesB); }
    }

    /// <summary>6 channels × 2 output vectors: 12 accumulators, 2 loads and 6 broadcasts per tap (LeNet's 6-channel layers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel2x6(float* a, float* b, int* offsets, float* w, int firstTap, int endTap, float* bias, bool accumulate,
        float* z, int plane, int atA, int lanesA, int atB, int lanesB, int channels)
    {
        // Every sum starts at the bias (zero without one), plus Z when accumulating.
        Vector256<float> a0 = Vector256.Create(bias[0]), a1 = Vector256.Create(bias[1]), a2 = Vector256.Create(bias[2]);
        Vector256<float> a3 = Vector256.Create(bias[3]), a4 = Vector256.Create(bias[4]), a5 = Vector256.Create(bias[5]);
        Vector256<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5;
        if (accumulate)
        {
            a0 += Load(z, atA, lanesA); b0 += Load(z, atB, lanesB);
            if (channels > 1) { a1 += Load(z + plane, atA, lanesA); b1 += Load(z + plane, atB, lanesB); }
            if (channels > 2) { a2 += Load(z + 2 * plane, atA, lanesA); b2 += Load(z + 2 * plane, atB, lanesB); }
            if (channels > 3) { a3 += Load(z + 3 * plane, atA, lanesA); b3 += Load(z + 3 * plane, atB, lanesB); }
            if (channels > 4) { a4 += Load(z + 4 * plane, atA, lanesA); b4 += Load(z + 4 * plane, atB, lanesB); }
            if (channels > 5) { a5 += Load(z + 5 * plane, atA, lanesA); b5 += Load(z + 5 * plane, atB, lanesB); }
        }
        for (int t = firstTap; t < endTap; t++)
        {
            int offset = offsets[t];
            var xa = Avx.LoadVector256(a + offset);
            var xb = Avx.LoadVector256(b + offset);
            float* wt = w + t * 6;
            var w0 = Vector256.Create(wt[0]);
            a0 = Fma.MultiplyAdd(w0, xa, a0);
            b0 = Fma.MultiplyAdd(w0, xb, b0);
            var w1 = Vector256.Create(wt[1]);
            a1 = Fma.MultiplyAdd(w1, xa, a1);
            b1 = Fma.MultiplyAdd(w1, xb, b1);
            var w2 = Vector256.Create(wt[2]);
            a2 = Fma.MultiplyAdd(w2, xa, a2);
            b2 = Fma.MultiplyAdd(w2, xb, b2);
            var w3 = Vector256.Create(wt[3]);
            a3 = Fma.MultiplyAdd(w3, xa, a3);
            b3 = Fma.MultiplyAdd(w3, xb, b3);
            var w4 = Vector256.Create(wt[4]);
            a4 = Fma.MultiplyAdd(w4, xa, a4);
            b4 = Fma.MultiplyAdd(w4, xb, b4);
            var w5 = Vector256.Create(wt[5]);
            a5 = Fma.MultiplyAdd(w5, xa, a5);
            b5 = Fma.MultiplyAdd(w5, xb, b5);
        }
        Store(a0, z, atA, lanesA); Store(b0, z, atB, lanesB);
        if (channels > 1) { Store(a1, z + plane, atA, lanesA); Store(b1, z + plane, atB, lanesB); }
        if (channels > 2) { Store(a2, z + 2 * plane, atA, lanesA); Store(b2, z + 2 * plane, atB, lanesB); }
        if (channels > 3) { Store(a3, z + 3 * plane, atA, lanesA); Store(b3, z + 3 * plane, atB, lanesB); }
        if (channels > 4) { Store(a4, z + 4 * plane, atA, lanesA); Store(b4, z + 4 * plane, atB, lanesB); }
        if (channels > 5) { Store(a5, z + 5 * plane, atA, lanesA); Store(b5, z + 5 * plane, atB, lanesB); }
    }

    /// <summary>Up to 4 channels × 1 output vector (the odd last vector of an image); tap t's weights at w + t · stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel1Strided(float* a, int* offsets, float* w, int stride, int firstTap, int endTap, float* bias, bool accumulate, float* z, int plane, int at, int lanes, int channels)
    {
        Vector256<float> a0 = Vector256.Create(bias[0]), a1 = Vector256.Create(bias[1]), a2 = Vector256.Create(bias[2]), a3 = Vector256.Create(bias[3]);
        if (accumulate)
        {
            a0 += Load(z, at, lanes);
            if (channels > 1) a1 += Load(z + plane, at, lanes);
            if (channels > 2) a2 += Load(z + 2 * plane, at, lanes);
            if (channels > 3) a3 += Load(z + 3 * plane, at, lanes);
        }
        for (int t = firstTap; t < endTap; t++)
        {
            var xa = Avx.LoadVector256(a + offsets[t]);
            float* wt = w + t * stride;
            a0 = Fma.MultiplyAdd(Vector256.Create(wt[0]), xa, a0);
            a1 = Fma.MultiplyAdd(Vector256.Create(wt[1]), xa, a1);
            a2 = Fma.MultiplyAdd(Vector256.Create(wt[2]), xa, a2);
            a3 = Fma.MultiplyAdd(Vector256.Create(wt[3]), xa, a3);
        }
        Store(a0, z, at, lanes);
        if (channels > 1) Store(a1, z + plane, at, lanes);
        if (channels > 2) Store(a2, z + 2 * plane, at, lanes);
        if (channels > 3) Store(a3, z + 3 * plane, at, lanes);
    }

    /// <summary>Two taps × 4 rows of output gradient over every position: 8 accumulators, 2 input and 4 gradient loads per vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTaps2(float* x, int rowLength, int offset0, int offset1, float* dz, int positions, int firstRow, int endRow, int owp, float* part)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        for (int oy = firstRow; oy < endRow; oy++)
        {
            float* x0p = x + oy * rowLength + offset0, x1p = x + oy * rowLength + offset1;
            float* d0p = dz + oy * owp, d1p = d0p + positions, d2p = d1p + positions, d3p = d2p + positions;
            for (int ox = 0; ox < owp; ox += Lanes)
            {
                var x0 = Avx.LoadVector256(x0p + ox);
                var x1 = Avx.LoadVector256(x1p + ox);
                var d0 = Avx.LoadVector256(d0p + ox);
                s00 = Fma.MultiplyAdd(d0, x0, s00);
                s10 = Fma.MultiplyAdd(d0, x1, s10);
                var d1 = Avx.LoadVector256(d1p + ox);
                s01 = Fma.MultiplyAdd(d1, x0, s01);
                s11 = Fma.MultiplyAdd(d1, x1, s11);
                var d2 = Avx.LoadVector256(d2p + ox);
                s02 = Fma.MultiplyAdd(d2, x0, s02);
                s12 = Fma.MultiplyAdd(d2, x1, s12);
                var d3 = Avx.LoadVector256(d3p + ox);
                s03 = Fma.MultiplyAdd(d3, x0, s03);
                s13 = Fma.MultiplyAdd(d3, x1, s13);
            }
        }
        Add(part, s00); Add(part + Lanes, s01); Add(part + 2 * Lanes, s02); Add(part + 3 * Lanes, s03);
        float* next = part + Channels * Lanes;
        Add(next, s10); Add(next + Lanes, s11); Add(next + 2 * Lanes, s12); Add(next + 3 * Lanes, s13);
    }

    /// <summary>Two taps × 6 rows of output gradient over every position: 12 accumulators, 2 input and 6 gradient loads per vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTaps2x6(float* x, int rowLength, int offset0, int offset1, float* dz, int positions, int firstRow, int endRow, int owp, float* part)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default;
        for (int oy = firstRow; oy < endRow; oy++)
        {
            float* x0p = x + oy * rowLength + offset0, x1p = x + oy * rowLength + offset1;
            float* d0p = dz + oy * owp, d1p = d0p + positions, d2p = d1p + positions, d3p = d2p + positions, d4p = d3p + positions, d5p = d4p + positions;
            for (int ox = 0; ox < owp; ox += Lanes)
            {
                var x0 = Avx.LoadVector256(x0p + ox);
                var x1 = Avx.LoadVector256(x1p + ox);
                var d = Avx.LoadVector256(d0p + ox);
                s0 = Fma.MultiplyAdd(d, x0, s0);
                t0 = Fma.MultiplyAdd(d, x1, t0);
                d = Avx.LoadVector256(d1p + ox);
                s1 = Fma.MultiplyAdd(d, x0, s1);
                t1 = Fma.MultiplyAdd(d, x1, t1);
                d = Avx.LoadVector256(d2p + ox);
                s2 = Fma.MultiplyAdd(d, x0, s2);
                t2 = Fma.MultiplyAdd(d, x1, t2);
                d = Avx.LoadVector256(d3p + ox);
                s3 = Fma.MultiplyAdd(d, x0, s3);
                t3 = Fma.MultiplyAdd(d, x1, t3);
                d = Avx.LoadVector256(d4p + ox);
                s4 = Fma.MultiplyAdd(d, x0, s4);
                t4 = Fma.MultiplyAdd(d, x1, t4);
                d = Avx.LoadVector256(d5p + ox);
                s5 = Fma.MultiplyAdd(d, x0, s5);
                t5 = Fma.MultiplyAdd(d, x1, t5);
            }
        }
        Add(part, s0); Add(part + Lanes, s1); Add(part + 2 * Lanes, s2); Add(part + 3 * Lanes, s3); Add(part + 4 * Lanes, s4); Add(part + 5 * Lanes, s5);
        float* next = part + 6 * Lanes;
        Add(next, t0); Add(next + Lanes, t1); Add(next + 2 * Lanes, t2); Add(next + 3 * Lanes, t3); Add(next + 4 * Lanes, t4); Add(next + 5 * Lanes, t5);
    }

    /// <summary>One tap × 2 rows of output gradient (the last two rows of a 6-row block's odd last tap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTap1Rows2(float* x, int rowLength, int offset, float* dz, int positions, int firstRow, int endRow, int owp, float* part)
    {
        Vector256<float> s0 = default, s1 = default;
        for (int oy = firstRow; oy < endRow; oy++)
        {
            float* row = x + oy * rowLength + offset;
            float* d0p = dz + oy * owp, d1p = d0p + positions;
            for (int ox = 0; ox < owp; ox += Lanes)
            {
                var x0 = Avx.LoadVector256(row + ox);
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(d0p + ox), x0, s0);
                s1 = Fma.MultiplyAdd(Avx.LoadVector256(d1p + ox), x0, s1);
            }
        }
        Add(part, s0); Add(part + Lanes, s1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientTap1(float* x, int rowLength, int offset, float* dz, int positions, int firstRow, int endRow, int owp, float* part)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int oy = firstRow; oy < endRow; oy++)
        {
            float* row = x + oy * rowLength + offset;
            float* d0p = dz + oy * owp, d1p = d0p + positions, d2p = d1p + positions, d3p = d2p + positions;
            for (int ox = 0; ox < owp; ox += Lanes)
            {
                var x0 = Avx.LoadVector256(row + ox);
                s0 = Fma.MultiplyAdd(Avx.LoadVector256(d0p + ox), x0, s0);
                s1 = Fma.MultiplyAdd(Avx.LoadVector256(d1p + ox), x0, s1);
                s2 = Fma.MultiplyAdd(Avx.LoadVector256(d2p + ox), x0, s2);
                s3 = Fma.MultiplyAdd(Avx.LoadVector256(d3p + ox), x0, s3);
            }
        }
        Add(part, s0); Add(part + Lanes, s1); Add(part + 2 * Lanes, s2); Add(part + 3 * Lanes, s3);
    }

    /// <summary>The output rows [first, end) at which kernel row ky0 or ky1 reads real pixels (not vertical padding).</summary>
    private static (int First, int End) OutputRows(in Conv2DGeometry g, int ky0, int ky1)
    {
        int lo0 = Math.Max(0, g.PaddingHeight - ky0 * g.DilationHeight), hi0 = Math.Min(g.OutHeight, g.PaddingHeight + g.InHeight - ky0 * g.DilationHeight);
        int lo1 = Math.Max(0, g.PaddingHeight - ky1 * g.DilationHeight), hi1 = Math.Min(g.OutHeight, g.PaddingHeight + g.InHeight - ky1 * g.DilationHeight);
        if (lo0 >= hi0) (lo0, hi0) = (lo1, hi1);
        if (lo1 >= hi1) (lo1, hi1) = (lo0, hi0);
        int first = Math.Min(lo0, lo1), end = Math.Max(hi0, hi1);
        return (first, Math.Max(first, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* at, Vector256<float> value) => Avx.Store(at, Avx.Add(Avx.LoadVector256(at), value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* z, int at, int lanes)
    {
        if (lanes == Lanes) return Avx.LoadVector256(z + at);
        var v = Vector256<float>.Zero;
        for (int l = 0; l < lanes; l++) v = v.WithElement(l, z[at + l]);
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, float* z, int at, int lanes)
    {
        if (lanes == Lanes)
        {
            Avx.Store(z + at, value);
            return;
        }
        for (int l = 0; l < lanes; l++) z[at + l] = value.GetElement(l);
    }
}
