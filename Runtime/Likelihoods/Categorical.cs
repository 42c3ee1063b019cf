using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Dnn2Gp.Runtime.Likelihoods;

/// <summary>
/// Categorical likelihood with softmax over K ≥ 2 logits, p(y = k | f) = softmax(f)ₖ: outputs [batch, K] and one
/// target per example, the class index stored as a number. ℓ = logsumexp(f) − f_y, r = p − e_y,
/// Λ = diag(p) − p pᵀ with p = softmax(f).
/// </summary>
/// <remarks>
/// logsumexp and softmax subtract the row maximum first, so logits of ±1000 give finite losses and residuals.
/// Targets are validated (integers in [0, K)) before anything is written. The float overloads compute in double.
/// </remarks>
public static class Categorical
{
    private const int StackallocLimit = 256;

    /// <summary>Returns scale · Σₙ ℓₙ and writes residuals = scale · (p − e_y) ([batch, K]).</summary>
    public static double LossAndResidual(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize,
        float scale, Span<float> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateLength(nameof(residuals), residuals.Length, (long)batch * outputSize, "[batch, outputSize]");
        return Core(outputs, targets, outputSize, scale, residuals);
    }

    /// <summary>Returns scale · Σₙ ℓₙ and writes residuals = scale · (p − e_y) ([batch, K]).</summary>
    public static double LossAndResidual(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize,
        double scale, Span<double> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateLength(nameof(residuals), residuals.Length, (long)batch * outputSize, "[batch, outputSize]");
        return Core(outputs, targets, outputSize, scale, residuals);
    }

    /// <summary>Returns Σₙ ℓₙ.</summary>
    public static double Loss(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize)
    {
        Validate(outputs, targets, batch, outputSize);
        return Core(outputs, targets, outputSize, 1.0, []);
    }

    /// <summary>Returns Σₙ ℓₙ.</summary>
    public static double Loss(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize)
    {
        Validate(outputs, targets, batch, outputSize);
        return Core(outputs, targets, outputSize, 1.0, []);
    }

    /// <summary>Writes r = p − e_y ([batch, K]).</summary>
    public static void Residual(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, Span<float> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateLength(nameof(residuals), residuals.Length, (long)batch * outputSize, "[batch, outputSize]");
        Core(outputs, targets, outputSize, 1.0, residuals);
    }

    /// <summary>Writes r = p − e_y ([batch, K]).</summary>
    public static void Residual(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, Span<double> residuals)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateLength(nameof(residuals), residuals.Length, (long)batch * outputSize, "[batch, outputSize]");
        Core(outputs, targets, outputSize, 1.0, residuals);
    }

    /// <summary>Writes Λ = diag(p) − p pᵀ per example, as full K×K matrices ([batch, K, K]).</summary>
    public static void Hessian(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize, Span<float> hessians)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateLength(nameof(hessians), hessians.Length, (long)batch * outputSize * outputSize, "[batch, outputSize, outputSize]");
        HessianCore(outputs, batch, outputSize, hessians);
    }

    /// <summary>Writes Λ = diag(p) − p pᵀ per example, as full K×K matrices ([batch, K, K]).</summary>
    public static void Hessian(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize, Span<double> hessians)
    {
        Validate(outputs, targets, batch, outputSize);
        ValidateLength(nameof(hessians), hessians.Length, (long)batch * outputSize * outputSize, "[batch, outputSize, outputSize]");
        HessianCore(outputs, batch, outputSize, hessians);
    }

    /// <summary>Returns scale · Σ ℓ; writes scale · r into <paramref name="residuals"/> unless it is empty.</summary>
    private static double Core<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int k, double scale, Span<T> residuals)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool writeResiduals = !residuals.IsEmpty;
        double loss = 0.0;
        for (int n = 0; n < targets.Length; n++)
        {
            ReadOnlySpan<T> f = outputs.Slice(n * k, k);
            int label = int.CreateTruncating(targets[n]);
            double max = Max(f);
            double sum = SumExp(f, max);
            loss += max + Math.Log(sum) - double.CreateTruncating(f[label]);
            if (writeResiduals)
            {
                Span<T> r = residuals.Slice(n * k, k);
                double inverseSum = 1.0 / sum;
                for (int j = 0; j < k; j++)
                {
                    double p = Math.Exp(double.CreateTruncating(f[j]) - max) * inverseSum;
                    r[j] = T.CreateTruncating(scale * (j == label ? p - 1.0 : p));
                }
            }
        }

        return scale * loss;
    }

    private static void HessianCore<T>(ReadOnlySpan<T> outputs, int batch, int k, Span<T> hessians)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[]? rented = null;
        Span<double> p = k <= StackallocLimit ? stackalloc double[k] : (rented = ArrayPool<double>.Shared.Rent(k)).AsSpan(0, k);
        try
        {
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<T> f = outputs.Slice(n * k, k);
                double max = Max(f);
                double inverseSum = 1.0 / SumExp(f, max);
                for (int j = 0; j < k; j++)
                {
                    p[j] = Math.Exp(double.CreateTruncating(f[j]) - max) * inverseSum;
                }

                Span<T> h = hessians.Slice(n * k * k, k * k);
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        double value = -p[i] * p[j];
                        h[i * k + j] = T.CreateTruncating(i == j ? p[i] + value : value);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    private static double Max<T>(ReadOnlySpan<T> f)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.CreateTruncating(f[0]);
        for (int j = 1; j < f.Length; j++)
        {
            double v = double.CreateTruncating(f[j]);
            if (v > max)
            {
                max = v;
            }
        }

        return max;
    }

    private static double SumExp<T>(ReadOnlySpan<T> f, double max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0.0;
        for (int j = 0; j < f.Length; j++)
        {
            sum += Math.Exp(double.CreateTruncating(f[j]) - max);
        }

        return sum;
    }

    private static void Validate<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch < 0)
        {
            ThrowOutOfRange(nameof(batch), batch, "batch must not be negative.");
        }

        if (outputSize < 2)
        {
            ThrowOutOfRange(nameof(outputSize), outputSize, "a categorical likelihood needs at least 2 outputs (one logit per class).");
        }

        ValidateLength(nameof(outputs), outputs.Length, (long)batch * outputSize, "[batch, outputSize]");
        ValidateLength(nameof(targets), targets.Length, batch, "[batch] (one class index per example)");
        for (int n = 0; n < targets.Length; n++)
        {
            T y = targets[n];
            if (!(y >= T.Zero && y < T.CreateTruncating(outputSize) && T.IsInteger(y)))
            {
                ThrowInvalidTarget(n, y.ToString(null, CultureInfo.InvariantCulture), outputSize);
            }
        }
    }

    private static void ValidateLength(string name, int length, long expected, string shape)
    {
        if (length != expected)
        {
            ThrowLength(name, length, expected, shape);
        }
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(string name, int value, string message) =>
        throw new ArgumentOutOfRangeException(name, value, message);

    [DoesNotReturn]
    private static void ThrowLength(string name, int length, long expected, string shape) =>
        throw new ArgumentException($"{name} has length {length}, but its shape {shape} needs {expected}.", name);

    [DoesNotReturn]
    private static void ThrowInvalidTarget(int example, string value, int classes) =>
        throw new ArgumentException(
            $"Example {example} has target {value}; a categorical target must be an integer class index in [0, {classes}).",
            "targets");
}
