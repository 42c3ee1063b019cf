using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// 2-D max and average pooling on rows of NCHW images (PyTorch's <c>nn.MaxPool2d</c> / <c>nn.AvgPool2d</c> with kernel
/// and stride, no padding, floor mode), with their backward passes for gradients and for the c seeded factors of
/// curvature passes, and the forward-mode tangent of max pooling. The geometry is a <see cref="Conv2DGeometry"/> with
/// InChannels = OutChannels, no padding and dilation 1.
/// </summary>
/// <remarks>
/// Ties: the maximum of a window is the first maximal element in row-major order of the window (PyTorch's CPU rule:
/// an element replaces the maximum only if it is greater, or NaN), and the gradient goes to it alone. A NaN in a window
/// is its maximum (PyTorch propagates NaN; the last NaN gets the gradient). Windows may overlap (stride &lt; kernel):
/// their gradients add. 2×2 windows at stride 2, LeNet's and CifarNet's, have unrolled paths.
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
            if (Is2x2(g))
            {
                if (typeof(T) != typeof(float) || !Max2x2Float(g, MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y))) Max2x2(g, x, y);
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
            if (Is2x2(g))
            {
                if (typeof(T) == typeof(float) && Max2x2BackwardFloat(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(outputGradient),
                        MemoryMarshal.Cast<T, float>(inputGradient), n, c)) return;
                Max2x2Backward(g, input, outputGradient, inputGradient, n, c, argmax);
                return;
            }
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

    /// <summary>The index, within one image, of the first maximal element of output window <paramref name="w"/> (the last NaN, if any).</summary>
    public static int ArgMax<T>(in Conv2DGeometry g, ReadOnlySpan<T> image, int w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (start, _) = Window(g, w);
        int best = start;
        T max = image[start];
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int rowStart = start + ky * g.InWidth;
            for (int kx = ky == 0 ? 1 : 0; kx < g.KernelWidth; kx++)
            {
                T v = image[rowStart + kx];
                if (v > max || T.IsNaN(v))
                {
                    max = v;
                    best = rowStart + kx;
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

    private static bool Is2x2(in Conv2DGeometry g) => g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2;

    /// <summary>
    /// The four elements of 8 2×2 windows as vectors a, b (top row, even and odd columns), c, d (bottom row), the index
    /// (0…3, as float) of each window's first maximum (NaN wins, as in the scalar rule) and its maximum. Windows 0…3
    /// read 8 pixels at <paramref name="top0"/> and <paramref name="bottom0"/>, windows 4…7 at <paramref name="top1"/>
    /// and <paramref name="bottom1"/> (8 further on for 8 consecutive windows; the next row pair's for two half rows).
    /// Branch-free: on random data the scalar comparisons mispredict about half the time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector256<float> Max, Vector256<float> Index) Windows8(float* top0, float* top1, float* bottom0, float* bottom1)
    {
        var t0 = Avx.LoadVector256(top0);
        var t1 = Avx.LoadVector256(top1);
        var b0 = Avx.LoadVector256(bottom0);
        var b1 = Avx.LoadVector256(bottom1);
        var a = Even(t0, t1);
        var b = Odd(t0, t1);
        var c = Even(b0, b1);
        var d = Odd(b0, b1);
        var m = a;
        var index = Vector256<float>.Zero;
        var take = Avx.Or(Avx.CompareGreaterThan(b, m), Avx.CompareUnordered(b, b));
        m = Avx.BlendVariable(m, b, take);
        index = Avx.BlendVariable(index, Vector256.Create(1f), take);
        take = Avx.Or(Avx.CompareGreaterThan(c, m), Avx.CompareUnordered(c, c));
        m = Avx.BlendVariable(m, c, take);
        index = Avx.BlendVariable(index, Vector256.Create(2f), take);
        take = Avx.Or(Avx.CompareGreaterThan(d, m), Avx.CompareUnordered(d, d));
        m = Avx.BlendVariable(m, d, take);
        index = Avx.BlendVariable(index, Vector256.Create(3f), take);
        return (m, index);

        static Vector256<float> Even(Vector256<float> x, Vector256<float> y) =>
            Avx2.Permute4x64(Avx.Shuffle(x, y, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();

        static Vector256<float> Odd(Vector256<float> x, Vector256<float> y) =>
            Avx2.Permute4x64(Avx.Shuffle(x, y, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>
    /// Writes the gradients v of 8 windows to their argmax pixels (index 0…3 as float, from <see cref="Windows8"/>) and 0
    /// to the other pixels of the windows: 8 pixels of the top and bottom rows at r0a, r1a (windows 0…3) and at r0b, r1b
    /// (windows 4…7).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Scatter8(Vector256<float> v, Vector256<float> index, float* r0a, float* r0b, float* r1a, float* r1b)
    {
        var zero = Vector256<float>.Zero;
        var a = Avx.BlendVariable(zero, v, Avx.CompareEqual(index, zero));
        var b = Avx.BlendVariable(zero, v, Avx.CompareEqual(index, Vector256.Create(1f)));
        var c = Avx.BlendVariable(zero, v, Avx.CompareEqual(index, Vector256.Create(2f)));
        var d = Avx.BlendVariable(zero, v, Avx.CompareEqual(index, Vector256.Create(3f)));
        Interleave(r0a, r0b, a, b);
        Interleave(r1a, r1b, c, d);
    }

    /// <summary>Writes window values (a at even, b at odd columns) back to interleaved pixels: windows 0…3 at <paramref name="low"/>, 4…7 at <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Interleave(float* low, float* high, Vector256<float> even, Vector256<float> odd)
    {
        // even = [e0..e7], odd = [o0..o7] → [e0 o0 e1 o1 e2 o2 e3 o3], [e4 o4 … e7 o7].
        var e = Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle();
        var o = Avx2.Permute4x64(odd.AsDouble(), 0b11_01_10_00).AsSingle();
        Avx.Store(low, Avx.UnpackLow(e, o));
        Avx.Store(high, Avx.UnpackHigh(e, o));
    }

    /// <summary>
    /// The order in which the vector passes visit the windows of one image: row pair q = (channel, oy) in turn, 8 windows
    /// at a time. When a row ends in exactly 4 windows (LeNet's 12- and 4-window rows), two row pairs' last halves make
    /// one vector; other partial ends are staged. The forward, argmax and scatter passes all walk through <see cref="Visit"/>.
    /// </summary>
    private readonly struct WindowWalk(in Conv2DGeometry g)
    {
        private readonly int _inH = g.InHeight, _inW = g.InWidth, _outH = g.OutHeight, _outW = g.OutWidth, _channels = g.InChannels;

        public int InWidth => _inW;

        public int OutWidth => _outW;

        /// <summary>The offset of row pair q's top row in an image.</summary>
        public int Top(int q)
        {
            int ch = q / _outH, oy = q - ch * _outH;
            return (ch * _inH + 2 * oy) * _inW;
        }

        /// <summary>Hands every window of one image to <paramref name="visitor"/>, in vectors of 8 where it can.</summary>
        public void Visit<TVisitor>(ref TVisitor visitor) where TVisitor : struct, IWindowVisitor
        {
            int full = _outW / 8 * 8, pending = -1;
            bool halves = _outW % 8 == 4;
            for (int q = 0; q < _channels * _outH; q++)
            {
                int ox = 0;
                for (; ox < full; ox += 8) visitor.Full(this, q, ox);
                if (ox == _outW) continue;
                if (!halves)
                {
                    visitor.Staged(this, q, ox, _outW - ox);
                }
                else if (pending < 0)
                {
                    pending = q;
                }
                else
                {
                    visitor.Halves(this, pending, q, ox);
                    pending = -1;
                }
            }
            if (pending >= 0) visitor.Staged(this, pending, full, _outW - full);
        }
    }

    /// <summary>One vector pass over the windows of an image (see <see cref="WindowWalk.Visit"/>).</summary>
    private interface IWindowVisitor
    {
        /// <summary>Windows ox … ox + 7 of row pair q.</summary>
        void Full(in WindowWalk walk, int q, int ox);

        /// <summary>Windows ox … ox + 3 of row pair <paramref name="first"/> (lanes 0–3) and of <paramref name="second"/> (lanes 4–7).</summary>
        void Halves(in WindowWalk walk, int first, int second, int ox);

        /// <summary>The last <paramref name="count"/> (&lt; 8) windows of row pair q, from ox, staged.</summary>
        void Staged(in WindowWalk walk, int q, int ox, int count);
    }

    /// <summary>
    /// Writes each window's maximum (or, with <see cref="Index"/>, its argmax index 0…3 as float) of image
    /// <see cref="X"/> to <see cref="Y"/>, in window order.
    /// </summary>
    private unsafe struct WindowsPass : IWindowVisitor
    {
        public float* X, Y, Tail;
        public bool Index;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Full(in WindowWalk walk, int q, int ox)
        {
            float* r0 = X + walk.Top(q) + 2 * ox, r1 = r0 + walk.InWidth;
            Avx.Store(Y + q * walk.OutWidth + ox, Pick(Windows8(r0, r0 + 8, r1, r1 + 8)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Halves(in WindowWalk walk, int first, int second, int ox)
        {
            float* a = X + walk.Top(first) + 2 * ox, b = X + walk.Top(second) + 2 * ox;
            var value = Pick(Windows8(a, b, a + walk.InWidth, b + walk.InWidth));
            Sse.Store(Y + first * walk.OutWidth + ox, value.GetLower());
            Sse.Store(Y + second * walk.OutWidth + ox, value.GetUpper());
        }

        public readonly void Staged(in WindowWalk walk, int q, int ox, int count)
        {
            float* r0 = X + walk.Top(q) + 2 * ox;
            Avx.Store(Tail + 32, Pick(TailWindows8(r0, r0 + walk.InWidth, count, Tail)));
            float* output = Y + q * walk.OutWidth + ox;
            for (int k = 0; k < count; k++) output[k] = Tail[32 + k];
        }

        private readonly Vector256<float> Pick((Vector256<float> Max, Vector256<float> Index) windows) => Index ? windows.Index : windows.Max;
    }

    /// <summary>Sends each window's gradient of <see cref="Dy"/> to its argmax pixel (indices from <see cref="WindowsPass"/>) in <see cref="Dx"/>.</summary>
    private unsafe struct ScatterPass : IWindowVisitor
    {
        public float* Dy, Indices, Dx, Tail;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Full(in WindowWalk walk, int q, int ox)
        {
            float* r0 = Dx + walk.Top(q) + 2 * ox, r1 = r0 + walk.InWidth;
            int w = q * walk.OutWidth + ox;
            Scatter8(Avx.LoadVector256(Dy + w), Avx.LoadVector256(Indices + w), r0, r0 + 8, r1, r1 + 8);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Halves(in WindowWalk walk, int first, int second, int ox)
        {
            int v = first * walk.OutWidth + ox, w = second * walk.OutWidth + ox;
            float* a = Dx + walk.Top(first) + 2 * ox, b = Dx + walk.Top(second) + 2 * ox;
            var gradient = Vector256.Create(Sse.LoadVector128(Dy + v), Sse.LoadVector128(Dy + w));
            var index = Vector256.Create(Sse.LoadVector128(Indices + v), Sse.LoadVector128(Indices + w));
            Scatter8(gradient, index, a, b, a + walk.InWidth, b + walk.InWidth);
        }

        public readonly void Staged(in WindowWalk walk, int q, int ox, int count)
        {
            // The last windows of the row through the same vector pass, staged in the tail buffer.
            int w = q * walk.OutWidth + ox;
            for (int k = 0; k < count; k++)
            {
                Tail[32 + k] = Dy[w + k];
                Tail[40 + k] = Indices[w + k];
            }
            Scatter8(Avx.LoadVector256(Tail + 32), Avx.LoadVector256(Tail + 40), Tail, Tail + 8, Tail + 16, Tail + 24);
            float* r0 = Dx + walk.Top(q) + 2 * ox, r1 = r0 + walk.InWidth;
            for (int k = 0; k < 2 * count; k++)
            {
                r0[k] = Tail[k];
                r1[k] = Tail[16 + k];
            }
        }
    }

    private static unsafe bool Max2x2Float(in Conv2DGeometry g, ReadOnlySpan<float> x, Span<float> y)
    {
        if (!Avx2.IsSupported) return false;
        var walk = new WindowWalk(g);
        float* tail = stackalloc float[3 * 16];
        new Span<float>(tail, 3 * 16).Clear();
        fixed (float* px = x)
        fixed (float* py = y)
        {
            var pass = new WindowsPass { X = px, Y = py, Tail = tail, Index = false };
            walk.Visit(ref pass);
        }
        return true;
    }

    /// <summary>
    /// <see cref="Windows8"/> on the last <paramref name="count"/> (&lt; 8) windows of a row pair, staged in
    /// <paramref name="buffer"/> (32 floats: top, then bottom pixels); lanes from <paramref name="count"/> on are
    /// meaningless. Lanes are independent, so a partial row costs one vector pass instead of scalar compares.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector256<float> Max, Vector256<float> Index) TailWindows8(float* top, float* bottom, int count, float* buffer)
    {
        for (int k = 0; k < 2 * count; k++)
        {
            buffer[k] = top[k];
            buffer[16 + k] = bottom[k];
        }
        return Windows8(buffer, buffer + 8, buffer + 16, buffer + 24);
    }

    private static unsafe bool Max2x2BackwardFloat(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int n, int c)
    {
        if (!Avx2.IsSupported) return false;
        var walk = new WindowWalk(g);
        int inSize = g.InChannels * g.InHeight * g.InWidth, outSize = g.OutChannels * g.OutHeight * g.OutWidth;
        bool tiled = g.InHeight == 2 * g.OutHeight && g.InWidth == 2 * g.OutWidth;
        // The argmax index of every window of the image, in window order (as the gradients are).
        var indices = ArrayPool<float>.Shared.Rent(outSize + 8);
        float* tail = stackalloc float[3 * 16];
        new Span<float>(tail, 3 * 16).Clear();
        try
        {
            fixed (float* px = input)
            fixed (float* pdy = outputGradient)
            fixed (float* pdx = inputGradient)
            fixed (float* pidx = indices)
            {
                for (int e = 0; e < n; e++)
                {
                    var argmax = new WindowsPass { X = px + (long)e * inSize, Y = pidx, Tail = tail, Index = true };
                    walk.Visit(ref argmax);
                    for (int r = 0; r < c; r++)
                    {
                        float* dx = pdx + (long)(e * c + r) * inSize;
                        if (!tiled) new Span<float>(dx, inSize).Clear();
                        var scatter = new ScatterPass { Dy = pdy + (long)(e * c + r) * outSize, Indices = pidx, Dx = dx, Tail = tail };
                        walk.Visit(ref scatter);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(indices);
        }
        return true;
    }

    /// <summary>2×2 windows at stride 2 (LeNet's pooling): the same first-max rule, unrolled.</summary>
    private static void Max2x2<T>(in Conv2DGeometry g, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        for (int ch = 0; ch < g.InChannels; ch++)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                ref T r0 = ref Unsafe.Add(ref xr, (ch * inH + 2 * oy) * inW);
                ref T r1 = ref Unsafe.Add(ref r0, inW);
                ref T d = ref Unsafe.Add(ref yr, (ch * outH + oy) * outW);
                for (int ox = 0; ox < outW; ox++)
                {
                    T m = Unsafe.Add(ref r0, 2 * ox), b = Unsafe.Add(ref r0, 2 * ox + 1), c = Unsafe.Add(ref r1, 2 * ox), e = Unsafe.Add(ref r1, 2 * ox + 1);
                    if (b > m || T.IsNaN(b)) m = b;
                    if (c > m || T.IsNaN(c)) m = c;
                    if (e > m || T.IsNaN(e)) m = e;
                    Unsafe.Add(ref d, ox) = m;
                }
            }
        }
    }

    /// <summary>
    /// The backward pass of 2×2, stride-2 max pooling: each example's argmax per window once, then every row's gradient
    /// written (window elements that are not the argmax, and pixels no window covers, get 0), with no separate clearing.
    /// </summary>
    private static void Max2x2Backward<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int n, int c, int[] argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inH = g.InHeight, inW = g.InWidth, outH = g.OutHeight, outW = g.OutWidth;
        int inSize = g.InChannels * inH * inW, outSize = g.OutChannels * outH * outW;
        bool tiled = inH == 2 * outH && inW == 2 * outW;
        for (int e = 0; e < n; e++)
        {
            ref T x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), e * inSize);
            int w = 0;
            for (int ch = 0; ch < g.InChannels; ch++)
            {
                for (int oy = 0; oy < outH; oy++)
                {
                    int row = (ch * inH + 2 * oy) * inW;
                    ref T r0 = ref Unsafe.Add(ref x, row);
                    ref T r1 = ref Unsafe.Add(ref r0, inW);
                    for (int ox = 0; ox < outW; ox++, w++)
                    {
                        // The position within the window: 0, 1 (top row), 2, 3 (bottom row).
                        T m = Unsafe.Add(ref r0, 2 * ox), b = Unsafe.Add(ref r0, 2 * ox + 1), cc = Unsafe.Add(ref r1, 2 * ox), d = Unsafe.Add(ref r1, 2 * ox + 1);
                        int best = 0;
                        if (b > m || T.IsNaN(b)) { m = b; best = 1; }
                        if (cc > m || T.IsNaN(cc)) { m = cc; best = 2; }
                        if (d > m || T.IsNaN(d)) best = 3;
                        argmax[w] = best;
                    }
                }
            }
            for (int r = 0; r < c; r++)
            {
                ref T dy = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputGradient), (e * c + r) * outSize);
                Span<T> dxRow = inputGradient.Slice((e * c + r) * inSize, inSize);
                if (!tiled) dxRow.Clear();
                ref T dx = ref MemoryMarshal.GetReference(dxRow);
                w = 0;
                for (int ch = 0; ch < g.InChannels; ch++)
                {
                    for (int oy = 0; oy < outH; oy++)
                    {
                        ref T r0 = ref Unsafe.Add(ref dx, (ch * inH + 2 * oy) * inW);
                        ref T r1 = ref Unsafe.Add(ref r0, inW);
                        for (int ox = 0; ox < outW; ox++, w++)
                        {
                            T v = Unsafe.Add(ref dy, w);
                            int best = argmax[w];
                            Unsafe.Add(ref r0, 2 * ox) = best == 0 ? v : T.Zero;
                            Unsafe.Add(ref r0, 2 * ox + 1) = best == 1 ? v : T.Zero;
                            Unsafe.Add(ref r1, 2 * ox) = best == 2 ? v : T.Zero;
                            Unsafe.Add(ref r1, 2 * ox + 1) = best == 3 ? v : T.Zero;
                        }
                    }
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
