using System;
using System.Globalization;
using System.Numerics;

namespace Dnn2Gp.Runtime.Likelihoods;

/// <summary>
/// Target validation for the built-in likelihoods. Generated code calls it before any work is done, so a bad label
/// fails the whole call with nothing half-written, and the message names the example and the value.
/// </summary>
public static class Targets
{
    /// <summary>Gaussian targets must be finite.</summary>
    public static void ValidateGaussian<T>(string network, ReadOnlySpan<T> targets, int batch, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = batch * outputSize;
        for (int i = 0; i < count; i++)
        {
            if (!T.IsFinite(targets[i]))
            {
                throw new ArgumentException(
                    $"{network}: the regression target of example {i / outputSize} (output {i % outputSize}) is {Show(targets[i])}; targets must be finite.",
                    nameof(targets));
            }
        }
    }

    /// <summary>Bernoulli targets must be 0 or 1.</summary>
    public static void ValidateBernoulli<T>(string network, ReadOnlySpan<T> targets, int batch, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        {
            T y = targets[n];
            if (y != T.Zero && y != T.One)
            {
                throw new ArgumentException(
                    $"{network}: the label of example {n} is {Show(y)}; a Bernoulli likelihood needs labels 0 or 1.",
                    nameof(targets));
            }
        }
    }

    /// <summary>Categorical targets must be integer class indices in [0, outputSize).</summary>
    public static void ValidateCategorical<T>(string network, ReadOnlySpan<T> targets, int batch, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T classes = T.CreateChecked(outputSize);
        for (int n = 0; n < batch; n++)
        {
            T y = targets[n];
            if (!(y >= T.Zero) || !(y < classes) || T.Truncate(y) != y)
            {
                throw new ArgumentException(
                    $"{network}: the label of example {n} is {Show(y)}; a categorical likelihood with {outputSize} classes needs an integer label in [0, {outputSize - 1}].",
                    nameof(targets));
            }
        }
    }

    private static string Show<T>(T value) where T : IFormattable => value.ToString("R", CultureInfo.InvariantCulture);
}
