using System;
using System.Runtime.CompilerServices;
using System.Globalization;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>Argument checks shared by the linear-algebra entry points: shapes first, then values, before any work.</summary>
internal static class MatrixArguments
{
    /// <summary>Throws unless <paramref name="n"/> ≥ 0 and <paramref name="length"/> holds an n×n matrix with row stride <paramref name="ld"/>.</summary>
    public static void Square(string name, int n, int length, int ld)
    {
        if (n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"The order n must be non-negative, but is {n}.");
        }
        Rectangle(name, n, n, length, ld);
    }

    /// <summary>Throws unless <paramref name="length"/> holds a rows×cols row-major matrix with row stride <paramref name="ld"/>.</summary>
    public static void Rectangle(string name, int rows, int cols, int length, int ld)
    {
        if (rows < 0 || cols < 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must have non-negative dimensions, but is {rows}×{cols}.");
        }
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(name,
                $"The row stride of {name} must be at least its column count {cols}, but is {ld}.");
        }
        long required = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;
        if (length < required)
        {
            throw new ArgumentException(
                $"{name} is too short: a {rows}×{cols} row-major matrix with row stride {ld} needs {required} elements, but it has {length}.",
                name);
        }
    }

    /// <summary>Throws unless <paramref name="length"/> equals <paramref name="expected"/>.</summary>
    public static void Length(string name, int length, long expected, string what)
    {
        if (length < expected)
        {
            throw new ArgumentException($"{name} must hold {what} ({expected} elements), but it has {length}.", name);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first NaN or infinity in the lower triangle (diagonal included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FiniteLower(string name, ReadOnlySpan<double> a, int n, int ld, string matrixName)
    {
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = a.Slice(i * ld, i + 1);
            for (int j = 0; j <= i; j++)
            {
                if (!double.IsFinite(row[j]))
                {
                    ThrowNotFinite(name, matrixName, n, n, i, j, row[j]);
                }
            }
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first NaN or infinity of a rows×cols matrix.</summary>
    public static void Finite(string name, ReadOnlySpan<double> a, int rows, int cols, int ld, string matrixName)
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<double> row = a.Slice(i * ld, cols);
            int bad = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude(row);
            if (bad >= 0 && !double.IsFinite(row[bad]))
            {
                // IndexOfMaxMagnitude returns the first NaN if there is one, else the largest magnitude (an infinity if any).
                for (int j = 0; j < cols; j++)
                {
                    if (!double.IsFinite(row[j]))
                    {
                        ThrowNotFinite(name, matrixName, rows, cols, i, j, row[j]);
                    }
                }
            }
        }
    }

    private static void ThrowNotFinite(string name, string matrixName, int rows, int cols, int i, int j, double value) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture,
                $"{matrixName} ({rows}×{cols}) holds {value} at row {i}, column {j}: every entry must be finite. ") +
            "Check the computation that produced it (an overflow, a division by zero, a NaN loss or Jacobian).",
            name);
}
