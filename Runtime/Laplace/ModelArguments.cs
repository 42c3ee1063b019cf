using System;
using System.Globalization;
using System.Numerics;
using Dnn2Gp.Runtime.Likelihoods;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The checks every Laplace and GP entry point runs before any work: shapes, finite parameters and inputs, and targets
/// the declared likelihood accepts. Each message names the network, the argument, the example and the value.
/// </summary>
internal static class ModelArguments
{
    /// <summary>Parameters, <paramref name="n"/> training inputs and their targets.</summary>
    public static void CheckTraining<TNet, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int n)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckInputs<TNet, T>(parameters, inputs, n, "inputs");
        if (n == 0) throw new ArgumentException($"{TNet.Name}: a Laplace posterior needs at least one training example, but n = 0.", nameof(n));
        NetworkArguments.CheckTargets(TNet.Name, targets.Length, TNet.TargetSize, n);
        CheckTargets<TNet, T>(targets, n);
    }

    /// <summary>Parameters and <paramref name="n"/> inputs (e.g. test points).</summary>
    public static void CheckInputs<TNet, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int n, string name)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkArguments.CheckBatch(TNet.Name, parameters.Length, TNet.ParameterCount, inputs.Length, TNet.InputSize, n);
        CheckFinite(TNet.Name, parameters, "parameters", "parameter", 1);
        int d = TNet.InputSize;
        ReadOnlySpan<T> used = inputs.Slice(0, n * d);
        for (int i = 0; i < used.Length; i++)
        {
            if (!T.IsFinite(used[i]))
                throw new ArgumentException(
                    $"{TNet.Name}: '{name}' holds {Show(used[i])} in example {i / d}, feature {i % d}; inputs must be finite (clean or impute the data first).", name);
        }
    }

    /// <summary>Targets of the declared likelihood: finite regression targets, 0/1 labels, or class indices in range.</summary>
    public static void CheckTargets<TNet, T>(ReadOnlySpan<T> targets, int n)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (TNet.Likelihood)
        {
            case GaussianLikelihood: Targets.ValidateGaussian(TNet.Name, targets, n, TNet.OutputSize); break;
            case BernoulliLikelihood: Targets.ValidateBernoulli(TNet.Name, targets, n, TNet.OutputSize); break;
            case CategoricalLikelihood: Targets.ValidateCategorical(TNet.Name, targets, n, TNet.OutputSize); break;
            default: throw new NotSupportedException($"{TNet.Name}: the likelihood {TNet.Likelihood} is not supported.");
        }
    }

    /// <summary>Every value finite.</summary>
    public static void CheckFinite<T>(string network, ReadOnlySpan<T> values, string name, string what, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
                throw new ArgumentException($"{network}: '{name}' holds {Show(values[i])} at {what} {i / stride}; it must be finite.", name);
        }
    }

    /// <summary>Every value finite (double).</summary>
    public static void CheckFinite(string context, ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{context}: '{name}' holds {Show(values[i])} at index {i}; it must be finite.", name);
        }
    }

    /// <summary>A noise standard deviation: positive and finite.</summary>
    public static double CheckSigma(double sigma, string name = "sigma")
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(name, sigma, $"The noise standard deviation σ must be positive and finite, but is {Show(sigma)}.");
        return sigma;
    }

    private static string Show<T>(T value) where T : IFormattable => value.ToString("R", CultureInfo.InvariantCulture);
}
