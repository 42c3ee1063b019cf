using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Ops;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>The backward pass of an element-wise op: dx = dy ⊙ f'(x), reusing the forward output y.</summary>
public static class BackwardDriver
{
    /// <summary>
    /// Writes dx[i] = dy[i] · TOp.Derivative(x[i], y[i]), where y = f(x) from the forward pass. All four spans have
    /// the same length; <paramref name="dx"/> may be the same span as any input (typically <paramref name="dy"/>),
    /// but may not overlap one otherwise.
    /// </summary>
    /// <remarks>Same SIMD ladder and tail handling as <see cref="UnaryDriver"/>.</remarks>
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where TOp : struct, IVectorOp<TOp>
    {
        Validate(x, y, dy, dx);

        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        ref float dyRef = ref MemoryMarshal.GetReference(dy);
        ref float dxRef = ref MemoryMarshal.GetReference(dx);
        int n = x.Length;

        if (TOp.Vectorizable)
        {
            if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
            {
                Vector512Loop(ref xRef, ref yRef, ref dyRef, ref dxRef, n);
                return;
            }

            if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
            {
                Vector256Loop(ref xRef, ref yRef, ref dyRef, ref dxRef, n);
                return;
            }

            if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
            {
                Vector128Loop(ref xRef, ref yRef, ref dyRef, ref dxRef, n);
                return;
            }
        }

        for (int i = 0; i < n; i++)
        {
            Unsafe.Add(ref dxRef, i) = Unsafe.Add(ref dyRef, i) * TOp.Derivative(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i));
        }

        static void Vector512Loop(ref float x, ref float y, ref float dy, ref float dx, int n)
        {
            // The last (possibly overlapping) vector is computed before the loop writes anything, so dx may alias
            // an input.
            nuint last = (nuint)(n - Vector512<float>.Count);
            Vector512<float> tail = Vector512.LoadUnsafe(ref dy, last)
                * TOp.Derivative(Vector512.LoadUnsafe(ref x, last), Vector512.LoadUnsafe(ref y, last));
            for (nuint i = 0; i < last; i += (nuint)Vector512<float>.Count)
            {
                Vector512<float> d = TOp.Derivative(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
                (Vector512.LoadUnsafe(ref dy, i) * d).StoreUnsafe(ref dx, i);
            }

            tail.StoreUnsafe(ref dx, last);
        }

        static void Vector256Loop(ref float x, ref float y, ref float dy, ref float dx, int n)
        {
            // The last (possibly overlapping) vector is computed before the loop writes anything, so dx may alias
            // an input.
            nuint last = (nuint)(n - Vector256<float>.Count);
            Vector256<float> tail = Vector256.LoadUnsafe(ref dy, last)
                * TOp.Derivative(Vector256.LoadUnsafe(ref x, last), Vector256.LoadUnsafe(ref y, last));
            for (nuint i = 0; i < last; i += (nuint)Vector256<float>.Count)
            {
                Vector256<float> d = TOp.Derivative(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
                (Vector256.LoadUnsafe(ref dy, i) * d).StoreUnsafe(ref dx, i);
            }

            tail.StoreUnsafe(ref dx, last);
        }

        static void Vector128Loop(ref float x, ref float y, ref float dy, ref float dx, int n)
        {
            // The last (possibly overlapping) vector is computed before the loop writes anything, so dx may alias
            // an input.
            nuint last = (nuint)(n - Vector128<float>.Count);
            Vector128<float> tail = Vector128.LoadUnsafe(ref dy, last)
                * TOp.Derivative(Vector128.LoadUnsafe(ref x, last), Vector128.LoadUnsafe(ref y, last));
            for (nuint i = 0; i < last; i += (nuint)Vector128<float>.Count)
            {
                Vector128<float> d = TOp.Derivative(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
                (Vector128.LoadUnsafe(ref dy, i) * d).StoreUnsafe(ref dx, i);
            }

            tail.StoreUnsafe(ref dx, last);
        }
    }

    /// <summary>Writes dx[i] = dy[i] · TOp.Derivative(x[i], y[i]) in double (a scalar loop).</summary>
    public static void Apply<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        where TOp : struct, IScalarOp<TOp>
    {
        Validate(x, y, dy, dx);
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = dy[i] * TOp.Derivative(x[i], y[i]);
        }
    }

    private static void Validate<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        int n = x.Length;
        if (y.Length != n)
        {
            ThrowLengthMismatch(nameof(y), y.Length, n);
        }

        if (dy.Length != n)
        {
            ThrowLengthMismatch(nameof(dy), dy.Length, n);
        }

        if (dx.Length != n)
        {
            ThrowLengthMismatch(nameof(dx), dx.Length, n);
        }

        ReadOnlySpan<T> output = dx;
        if ((x.Overlaps(output, out int ox) && ox != 0)
            || (y.Overlaps(output, out int oy) && oy != 0)
            || (dy.Overlaps(output, out int ody) && ody != 0))
        {
            ThrowPartialOverlap();
        }
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(string name, int length, int expected) =>
        throw new ArgumentException($"{name} has length {length}, but x has length {expected}; all four spans must have the same length.", name);

    [DoesNotReturn]
    private static void ThrowPartialOverlap() =>
        throw new ArgumentException("dx overlaps an input without being the same span; pass the same span for an in-place call, or disjoint spans.", "dx");
}
