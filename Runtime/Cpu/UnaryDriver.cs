using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Ops;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>y = f(x) element-wise, for an op written once as an <see cref="IVectorOp{TSelf}"/>.</summary>
public static class UnaryDriver
{
    /// <summary>
    /// Writes y[i] = TOp.Value(x[i]). <paramref name="y"/> may be the same span as <paramref name="x"/> (in place),
    /// but may not overlap it otherwise.
    /// </summary>
    /// <remarks>
    /// Walks Vector512 → Vector256 → Vector128 (the widest that is hardware-accelerated and no longer than the
    /// input) when <c>TOp.Vectorizable</c>, then falls back to the scalar members. The remainder is handled by
    /// one overlapping last vector, as TensorPrimitives does.
    /// </remarks>
    public static void Apply<TOp>(ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IVectorOp<TOp>
    {
        Validate(x, y);

        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int n = x.Length;

        if (TOp.Vectorizable)
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            {
                Vector512Loop(ref xRef, ref yRef, n);
                return;
            }

            if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            {
                Vector256Loop(ref xRef, ref yRef, n);
                return;
            }

            if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
            {
                Vector128Loop(ref xRef, ref yRef, n);
                return;
            }
        }

        for (int i = 0; i < n; i++)
        {
            Unsafe.Add(ref yRef, i) = TOp.Value(Unsafe.Add(ref xRef, i));
        }

        static void Vector512Loop(ref float x, ref float y, int n)
        {
            // The last (possibly overlapping) vector is computed before the loop writes anything, so an in-place
            // call (y aliasing x) still reads the original inputs for it.
            nuint last = (nuint)(n - Vector512<float>.Count);
            Vector512<float> tail = TOp.Value(Vector512.LoadUnsafe(ref x, last));
            for (nuint i = 0; i < last; i += (nuint)Vector512<float>.Count)
            {
                TOp.Value(Vector512.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
            }

            tail.StoreUnsafe(ref y, last);
        }

        static void Vector256Loop(ref float x, ref float y, int n)
        {
            // The last (possibly overlapping) vector is computed before the loop writes anything, so an in-place
            // call (y aliasing x) still reads the original inputs for it.
            nuint last = (nuint)(n - Vector256<float>.Count);
            Vector256<float> tail = TOp.Value(Vector256.LoadUnsafe(ref x, last));
            for (nuint i = 0; i < last; i += (nuint)Vector256<float>.Count)
            {
                TOp.Value(Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
            }

            tail.StoreUnsafe(ref y, last);
        }

        static void Vector128Loop(ref float x, ref float y, int n)
        {
            // The last (possibly overlapping) vector is computed before the loop writes anything, so an in-place
            // call (y aliasing x) still reads the original inputs for it.
            nuint last = (nuint)(n - Vector128<float>.Count);
            Vector128<float> tail = TOp.Value(Vector128.LoadUnsafe(ref x, last));
            for (nuint i = 0; i < last; i += (nuint)Vector128<float>.Count)
            {
                TOp.Value(Vector128.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
            }

            tail.StoreUnsafe(ref y, last);
        }
    }

    /// <summary>Writes y[i] = TOp.Value(x[i]) in double (a scalar loop). <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Apply<TOp>(ReadOnlySpan<double> x, Span<double> y)
        where TOp : struct, IScalarOp<TOp>
    {
        Validate(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = TOp.Value(x[i]);
        }
    }

    private static void Validate<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        if (y.Length != x.Length)
        {
            ThrowLengthMismatch(x.Length, y.Length);
        }

        if (x.Overlaps((ReadOnlySpan<T>)y, out int offset) && offset != 0)
        {
            ThrowPartialOverlap();
        }
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int xLength, int yLength) =>
        throw new ArgumentException($"y has length {yLength}, but x has length {xLength}; they must be equal.", "y");

    [DoesNotReturn]
    private static void ThrowPartialOverlap() =>
        throw new ArgumentException("y overlaps x without being the same span; pass the same span for an in-place call, or disjoint spans.", "y");
}
