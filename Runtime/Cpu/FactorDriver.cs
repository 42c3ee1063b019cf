using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Dnn2Gp.Runtime.Ops;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Element-wise backward of an activation for back-propagated factors: c factor rows per example share the
/// example's activation derivative. d[e, r, :] ← d[e, r, :] ⊙ f'(x[e, :]) for r &lt; c.
/// </summary>
public static class FactorDriver
{
    /// <summary>
    /// Multiplies each of the <paramref name="c"/> rows of every example's factors [n, c, width] by f'(x) of that
    /// example, where x [n, width] is the activation's input and y = f(x) its output.
    /// </summary>
    public static void Backward<TOp, T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> factors, int n, int c, int width)
        where TOp : struct, IVectorOp<TOp>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long perExample = (long)width * n;
        if (x.Length < perExample || y.Length < perExample)
            throw new ArgumentException($"The activation input/output have {x.Length}/{y.Length} elements, but {n} examples of width {width} need {perExample}.", nameof(x));
        if (factors.Length < perExample * c)
            throw new ArgumentException($"The factors have {factors.Length} elements, but [{n}, {c}, {width}] needs {perExample * c}.", nameof(factors));
        if (c == 1)
        {
            Blas.Backward<TOp, T>(x.Slice(0, n * width), y.Slice(0, n * width), factors.Slice(0, n * width), factors.Slice(0, n * width));
            return;
        }
        T[] rented = ArrayPool<T>.Shared.Rent(2 * width);
        try
        {
            Span<T> ones = rented.AsSpan(0, width);
            Span<T> derivative = rented.AsSpan(width, width);
            ones.Fill(T.One);
            for (int e = 0; e < n; e++)
            {
                Blas.Backward<TOp, T>(x.Slice(e * width, width), y.Slice(e * width, width), ones, derivative);
                Span<T> rows = factors.Slice(e * c * width, c * width);
                for (int r = 0; r < c; r++)
                {
                    Span<T> row = rows.Slice(r * width, width);
                    TensorPrimitives.Multiply(row, derivative, row);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
