using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Metrics;

/// <summary>Evaluation metrics over batches in the layout of <see cref="INetwork{TSelf,T}"/>.</summary>
/// <remarks>
/// The class shares its name with its namespace: from code inside the <c>Dnn2Gp.Runtime</c> namespaces,
/// <c>Metrics</c> names the namespace, so write <c>Metrics.ClassificationMetrics.Accuracy(…)</c> or add
/// <c>using static Dnn2Gp.Runtime.Metrics.Metrics;</c>.
/// </remarks>
public static class ClassificationMetrics
{
    /// <summary>
    /// The number of the <paramref name="batch"/> examples classified correctly. With <paramref name="outputSize"/>
    /// K ≥ 2 the prediction is the arg-max of the K outputs (ties go to the lowest index) and the target is the class
    /// index; with K = 1 the output is a logit, predicting class 1 when f &gt; 0, and the target is 0 or 1. An example
    /// whose outputs contain NaN counts as wrong.
    /// </summary>
    /// <param name="outputs">[batch, K] row-major (at least batch·K values).</param>
    /// <param name="targets">[batch] class indices stored as numbers (at least batch values).</param>
    /// <param name="batch">The number of examples.</param>
    /// <param name="outputSize">K, the network outputs per example.</param>
    /// <exception cref="ArgumentException">The spans are too short, or a target is not a class index in [0, K) (in {0, 1} for K = 1).</exception>
    public static int Accuracy(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch, int outputSize) =>
        Count(outputs, targets, batch, outputSize);

    /// <inheritdoc cref="Accuracy(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>
    public static int Accuracy(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int batch, int outputSize) =>
        Count(outputs, targets, batch, outputSize);

    private static int Count<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int batch, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        if (outputs.Length < (long)batch * outputSize)
            throw new ArgumentException(
                $"{batch} examples with {outputSize} outputs each need {(long)batch * outputSize} values, got {outputs.Length}.", nameof(outputs));
        if (targets.Length < batch)
            throw new ArgumentException($"{batch} examples need {batch} targets, got {targets.Length}.", nameof(targets));

        int classes = Math.Max(outputSize, 2);
        int correct = 0;
        for (int n = 0; n < batch; n++)
        {
            T t = targets[n];
            if (!(t >= T.Zero && t < T.CreateTruncating(classes)) || t != T.Floor(t))
                throw new ArgumentException(
                    $"The target of example {n} is {t}, not a class index in [0, {classes}).", nameof(targets));
            int label = int.CreateTruncating(t);

            ReadOnlySpan<T> f = outputs.Slice(n * outputSize, outputSize);
            int predicted;
            if (outputSize == 1)
            {
                if (T.IsNaN(f[0]))
                    continue;
                predicted = f[0] > T.Zero ? 1 : 0;
            }
            else
            {
                predicted = 0;
                T best = f[0];
                bool nan = T.IsNaN(best);
                for (int k = 1; k < f.Length && !nan; k++)
                {
                    if (T.IsNaN(f[k]))
                        nan = true;
                    else if (f[k] > best)
                    {
                        best = f[k];
                        predicted = k;
                    }
                }
                if (nan)
                    continue;
            }
            if (predicted == label)
                correct++;
        }
        return correct;
    }
}
