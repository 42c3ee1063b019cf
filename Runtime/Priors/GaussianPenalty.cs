using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Priors;

/// <summary>
/// The isotropic Gaussian prior N(0, δ⁻¹ I) on a block of parameters, as a penalty: its negative log-density up to the
/// normalising constant, ½ δ Σ wᵢ², with gradient δ w and Hessian δ I. A layer-wise prior calls these once per layer.
/// </summary>
public static class GaussianPenalty
{
    /// <summary>Returns ½ δ Σ wᵢ², with the sum accumulated in double.</summary>
    public static double Value(ReadOnlySpan<float> w, double precision)
    {
        ValidatePrecision(precision);

        double sum = 0.0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && w.Length >= Vector256<float>.Count)
        {
            ref float wRef = ref MemoryMarshal.GetReference(w);
            Vector256<double> lowerSum = Vector256<double>.Zero;
            Vector256<double> upperSum = Vector256<double>.Zero;
            for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref wRef, (nuint)i));
                lowerSum += lower * lower;
                upperSum += upper * upper;
            }

            sum = Vector256.Sum(lowerSum + upperSum);
        }

        for (; i < w.Length; i++)
        {
            double wi = w[i];
            sum += wi * wi;
        }

        return 0.5 * precision * sum;
    }

    /// <summary>Returns ½ δ Σ wᵢ².</summary>
    public static double Value(ReadOnlySpan<double> w, double precision)
    {
        ValidatePrecision(precision);
        return 0.5 * precision * TensorPrimitives.SumOfSquares(w);
    }

    /// <summary>gradient += scale · δ · w.</summary>
    public static void AddGradient(ReadOnlySpan<float> w, double precision, float scale, Span<float> gradient)
    {
        ValidatePrecision(precision);
        ValidateGradient(w.Length, gradient.Length);
        TensorPrimitives.MultiplyAdd(w, (float)(scale * precision), gradient, gradient);
    }

    /// <summary>gradient += scale · δ · w.</summary>
    public static void AddGradient(ReadOnlySpan<double> w, double precision, double scale, Span<double> gradient)
    {
        ValidatePrecision(precision);
        ValidateGradient(w.Length, gradient.Length);
        TensorPrimitives.MultiplyAdd(w, scale * precision, gradient, gradient);
    }

    /// <summary>Writes the Hessian diagonal, δ in every entry.</summary>
    public static void FillHessianDiagonal(double precision, Span<float> diagonal)
    {
        ValidatePrecision(precision);
        diagonal.Fill((float)precision);
    }

    /// <summary>Writes the Hessian diagonal, δ in every entry.</summary>
    public static void FillHessianDiagonal(double precision, Span<double> diagonal)
    {
        ValidatePrecision(precision);
        diagonal.Fill(precision);
    }

    private static void ValidatePrecision(double precision)
    {
        if (!(precision >= 0.0 && double.IsFinite(precision)))
        {
            ThrowPrecision(precision);
        }
    }

    private static void ValidateGradient(int wLength, int gradientLength)
    {
        if (gradientLength != wLength)
        {
            ThrowGradientLength(wLength, gradientLength);
        }
    }

    [DoesNotReturn]
    private static void ThrowPrecision(double precision) =>
        throw new ArgumentOutOfRangeException(nameof(precision), precision, "The prior precision must be finite and not negative.");

    [DoesNotReturn]
    private static void ThrowGradientLength(int wLength, int gradientLength) =>
        throw new ArgumentException($"gradient has length {gradientLength}, but w has length {wLength}; they must be equal.", "gradient");
}
