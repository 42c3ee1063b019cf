using System;
using System.Numerics;
using System.Numerics.Tensors;
using Dnn2Gp.Runtime.Cpu;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Every curvature rule of a dense layer z = W a + b in one place (the BackPACK/JAX "one primitive, all its rules"
/// idea). With the layer's input activations a [n, in] and back-propagated factors B [n, c, out] of c seeds per
/// example, the derivative of seed r of example e with respect to W[o, i] is B[e, r, o] · a[e, i] and with respect to
/// b[o] is B[e, r, o]; each rule below contracts that outer product without forming it unless asked to.
/// </summary>
public static class DenseRules
{
    /// <summary>Scratch elements <see cref="AccumulateDiagonal{T}"/> needs for <paramref name="n"/> examples.</summary>
    public static int DiagonalScratch(in LayerInfo layer, int n) => n * layer.OutputSize + n * layer.InputSize + layer.ParameterCount;

    /// <summary>
    /// Adds Σₑ Σᵣ (∂ seed r of example e / ∂θ)² for the layer's parameters θ to <paramref name="diagonal"/> (the whole
    /// network's P-vector, indexed by parameter): one GEMM, (Σᵣ B²)ᵀ (a²), for the weights and a column sum for the bias.
    /// </summary>
    public static void AccumulateDiagonal<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> scratch, Span<double> diagonal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inW = layer.InputSize, outW = layer.OutputSize;
        Span<T> squares = scratch.Slice(0, n * outW);
        Span<T> inputSquares = scratch.Slice(n * outW, n * inW);
        Span<T> result = scratch.Slice(n * outW + n * inW, layer.ParameterCount);
        squares.Clear();
        for (int e = 0; e < n; e++)
        {
            Span<T> s = squares.Slice(e * outW, outW);
            for (int r = 0; r < c; r++)
            {
                ReadOnlySpan<T> b = factors.Slice((e * c + r) * outW, outW);
                TensorPrimitives.MultiplyAdd(b, b, s, s);
            }
        }
        TensorPrimitives.Multiply(input.Slice(0, n * inW), input.Slice(0, n * inW), inputSquares);
        Blas.Gemm(true, false, outW, inW, n, T.One, squares, outW, inputSquares, inW, T.Zero, result, inW);
        if (layer.HasBias)
        {
            Span<T> bias = result.Slice(layer.WeightCount, outW);
            bias.Clear();
            for (int e = 0; e < n; e++) TensorPrimitives.Add(bias, squares.Slice(e * outW, outW), bias);
        }
        Blas.AddTo<T>(result, diagonal.Slice(layer.WeightOffset, layer.ParameterCount));
    }

    /// <summary>
    /// Writes the layer's columns of the explicit Jacobian rows: row (e·c + r) of <paramref name="rows"/> (row stride
    /// <paramref name="rowStride"/>, indexed by parameter) gets B[e, r, o]·a[e, i] at W[o, i] and B[e, r, o] at b[o].
    /// </summary>
    public static void JacobianRows<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> rows, int rowStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inW = layer.InputSize, outW = layer.OutputSize;
        for (int e = 0; e < n; e++)
        {
            ReadOnlySpan<T> a = input.Slice(e * inW, inW);
            for (int r = 0; r < c; r++)
            {
                ReadOnlySpan<T> b = factors.Slice((e * c + r) * outW, outW);
                Span<T> row = rows.Slice((e * c + r) * rowStride + layer.WeightOffset, layer.ParameterCount);
                for (int o = 0; o < outW; o++) TensorPrimitives.Multiply(a, b[o], row.Slice(o * inW, inW));
                if (layer.HasBias) b.CopyTo(row.Slice(layer.WeightCount, outW));
            }
        }
    }

    /// <summary>Scratch elements <see cref="AccumulateKfac{T}"/> needs for <paramref name="n"/> examples.</summary>
    public static int KfacScratch(in LayerInfo layer, int n) =>
        n * layer.AugmentedColumns + layer.AugmentedColumns * layer.AugmentedColumns + layer.OutputSize * layer.OutputSize;

    /// <summary>
    /// Adds the layer's Kronecker factors of this chunk: A += Σₑ ãₑ ãₑᵀ with ã = [a; 1] (the 1 only with a bias), and
    /// G += Σₑ Σᵣ B[e, r] B[e, r]ᵀ. Both are row-major square matrices in double.
    /// </summary>
    public static void AccumulateKfac<T>(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c,
        Span<T> scratch, Span<double> a, Span<double> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inW = layer.InputSize, outW = layer.OutputSize, cols = layer.AugmentedColumns;
        Span<T> augmented = scratch.Slice(0, n * cols);
        Span<T> aChunk = scratch.Slice(n * cols, cols * cols);
        Span<T> gChunk = scratch.Slice(n * cols + cols * cols, outW * outW);
        Augment(layer, input, n, augmented);
        Blas.Gemm(true, false, cols, cols, n, T.One, augmented, cols, augmented, cols, T.Zero, aChunk, cols);
        Blas.Gemm(true, false, outW, outW, n * c, T.One, factors, outW, factors, outW, T.Zero, gChunk, outW);
        Blas.AddTo<T>(aChunk, a.Slice(0, cols * cols));
        Blas.AddTo<T>(gChunk, g.Slice(0, outW * outW));
    }

    /// <summary>Writes ã = [a, 1] (or a without a bias) per example, [n, AugmentedColumns].</summary>
    public static void Augment<T>(in LayerInfo layer, ReadOnlySpan<T> input, int n, Span<T> augmented)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inW = layer.InputSize, cols = layer.AugmentedColumns;
        for (int e = 0; e < n; e++)
        {
            input.Slice(e * inW, inW).CopyTo(augmented.Slice(e * cols, inW));
            if (layer.HasBias) augmented[e * cols + inW] = T.One;
        }
    }
}
