using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// A 2-D convolution on rows of NCHW images (PyTorch's <c>nn.Conv2d</c>: weight [out, in, kh, kw] row-major, one bias
/// per output channel, zero padding, stride and dilation). Stride-1 convolutions in float run direct kernels on 256-bit
/// FMA hardware: for maps of fewer than 256 positions those of <c>ChannelVectorConv2D</c> (vectors along the output
/// channels), else those of <c>DirectConv2D</c> (vectors along the output positions); everything else unfolds each
/// image into its patch matrix U (<see cref="Im2Col"/>) and runs one GEMM per image: Z = W U, dW = Σ dZ Uᵀ,
/// dX = col2im(Wᵀ dZ). The direct kernels measure 3–8× faster than the unfolded path on LeNet's shapes, whose GEMMs
/// (6 or 16 rows, 25 to 150 deep) are bound by packing. Serial: callers split batches across cores. Scratch is pooled,
/// so a call allocates nothing after warm-up.
/// </summary>
public static class Conv2D
{
    /// <summary>
    /// Writes (or, with <paramref name="accumulate"/>, adds) the convolution of <paramref name="rows"/> images
    /// [rows, InChannels·InHeight·InWidth] into <paramref name="output"/> [rows, OutChannels·OutHeight·OutWidth].
    /// <paramref name="bias"/> (OutChannels values) is added per channel unless it is empty.
    /// </summary>
    public static void Forward<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias,
        Span<T> output, int rows, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, input.Length, InputSize(g), rows, nameof(input));
        Check(g, output.Length, OutputSize(g), rows, nameof(output));
        CheckWeight(g, weight.Length, bias.Length);
        if (typeof(T) == typeof(float) && ChannelVectorConv2D.PreferForward(g))
        {
            ChannelVectorConv2D.Forward(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(weight), MemoryMarshal.Cast<T, float>(bias),
                MemoryMarshal.Cast<T, float>(output), rows, accumulate);
            return;
        }
        if (typeof(T) == typeof(float) && DirectConv2D.Supports(g))
        {
            DirectConv2D.Forward(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(weight), MemoryMarshal.Cast<T, float>(bias),
                MemoryMarshal.Cast<T, float>(output), rows, accumulate);
            return;
        }
        ForwardUnfolded(g, input, weight, bias, output, rows, accumulate);
    }

    /// <summary><see cref="Forward{T}"/> by unfolding and GEMM (any geometry; the reference for the direct kernels).</summary>
    internal static void ForwardUnfolded<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias,
        Span<T> output, int rows, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inSize = InputSize(g), outSize = OutputSize(g), patch = g.PatchSize, positions = g.Positions, cout = g.OutChannels;
        bool identity = Im2Col.IsIdentity(g);
        T[]? rented = identity ? null : ArrayPool<T>.Shared.Rent(patch * positions);
        try
        {
            for (int e = 0; e < rows; e++)
            {
                ReadOnlySpan<T> u = Im2Col.Patches(g, input.Slice(e * inSize, inSize), rented);
                Span<T> z = output.Slice(e * outSize, outSize);
                Blas.Gemm(false, false, cout, positions, patch, T.One, weight, patch, u, positions, accumulate ? T.One : T.Zero, z, positions);
                if (!bias.IsEmpty)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        Span<T> plane = z.Slice(o * positions, positions);
                        TensorPrimitives.Add(plane, bias[o], plane);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The weight and bias gradients of <paramref name="rows"/> images: dW = Σₑ dZₑ Uₑᵀ [OutChannels, PatchSize] and
    /// db = Σₑ Σₚ dZₑ[o, p]. Overwrites <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (which may
    /// be empty: no bias) unless <paramref name="accumulate"/>.
    /// </summary>
    public static void BackwardWeight<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, int rows, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, input.Length, InputSize(g), rows, nameof(input));
        Check(g, outputGradient.Length, OutputSize(g), rows, nameof(outputGradient));
        CheckWeight(g, weightGradient.Length, biasGradient.Length);
        if (typeof(T) == typeof(float) && ChannelVectorConv2D.Prefer(g))
        {
            ChannelVectorConv2D.WeightGradient(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(outputGradient),
                MemoryMarshal.Cast<T, float>(weightGradient), rows, accumulate, separate: false);
            BiasGradient(g, outputGradient, biasGradient, rows, accumulate);
            return;
        }
        if (typeof(T) == typeof(float) && DirectConv2D.Supports(g))
        {
            DirectConv2D.WeightGradient(g, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(outputGradient),
                MemoryMarshal.Cast<T, float>(weightGradient), rows, accumulate);
            BiasGradient(g, outputGradient, biasGradient, rows, accumulate);
            return;
        }
        BackwardWeightUnfolded(g, input, outputGradient, weightGradient, biasGradient, rows, accumulate);
    }

    /// <summary><see cref="BackwardWeight{T}"/> by unfolding and GEMM (any geometry; the reference for the direct kernels).</summary>
    internal static void BackwardWeightUnfolded<T>(in Conv2DGeometry g, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient,
        Span<T> weightGradient, Span<T> biasGradient, int rows, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inSize = InputSize(g), outSize = OutputSize(g), patch = g.PatchSize, positions = g.Positions, cout = g.OutChannels;
        if (!accumulate)
        {
            weightGradient.Slice(0, cout * patch).Clear();
            biasGradient.Clear();
        }
        bool identity = Im2Col.IsIdentity(g);
        T[]? rented = identity ? null : ArrayPool<T>.Shared.Rent(patch * positions);
        try
        {
            for (int e = 0; e < rows; e++)
            {
                ReadOnlySpan<T> u = Im2Col.Patches(g, input.Slice(e * inSize, inSize), rented);
                ReadOnlySpan<T> dz = outputGradient.Slice(e * outSize, outSize);
                Blas.Gemm(false, true, cout, patch, positions, T.One, dz, positions, u, positions, T.One, weightGradient, patch);
                for (int o = 0; o < biasGradient.Length; o++) biasGradient[o] += TensorPrimitives.Sum(dz.Slice(o * positions, positions));
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The input gradient of <paramref name="rows"/> output gradients: dX = col2im(Wᵀ dZ) [rows, InChannels·InHeight·InWidth],
    /// overwriting <paramref name="inputGradient"/>. Rows need not be examples: the c seeded factors of n examples are n·c rows.
    /// </summary>
    public static void BackwardInput<T>(in Conv2DGeometry g, ReadOnlySpan<T> outputGradient, ReadOnlySpan<T> weight,
        Span<T> inputGradient, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(g, outputGradient.Length, OutputSize(g), rows, nameof(outputGradient));
        Check(g, inputGradient.Length, InputSize(g), rows, nameof(inputGradient));
        CheckWeight(g, weight.Length, 0);
        if (typeof(T) == typeof(float) && ChannelVectorConv2D.PreferInputGradient(g))
        {
            ChannelVectorConv2D.BackwardInput(g, MemoryMarshal.Cast<T, float>(outputGradient), MemoryMarshal.Cast<T, float>(weight),
                MemoryMarshal.Cast<T, float>(inputGradient), rows);
            return;
        }
        if (typeof(T) == typeof(float) && DirectConv2D.SupportsInputGradient(g))
        {
            DirectConv2D.BackwardInput(g, MemoryMarshal.Cast<T, float>(outputGradient), MemoryMarshal.Cast<T, float>(weight),
                MemoryMarshal.Cast<T, float>(inputGradient), rows);
            return;
        }
        BackwardInputUnfolded(g, outputGradient, weight, inputGradient, rows);
    }

    /// <summary><see cref="BackwardInput{T}"/> by GEMM and folding (any geometry; the reference for the direct kernels).</summary>
    internal static void BackwardInputUnfolded<T>(in Conv2DGeometry g, ReadOnlySpan<T> outputGradient, ReadOnlySpan<T> weight,
        Span<T> inputGradient, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inSize = InputSize(g), outSize = OutputSize(g), patch = g.PatchSize, positions = g.Positions, cout = g.OutChannels;
        bool identity = Im2Col.IsIdentity(g);
        T[]? rented = identity ? null : ArrayPool<T>.Shared.Rent(patch * positions);
        try
        {
            for (int e = 0; e < rows; e++)
            {
                ReadOnlySpan<T> dz = outputGradient.Slice(e * outSize, outSize);
                Span<T> dx = inputGradient.Slice(e * inSize, inSize);
                if (rented is null)
                {
                    Blas.Gemm(true, false, patch, positions, cout, T.One, weight, patch, dz, positions, T.Zero, dx, positions);
                    continue;
                }
                Span<T> columns = rented.AsSpan(0, patch * positions);
                Blas.Gemm(true, false, patch, positions, cout, T.One, weight, patch, dz, positions, T.Zero, columns, positions);
                dx.Clear();
                Im2Col.FoldAdd(g, columns, positions, dx);
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>db[o] (+)= Σₑ Σₚ dZₑ[o, p].</summary>
    private static void BiasGradient<T>(in Conv2DGeometry g, ReadOnlySpan<T> outputGradient, Span<T> biasGradient, int rows, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (biasGradient.IsEmpty) return;
        if (!accumulate) biasGradient.Clear();
        int outSize = OutputSize(g), positions = g.Positions;
        for (int e = 0; e < rows; e++)
        {
            for (int o = 0; o < g.OutChannels; o++) biasGradient[o] += TensorPrimitives.Sum(outputGradient.Slice(e * outSize + o * positions, positions));
        }
    }

    /// <summary>Elements of one input image: InChannels · InHeight · InWidth.</summary>
    public static int InputSize(in Conv2DGeometry g) => g.InChannels * g.InHeight * g.InWidth;

    /// <summary>Elements of one output image: OutChannels · OutHeight · OutWidth.</summary>
    public static int OutputSize(in Conv2DGeometry g) => g.OutChannels * g.OutHeight * g.OutWidth;

    /// <summary>Elements of the weight: OutChannels · InChannels · KernelHeight · KernelWidth.</summary>
    public static int WeightSize(in Conv2DGeometry g) => g.OutChannels * g.PatchSize;

    /// <summary>
    /// The output size PyTorch gives one spatial axis: ⌊(input + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
    /// (0 or less when the window does not fit).
    /// </summary>
    public static int OutputLength(int input, int kernel, int stride, int padding, int dilation) =>
        (int)Math.Floor((input + 2.0 * padding - dilation * (kernel - 1) - 1) / stride) + 1;

    /// <summary>Checks that a geometry is consistent: positive sizes and output sizes as PyTorch computes them.</summary>
    public static void Validate(in Conv2DGeometry g)
    {
        if (g.InChannels <= 0 || g.InHeight <= 0 || g.InWidth <= 0 || g.OutChannels <= 0 || g.KernelHeight <= 0 || g.KernelWidth <= 0
            || g.StrideHeight <= 0 || g.StrideWidth <= 0 || g.PaddingHeight < 0 || g.PaddingWidth < 0 || g.DilationHeight <= 0 || g.DilationWidth <= 0)
            throw new ArgumentException($"The convolution geometry {g} has a non-positive size, stride or dilation, or a negative padding.", nameof(g));
        int oh = OutputLength(g.InHeight, g.KernelHeight, g.StrideHeight, g.PaddingHeight, g.DilationHeight);
        int ow = OutputLength(g.InWidth, g.KernelWidth, g.StrideWidth, g.PaddingWidth, g.DilationWidth);
        if (oh != g.OutHeight || ow != g.OutWidth)
            throw new ArgumentException($"The convolution geometry {g} says the output is {g.OutHeight}×{g.OutWidth}, but its input, kernel, stride, padding and dilation give {oh}×{ow}.", nameof(g));
    }

    private static void Check(in Conv2DGeometry g, int length, int perRow, int rows, string name)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "The number of rows must be zero or positive.");
        long needed = (long)rows * perRow;
        if (length < needed)
            throw new ArgumentException($"'{name}' has {length:N0} elements, but {rows:N0} rows of {perRow:N0} ({g.InChannels}×{g.InHeight}×{g.InWidth} -> {g.OutChannels}×{g.OutHeight}×{g.OutWidth}) need {needed:N0}.", name);
    }

    private static void CheckWeight(in Conv2DGeometry g, int weights, int biases)
    {
        if (weights < WeightSize(g))
            throw new ArgumentException($"The weight has {weights:N0} elements, but [{g.OutChannels}, {g.InChannels}, {g.KernelHeight}, {g.KernelWidth}] needs {WeightSize(g):N0}.", "weight");
        if (biases != 0 && biases != g.OutChannels)
            throw new ArgumentException($"The bias has {biases} elements, but the convolution has {g.OutChannels} output channels (pass an empty span for no bias).", "bias");
    }
}
