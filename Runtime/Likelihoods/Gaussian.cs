using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Dnn2Gp.Runtime.Likelihoods;

/// <summary>
/// Gaussian likelihood p(y | f) = N(y; f, σ² I) on a row-major batch: outputs and targets are [batch, K].
/// Per example ℓ = Σₖ [(fₖ − yₖ)² / (2σ²) + ½ log(2πσ²)], r = ∂ℓ/∂f = (f − y)/σ², Λ = ∂²ℓ/∂f² = I/σ².
/// </summary>
/// <remarks>Sums are accumulated in double, and the float overloads compute in double too, so both precisions
/// agree up to the final rounding of what they write.</remarks>
public static class Gaussian
{
    /// <summary>Returns scale · Σₙ ℓₙ and writes residuals = scale · (f − y)/σ² ([batch, K]).</summary>
    public static double LossAndResidual(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize,
        double sigma, float scale, Span<float> residuals)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        ValidateDestination(nameof(residuals), residuals.Length, batch, outputSize, 1);
        return Core(outputs, targets, sigma, scale, residuals);
    }

    /// <summary>Returns scale · Σₙ ℓₙ and writes residuals = scale · (f − y)/σ² ([batch, K]).</summary>
    public static double LossAndResidual(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize,
        double sigma, double scale, Span<double> residuals)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        ValidateDestination(nameof(residuals), residuals.Length, batch, outputSize, 1);
        return Core(outputs, targets, sigma, scale, residuals);
    }

    /// <summary>Returns Σₙ ℓₙ.</summary>
    public static double Loss(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, double sigma)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        return Core(outputs, targets, sigma, 1.0, []);
    }

    /// <summary>Returns Σₙ ℓₙ.</summary>
    public static double Loss(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, double sigma)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        return Core(outputs, targets, sigma, 1.0, []);
    }

    /// <summary>Writes r = (f − y)/σ² ([batch, K]).</summary>
    public static void Residual(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, double sigma,
        Span<float> residuals)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        ValidateDestination(nameof(residuals), residuals.Length, batch, outputSize, 1);
        Core(outputs, targets, sigma, 1.0, residuals);
    }

    /// <summary>Writes r = (f − y)/σ² ([batch, K]).</summary>
    public static void Residual(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, double sigma,
        Span<double> residuals)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        ValidateDestination(nameof(residuals), residuals.Length, batch, outputSize, 1);
        Core(outputs, targets, sigma, 1.0, residuals);
    }

    /// <summary>Writes Λ = I/σ² for every example, as full K×K matrices ([batch, K, K]).</summary>
    public static void Hessian(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, double sigma,
        Span<float> hessians)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        ValidateDestination(nameof(hessians), hessians.Length, batch, outputSize, outputSize);
        FillHessians(hessians, outputSize, (float)(1.0 / (sigma * sigma)));
    }

    /// <summary>Writes Λ = I/σ² for every example, as full K×K matrices ([batch, K, K]).</summary>
    public static void Hessian(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, double sigma,
        Span<double> hessians)
    {
        Validate(outputs.Length, targets.Length, batch, outputSize, sigma);
        ValidateDestination(nameof(hessians), hessians.Length, batch, outputSize, outputSize);
        FillHessians(hessians, outputSize, 1.0 / (sigma * sigma));
    }

    /// <summary>Returns scale · Σ ℓ; writes scale · r into <paramref name="residuals"/> unless it is empty.</summary>
    private static double Core<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, double sigma, double scale, Span<T> residuals)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double inverseVariance = 1.0 / (sigma * sigma);
        double residualScale = scale * inverseVariance;
        bool writeResiduals = !residuals.IsEmpty;
        double squares = 0.0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double d = double.CreateTruncating(outputs[i]) - double.CreateTruncating(targets[i]);
            squares += d * d;
            if (writeResiduals)
            {
                residuals[i] = T.CreateTruncating(residualScale * d);
            }
        }

        double logNormaliser = 0.5 * Math.Log(2.0 * Math.PI) + Math.Log(sigma);
        return scale * (0.5 * inverseVariance * squares + outputs.Length * logNormaliser);
    }

    private static void FillHessians<T>(Span<T> hessians, int k, T precision)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        hessians.Clear();
        for (int block = 0; block < hessians.Length; block += k * k)
        {
            for (int j = 0; j < k; j++)
            {
                hessians[block + j * (k + 1)] = precision;
            }
        }
    }

    private static void Validate(int outputsLength, int targetsLength, int batch, int outputSize, double sigma)
    {
        if (batch < 0)
        {
            ThrowOutOfRange(nameof(batch), batch, "batch must not be negative.");
        }

        if (outputSize < 1)
        {
            ThrowOutOfRange(nameof(outputSize), outputSize, "outputSize must be at least 1.");
        }

        if (!(sigma > 0.0 && double.IsFinite(sigma)))
        {
            ThrowOutOfRange(nameof(sigma), sigma, "sigma must be positive and finite.");
        }

        ValidateDestination("outputs", outputsLength, batch, outputSize, 1);
        ValidateDestination("targets", targetsLength, batch, outputSize, 1);
    }

    private static void ValidateDestination(string name, int length, int batch, int outputSize, int perOutput)
    {
        long expected = (long)batch * outputSize * perOutput;
        if (length != expected)
        {
            ThrowLength(name, length, expected, perOutput == 1 ? "[batch, outputSize]" : "[batch, outputSize, outputSize]");
        }
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(string name, object value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);

    [DoesNotReturn]
    private static void ThrowLength(string name, int length, long expected, string shape) =>
        throw new ArgumentException($"{name} has length {length}, but its shape {shape} needs {expected}.", name);
}
