using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Ops;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Bias operations of a dense layer on a row-major batch z = [rows, cols] (one example per row, cols = bias length):
/// the forward bias add, fused with the activation, and the bias gradient.
/// </summary>
public static class BiasDriver
{
    /// <summary>z[r, j] += bias[j] for every row r.</summary>
    public static void AddBias(Span<float> z, ReadOnlySpan<float> bias, int rows)
    {
        ValidateBatch(z.Length, bias.Length, rows, nameof(z));
        int cols = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = z.Slice(r * cols, cols);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>z[r, j] += bias[j] for every row r.</summary>
    public static void AddBias(Span<double> z, ReadOnlySpan<double> bias, int rows)
    {
        ValidateBatch(z.Length, bias.Length, rows, nameof(z));
        int cols = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = z.Slice(r * cols, cols);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>
    /// z[r, j] += bias[j], then a[r, j] = TOp.Value(z[r, j]), in one pass. z keeps the pre-activations for the
    /// backward pass; <paramref name="a"/> may be the same span as <paramref name="z"/> when they are not needed.
    /// </summary>
    public static void AddBiasAndApply<TOp>(Span<float> z, ReadOnlySpan<float> bias, int rows, Span<float> a)
        where TOp : struct, IVectorOp<TOp>
    {
        ValidateBatch(z.Length, bias.Length, rows, nameof(z));
        ValidateActivations<float>(z, a);

        int cols = bias.Length;
        ref float bRef = ref MemoryMarshal.GetReference(bias);
        for (int r = 0; r < rows; r++)
        {
            ref float zRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(z), r * cols);
            ref float aRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), r * cols);

            if (TOp.Vectorizable)
            {
                if (Vector512.IsHardwareAccelerated && cols >= Vector512<float>.Count)
                {
                    Vector512Row(ref zRow, ref bRef, ref aRow, cols);
                    continue;
                }

                if (Vector256.IsHardwareAccelerated && cols >= Vector256<float>.Count)
                {
                    Vector256Row(ref zRow, ref bRef, ref aRow, cols);
                    continue;
                }

                if (Vector128.IsHardwareAccelerated && cols >= Vector128<float>.Count)
                {
                    Vector128Row(ref zRow, ref bRef, ref aRow, cols);
                    continue;
                }
            }

            for (int j = 0; j < cols; j++)
            {
                float zj = Unsafe.Add(ref zRow, j) + Unsafe.Add(ref bRef, j);
                Unsafe.Add(ref zRow, j) = zj;
                Unsafe.Add(ref aRow, j) = TOp.Value(zj);
            }
        }

        static void Vector512Row(ref float z, ref float b, ref float a, int n)
        {
            // The last (possibly overlapping) vector is finished before the loop writes anything, so a may alias z.
            nuint last = (nuint)(n - Vector512<float>.Count);
            Vector512<float> zTail = Vector512.LoadUnsafe(ref z, last) + Vector512.LoadUnsafe(ref b, last);
            Vector512<float> aTail = TOp.Value(zTail);
            for (nuint i = 0; i < last; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> zi = Vector512.LoadUnsafe(ref z, i) + Vector512.LoadUnsafe(ref b, i);
                zi.StoreUnsafe(ref z, i);
                TOp.Value(zi).StoreUnsafe(ref a, i);
            }

            zTail.StoreUnsafe(ref z, last);
            aTail.StoreUnsafe(ref a, last);
        }

        static void Vector256Row(ref float z, ref float b, ref float a, int n)
        {
            // The last (possibly overlapping) vector is finished before the loop writes anything, so a may alias z.
            nuint last = (nuint)(n - Vector256<float>.Count);
            Vector256<float> zTail = Vector256.LoadUnsafe(ref z, last) + Vector256.LoadUnsafe(ref b, last);
            Vector256<float> aTail = TOp.Value(zTail);
            for (nuint i = 0; i < last; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> zi = Vector256.LoadUnsafe(ref z, i) + Vector256.LoadUnsafe(ref b, i);
                zi.StoreUnsafe(ref z, i);
                TOp.Value(zi).StoreUnsafe(ref a, i);
            }

            zTail.StoreUnsafe(ref z, last);
            aTail.StoreUnsafe(ref a, last);
        }

        static void Vector128Row(ref float z, ref float b, ref float a, int n)
        {
            // The last (possibly overlapping) vector is finished before the loop writes anything, so a may alias z.
            nuint last = (nuint)(n - Vector128<float>.Count);
            Vector128<float> zTail = Vector128.LoadUnsafe(ref z, last) + Vector128.LoadUnsafe(ref b, last);
            Vector128<float> aTail = TOp.Value(zTail);
            for (nuint i = 0; i < last; i += (nuint)Vector128<float>.Count)
            {
                Vector128<float> zi = Vector128.LoadUnsafe(ref z, i) + Vector128.LoadUnsafe(ref b, i);
                zi.StoreUnsafe(ref z, i);
                TOp.Value(zi).StoreUnsafe(ref a, i);
            }

            zTail.StoreUnsafe(ref z, last);
            aTail.StoreUnsafe(ref a, last);
        }
    }

    /// <summary>
    /// z[r, j] += bias[j], then a[r, j] = TOp.Value(z[r, j]) (a scalar loop). <paramref name="a"/> may be
    /// <paramref name="z"/>.
    /// </summary>
    public static void AddBiasAndApply<TOp>(Span<double> z, ReadOnlySpan<double> bias, int rows, Span<double> a)
        where TOp : struct, IScalarOp<TOp>
    {
        ValidateBatch(z.Length, bias.Length, rows, nameof(z));
        ValidateActivations<double>(z, a);

        int cols = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            int offset = r * cols;
            for (int j = 0; j < cols; j++)
            {
                double zj = z[offset + j] + bias[j];
                z[offset + j] = zj;
                a[offset + j] = TOp.Value(zj);
            }
        }
    }

    /// <summary>result[j] = Σ_r dz[r, j]: the bias gradient. Overwrites <paramref name="result"/> (length cols).</summary>
    public static void SumRows(ReadOnlySpan<float> dz, int rows, int cols, Span<float> result)
    {
        ValidateSum(dz.Length, rows, cols, result.Length);
        result.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(result, dz.Slice(r * cols, cols), result);
        }
    }

    /// <summary>result[j] = Σ_r dz[r, j]: the bias gradient. Overwrites <paramref name="result"/> (length cols).</summary>
    public static void SumRows(ReadOnlySpan<double> dz, int rows, int cols, Span<double> result)
    {
        ValidateSum(dz.Length, rows, cols, result.Length);
        result.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(result, dz.Slice(r * cols, cols), result);
        }
    }

    private static void ValidateBatch(int length, int cols, int rows, string name)
    {
        if (rows < 0)
        {
            ThrowNegativeRows(rows);
        }

        if ((long)rows * cols != length)
        {
            ThrowShapeMismatch(name, length, rows, cols);
        }
    }

    private static void ValidateActivations<T>(Span<T> z, Span<T> a)
    {
        if (a.Length != z.Length)
        {
            ThrowShapeMismatch(nameof(a), a.Length, z.Length);
        }

        if (((ReadOnlySpan<T>)z).Overlaps(a, out int offset) && offset != 0)
        {
            ThrowPartialOverlap();
        }
    }

    private static void ValidateSum(int length, int rows, int cols, int resultLength)
    {
        if (cols < 0)
        {
            ThrowNegativeCols(cols);
        }

        ValidateBatch(length, cols, rows, "dz");
        if (resultLength != cols)
        {
            ThrowResultLength(resultLength, cols);
        }
    }

    [DoesNotReturn]
    private static void ThrowNegativeRows(int rows) =>
        throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must not be negative.");

    [DoesNotReturn]
    private static void ThrowNegativeCols(int cols) =>
        throw new ArgumentOutOfRangeException(nameof(cols), cols, "cols must not be negative.");

    [DoesNotReturn]
    private static void ThrowResultLength(int resultLength, int cols) =>
        throw new ArgumentException($"result has length {resultLength}, but cols = {cols}; they must be equal.", "result");

    [DoesNotReturn]
    private static void ThrowPartialOverlap() =>
        throw new ArgumentException("a overlaps z without being the same span; pass z itself for an in-place call, or a disjoint span.", "a");

    [DoesNotReturn]
    private static void ThrowShapeMismatch(string name, int length, int rows, int cols) =>
        throw new ArgumentException($"{name} has length {length}, but rows × cols = {rows} × {cols} = {(long)rows * cols}; it must be row-major [rows, cols].", name);

    [DoesNotReturn]
    private static void ThrowShapeMismatch(string name, int length, int expected) =>
        throw new ArgumentException($"{name} has length {length}, but z has length {expected}; they must be equal.", name);
}
