using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Generic front doors to the float and double kernels (GEMM, element-wise backward) for runtime code written once
/// over T. The type tests are JIT-time constants, so each instantiation calls its kernel directly.
/// </summary>
public static class Blas
{
    /// <summary><see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> for T = float or double.</summary>
    public static void Gemm<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Cpu.Gemm.Multiply(transposeA, transposeB, m, n, k, Unsafe.As<T, float>(ref alpha), MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, Unsafe.As<T, float>(ref beta), MemoryMarshal.Cast<T, float>(c), ldc);
        }
        else if (typeof(T) == typeof(double))
        {
            Cpu.Gemm.Multiply(transposeA, transposeB, m, n, k, Unsafe.As<T, double>(ref alpha), MemoryMarshal.Cast<T, double>(a), lda,
                MemoryMarshal.Cast<T, double>(b), ldb, Unsafe.As<T, double>(ref beta), MemoryMarshal.Cast<T, double>(c), ldc);
        }
        else
        {
            throw new NotSupportedException($"GEMM is implemented for float and double, not {typeof(T).Name}.");
        }
    }

    /// <summary>The multi-threaded GEMM (<see cref="Gemm.MultiplyParallel(bool, bool, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int)"/>) for T = float or double.</summary>
    public static void GemmParallel<T>(bool transposeA, bool transposeB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Cpu.Gemm.MultiplyParallel(transposeA, transposeB, m, n, k, Unsafe.As<T, float>(ref alpha), MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, Unsafe.As<T, float>(ref beta), MemoryMarshal.Cast<T, float>(c), ldc);
        }
        else if (typeof(T) == typeof(double))
        {
            Cpu.Gemm.MultiplyParallel(transposeA, transposeB, m, n, k, Unsafe.As<T, double>(ref alpha), MemoryMarshal.Cast<T, double>(a), lda,
                MemoryMarshal.Cast<T, double>(b), ldb, Unsafe.As<T, double>(ref beta), MemoryMarshal.Cast<T, double>(c), ldc);
        }
        else
        {
            throw new NotSupportedException($"GEMM is implemented for float and double, not {typeof(T).Name}.");
        }
    }

    /// <summary>dx = dy ⊙ f'(x) given y = f(x): <see cref="BackwardDriver"/> for T = float or double.</summary>
    public static void Backward<TOp, T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where TOp : struct, Ops.IVectorOp<TOp>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            BackwardDriver.Apply<TOp>(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(dx));
        }
        else if (typeof(T) == typeof(double))
        {
            BackwardDriver.Apply<TOp>(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y), MemoryMarshal.Cast<T, double>(dy), MemoryMarshal.Cast<T, double>(dx));
        }
        else
        {
            throw new NotSupportedException($"Element-wise backward is implemented for float and double, not {typeof(T).Name}.");
        }
    }

    /// <summary>Adds a span of T into a double accumulator, element by element (chunk results into long sums).</summary>
    public static void AddTo<T>(ReadOnlySpan<T> values, Span<double> accumulator)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length != accumulator.Length)
            throw new ArgumentException($"The accumulator has {accumulator.Length} elements but the values have {values.Length}.", nameof(accumulator));
        if (typeof(T) == typeof(double))
        {
            TensorPrimitives.Add(accumulator, MemoryMarshal.Cast<T, double>(values), accumulator);
            return;
        }
        for (int i = 0; i < values.Length; i++) accumulator[i] += double.CreateTruncating(values[i]);
    }
}
