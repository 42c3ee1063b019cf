using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Optimizers;

/// <summary>A first-order optimiser over one flat parameter vector (see <see cref="INetwork{TSelf,T}"/>).</summary>
/// <typeparam name="T">The element type of the parameters (float or double).</typeparam>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Takes one step: updates <paramref name="parameters"/> in place from <paramref name="gradient"/> (of the loss to minimise).</summary>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradient);

    /// <summary>Forgets all state (moments, momentum buffers, step count), as if newly made; hyperparameters are kept.</summary>
    void Reset();

    /// <summary>The number of steps taken since construction or the last <see cref="Reset"/>.</summary>
    long StepCount { get; }

    /// <summary>The learning rate; positive and finite. It may be changed between steps (schedules).</summary>
    double LearningRate { get; set; }
}

/// <summary>Argument checks shared by the optimisers.</summary>
internal static class OptimizerChecks
{
    public static double LearningRate(double value, string name = "learningRate")
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, "The learning rate must be positive and finite.");
        return value;
    }

    public static double UnitInterval(double value, string name, string what)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{what} must be in [0, 1).");
        return value;
    }

    public static double NonNegative(double value, string name, string what)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{what} must be non-negative and finite.");
        return value;
    }

    public static double Positive(double value, string name, string what)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{what} must be positive and finite.");
        return value;
    }

    public static void Lengths(string optimizer, int parameterCount, int parameters, int gradient)
    {
        if (parameters != parameterCount)
            throw new ArgumentException(
                $"{optimizer} was made for {parameterCount} parameters but was given {parameters}.", nameof(parameters));
        if (gradient != parameterCount)
            throw new ArgumentException(
                $"{optimizer} was made for {parameterCount} parameters but was given a gradient of length {gradient}.", nameof(gradient));
    }

    /// <summary>Whether <see cref="Vector{T}"/> arithmetic is available and fast for <typeparamref name="T"/>.</summary>
    public static bool Vectorised<T>() where T : unmanaged => Vector.IsHardwareAccelerated && Vector<T>.IsSupported;
}
