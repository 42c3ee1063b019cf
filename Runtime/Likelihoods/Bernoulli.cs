using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using Dnn2Gp.Runtime.Ops;

namespace Dnn2Gp.Runtime.Likelihoods;

/// <summary>
/// Bernoulli likelihood with a logit output, p(y = 1 | f) = sigmoid(f): one output per example (K = 1) and a 0/1
/// target. ℓ = softplus(f) − y·f (= −log p(y | f)), r = sigmoid(f) − y, Λ = p(1 − p).
/// </summary>
/// <remarks>
/// ℓ uses the stable <see cref="Softplus"/>, so logits of ±1000 give finite losses; Λ is computed as
/// sigmoid(f)·sigmoid(−f), which equals p(1 − p) without cancelling when p ≈ 1. Targets are validated before
/// anything is written. The float overloads compute in double.
/// </remarks>
public static class Bernoulli
{
    /// <summary>Returns scale · Σₙ ℓₙ and writes residuals = scale · (sigmoid(f) − y) ([batch, 1]).</summary>
    public static double LossAndResidual(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize,
        float scale, Span<float> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateDestination(nameof(residuals), residuals.Length, batch);
        return Core(outputs, targets, scale, residuals);
    }

    /// <summary>Returns scale · Σₙ ℓₙ and writes residuals = scale · (sigmoid(f) − y) ([batch, 1]).</summary>
    public static double LossAndResidual(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize,
        double scale, Span<double> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateDestination(nameof(residuals), residuals.Length, batch);
        return Core(outputs, targets, scale, residuals);
    }

    /// <summary>Returns Σₙ ℓₙ.</summary>
    public static double Loss(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize)
    {
        Validate(outputs, targets, batch, outputSize);
        return Core(outputs, targets, 1.0, []);
    }

    /// <summary>Returns Σₙ ℓₙ.</summary>
    public static double Loss(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize)
    {
        Validate(outputs, targets, batch, outputSize);
        return Core(outputs, targets, 1.0, []);
    }

    /// <summary>Writes r = sigmoid(f) − y ([batch, 1]).</summary>
    public static void Residual(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, Span<float> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateDestination(nameof(residuals), residuals.Length, batch);
        Core(outputs, targets, 1.0, residuals);
    }

    /// <summary>Writes r = sigmoid(f) − y ([batch, 1]).</summary>
    public static void Residual(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, Span<double> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateDestination(nameof(residuals), residuals.Length, batch);
        Core(outputs, targets, 1.0, residuals);
    }

    /// <summary>Writes Λ = p(1 − p) per example ([batch, 1, 1]).</summary>
    public static void Hessian(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, Span<float> hessians)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateDestination(nameof(hessians), hessians.Length, batch);
        HessianCore(outputs, hessians);
    }

    /// <summary>Writes Λ = p(1 − p) per example ([batch, 1, 1]).</summary>
    public static void Hessian(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, Span<double> hessians)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateDestination(nameof(hessians), hessians.Length, batch);
        HessianCore(outputs, hessians);
    }

    /// <summary>Returns scale · Σ ℓ; writes scale · r into <paramref name="residuals"/> unless it is empty.</summary>
    private static double Core<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, double scale, Span<T> residuals)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool writeResiduals = !residuals.IsEmpty;
        double loss = 0.0;
        for (int n = 0; n < outputs.Length; n++)
        {
            double f = double.CreateTruncating(outputs[n]);
            double y = double.CreateTruncating(targets[n]);
            loss += Softplus.Value(f) - y * f;
            if (writeResiduals)
            {
                residuals[n] = T.CreateTruncating(scale * (Sigmoid.Value(f) - y));
            }
        }

        return scale * loss;
    }

    private static void HessianCore<T>(ReadOnlySpan<T> outputs, Span<T> hessians)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n < outputs.Length; n++)
        {
            double f = double.CreateTruncating(outputs[n]);
            hessians[n] = T.CreateTruncating(Sigmoid.Value(f) * Sigmoid.Value(-f));
        }
    }

    private static void Validate<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch < 0)
        {
            ThrowOutOfRange(nameof(batch), batch, "batch must not be negative.");
        }

        if (outputSize != 1)
        {
            ThrowOutOfRange(nameof(outputSize), outputSize, "a Bernoulli likelihood has exactly one output (the logit) per example.");
        }

        ValidateDestination(nameof(outputs), outputs.Length, batch);
        ValidateDestination(nameof(targets), targets.Length, batch);
        for (int n = 0; n < targets.Length; n++)
        {
            T y = targets[n];
            if (y != T.Zero && y != T.One)
            {
                ThrowInvalidTarget(n, y.ToString(null, CultureInfo.InvariantCulture));
            }
        }
    }

    private static void ValidateDestination(string name, int length, int batch)
    {
        if (length != batch)
        {
            ThrowLength(name, length, batch);
        }
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(string name, int value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);

    [DoesNotReturn]
    private static void ThrowLength(string name, int length, int batch) =>
        throw new ArgumentException($"{name} has length {length}, but batch = {batch} (one value per example).", name);

    [DoesNotReturn]
    private static void ThrowInvalidTarget(int example, string value) =>
        throw new ArgumentException($"Example {example} has target {value}; a Bernoulli target must be 0 or 1.", "targets");
}
