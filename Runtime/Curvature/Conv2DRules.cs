using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Dnn2Gp.Runtime.Cpu;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Every curvature rule of a 2-D convolution z = W ⋆ a + b in one place. With the layer's input images a [n, Cin·H·W]
/// (NCHW), their patch matrices Uₑ [patch, positions] (<see cref="Im2Col"/>) and back-propagated factors
/// B [n, c, Cout·OH·OW] (seed r of example e is Bₑ,ᵣ [Cout, positions]), the derivative of seed r of example e with
/// respect to the weight is the matrix Bₑ,ᵣ Uₑᵀ [Cout, patch] and with respect to b[o] it is Σₚ Bₑ,ᵣ[o, p]. These are
/// exact, including the products of different spatial positions (which dropping them, as VOGN's reference code does,
/// would not be); each rule contracts them without forming the whole network's Jacobian.
/// </summary>
/// <remarks>
/// KFAC follows the KFC convention (Grosse and Martens, 2016): A = Σₑ Σₚ ũₑ,ₚ ũₑ,ₚᵀ over the bias-augmented patches
/// ũ = [u; 1] of every position, and G = Σₑ Σᵣ Σₚ bₑ,ᵣ,ₚ bₑ,ᵣ,ₚᵀ over the factor vectors bₑ,ᵣ,ₚ ∈ ℝ^Cout of every
/// position. The layer's GGN block is then approximated by (G ⊗ A) / (N · T), T = OH·OW positions (KFC's 1/|T|,
/// which assumes spatially uncorrelated derivatives); a dense layer is the case T = 1.
/// </remarks>
public static class Conv2DRules
{
    /// <summary>Scratch elements <see cref="AccumulateDiagonal{T}"/> needs for c seeds.</summary>
    public static int DiagonalScratch(in LayerInfo layer, int n, int c) =>
        layer.Conv.PatchSize * layer.Conv.Positions + Math.Max(1, n) * c * layer.WeightCount + layer.ParameterCount;

    /// <summary>
    /// Whether the direct float kernels compute the per-seed weight derivatives (else unfold and GEMM): they win on large
    /// output maps (LeNet's first layer, 24×24: 2×), the GEMM of all c·Cout factor rows at once wins on small ones
    /// (its second layer, 8×8: 3×), where the direct kernel's per-tap overhead is not amortised.
    /// </summary>
    private static bool Direct<T>(in Conv2DGeometry g) => typeof(T) == typeof(float) && DirectConv2D.Supports(g) && g.Positions >= 256;

    /// <summary>
    /// Bₑ,ᵣ Uₑᵀ for every seed r of every example e of the chunk, [n, c·Cout, patch], by the direct kernel (the c·Cout
    /// factor rows of an example are the 'output channels' of one weight-gradient pass).
    /// </summary>
    private static void SeedDerivatives<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c, Span<T> derivatives)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = layer.Conv with { OutChannels = c * layer.Conv.OutChannels };
        DirectConv2D.WeightGradient(rows, MemoryMarshal.Cast<T, float>(input.Slice(0, n * layer.InputSize)),
            MemoryMarshal.Cast<T, float>(factors.Slice(0, n * c * layer.OutputSize)), MemoryMarshal.Cast<T, float>(derivatives), n, accumulate: false, separate: true);
    }

    /// <summary>
    /// Adds Σₑ Σᵣ (∂ seed r of example e / ∂θ)² for the layer's parameters to <paramref name="diagonal"/> (the network's
    /// P-vector): per example one GEMM Bₑ Uₑᵀ [c·Cout, patch] of all c seeds, squared and summed over the seeds, and the
    /// squared per-channel sums of the factors for the bias.
    /// </summary>
    public static void AccumulateDiagonal<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> scratch, Span<double> diagonal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = layer.Conv;
        int patch = g.PatchSize, positions = g.Positions, cout = g.OutChannels, inSize = layer.InputSize, outSize = layer.OutputSize;
        int seedSize = c * layer.WeightCount;
        Span<T> u = scratch.Slice(0, patch * positions);
        Span<T> all = scratch.Slice(patch * positions, n * seedSize);
        Span<T> result = scratch.Slice(patch * positions + n * seedSize, layer.ParameterCount);
        result.Clear();
        Span<T> weights = result.Slice(0, layer.WeightCount);
        Span<T> biases = result.Slice(layer.WeightCount);
        bool direct = Direct<T>(g);
        if (direct) SeedDerivatives(layer, input, factors, n, c, all);
        for (int e = 0; e < n; e++)
        {
            ReadOnlySpan<T> b = factors.Slice(e * c * outSize, c * outSize);
            Span<T> gradients = all.Slice(direct ? e * seedSize : 0, seedSize);
            if (!direct)
            {
                ReadOnlySpan<T> patches = Im2Col.Patches(g, input.Slice(e * inSize, inSize), u);
                Blas.Gemm(false, true, c * cout, patch, positions, T.One, b, positions, patches, positions, T.Zero, gradients, patch);
            }
            for (int r = 0; r < c; r++)
            {
                ReadOnlySpan<T> seed = gradients.Slice(r * layer.WeightCount, layer.WeightCount);
                TensorPrimitives.MultiplyAdd(seed, seed, weights, weights);
            }
            if (layer.HasBias)
            {
                for (int q = 0; q < c * cout; q++)
                {
                    T s = TensorPrimitives.Sum(b.Slice(q * positions, positions));
                    biases[q % cout] += s * s;
                }
            }
        }
        Blas.AddTo<T>(result, diagonal.Slice(layer.WeightOffset, layer.ParameterCount));
    }

    /// <summary>
    /// Writes the layer's columns of the explicit Jacobian rows: row (e·c + r) of <paramref name="rows"/> (stride
    /// <paramref name="rowStride"/>, indexed by parameter) gets Bₑ,ᵣ Uₑᵀ at the weight [Cout, Cin, kh, kw] and the
    /// per-channel sums of Bₑ,ᵣ at the bias.
    /// </summary>
    public static void JacobianRows<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> rows, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = layer.Conv;
        int patch = g.PatchSize, positions = g.Positions, cout = g.OutChannels, inSize = layer.InputSize, outSize = layer.OutputSize;
        if (Direct<T>(g))
        {
            T[] derivatives = ArrayPool<T>.Shared.Rent(n * c * layer.WeightCount);
            try
            {
                SeedDerivatives(layer, input, factors, n, c, derivatives);
                for (int q = 0; q < n * c; q++)
                {
                    Span<T> row = rows.Slice(q * rowStride + layer.WeightOffset, layer.ParameterCount);
                    derivatives.AsSpan(q * layer.WeightCount, layer.WeightCount).CopyTo(row);
                    ReadOnlySpan<T> b = factors.Slice(q * outSize, outSize);
                    if (layer.HasBias)
                    {
                        for (int o = 0; o < cout; o++) row[layer.WeightCount + o] = TensorPrimitives.Sum(b.Slice(o * positions, positions));
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(derivatives);
            }
            return;
        }
        bool identity = Im2Col.IsIdentity(g);
        T[]? rented = identity ? null : ArrayPool<T>.Shared.Rent(patch * positions);
        try
        {
            for (int e = 0; e < n; e++)
            {
                ReadOnlySpan<T> patches = Im2Col.Patches(g, input.Slice(e * inSize, inSize), rented);
                for (int r = 0; r < c; r++)
                {
                    ReadOnlySpan<T> b = factors.Slice((e * c + r) * outSize, outSize);
                    Span<T> row = rows.Slice((e * c + r) * rowStride + layer.WeightOffset, layer.ParameterCount);
                    Blas.Gemm(false, true, cout, patch, positions, T.One, b, positions, patches, positions, T.Zero, row, patch);
                    if (layer.HasBias)
                    {
                        for (int o = 0; o < cout; o++) row[layer.WeightCount + o] = TensorPrimitives.Sum(b.Slice(o * positions, positions));
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Scratch elements <see cref="AccumulateKfac{T}"/> needs for <paramref name="n"/> examples.</summary>
    public static int KfacScratch(in LayerInfo layer, int n) =>
        layer.AugmentedColumns * n * layer.Conv.Positions + layer.AugmentedColumns * layer.AugmentedColumns + layer.WeightRows * layer.WeightRows;

    /// <summary>
    /// Adds the chunk's KFC factors: A += Σₑ Ũₑ Ũₑᵀ with the bias-augmented patch matrices Ũₑ = [Uₑ; 1ᵀ] (one GEMM
    /// over every position of every example), and G += Σₑ Σᵣ Bₑ,ᵣ Bₑ,ᵣᵀ (Cout × Cout). Row-major, in double.
    /// </summary>
    public static void AccumulateKfac<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> scratch, Span<double> a, Span<double> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = layer.Conv;
        int patch = geometry.PatchSize, positions = geometry.Positions, cout = geometry.OutChannels, cols = layer.AugmentedColumns;
        int inSize = layer.InputSize, outSize = layer.OutputSize, width = n * positions;
        Span<T> augmented = scratch.Slice(0, cols * width);
        Span<T> aChunk = scratch.Slice(cols * width, cols * cols);
        Span<T> gChunk = scratch.Slice(cols * width + cols * cols, cout * cout);
        bool identity = Im2Col.IsIdentity(geometry);
        for (int e = 0; e < n; e++)
        {
            ReadOnlySpan<T> image = input.Slice(e * inSize, inSize);
            Span<T> block = augmented.Slice(e * positions);
            if (identity)
            {
                for (int q = 0; q < patch; q++) image.Slice(q * positions, positions).CopyTo(block.Slice(q * width, positions));
            }
            else
            {
                Im2Col.Unfold(geometry, image, block, width);
            }
            if (layer.HasBias) block.Slice(patch * width, positions).Fill(T.One);
        }
        Blas.Gemm(false, true, cols, cols, width, T.One, augmented, width, augmented, width, T.Zero, aChunk, cols);
        gChunk.Clear();
        for (int q = 0; q < n * c; q++)
        {
            ReadOnlySpan<T> b = factors.Slice(q * outSize, outSize);
            Blas.Gemm(false, true, cout, cout, positions, T.One, b, positions, b, positions, T.One, gChunk, cout);
        }
        Blas.AddTo<T>(aChunk, a.Slice(0, cols * cols));
        Blas.AddTo<T>(gChunk, g.Slice(0, cout * cout));
    }
}
