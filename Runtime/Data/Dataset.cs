using System;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A labelled data set in the layout every network uses (see <see cref="INetwork{TSelf,T}"/>): inputs
/// [Count, InputSize] and targets [Count, TargetSize], row-major, one example per row. For classification
/// (<see cref="Classes"/> &gt; 0) the target is the class index stored as a number (TargetSize = 1).
/// </summary>
public sealed class Dataset
{
    private readonly float[] _inputs;
    private readonly float[] _targets;

    /// <summary>
    /// Creates a data set over <paramref name="inputs"/> and <paramref name="targets"/>, which it takes over without
    /// copying (do not change them afterwards). The number of examples is inputs.Length / inputSize.
    /// </summary>
    /// <param name="name">A name for messages and reports, such as "mnist-train".</param>
    /// <param name="inputs">[Count, InputSize], row-major.</param>
    /// <param name="inputSize">Features per example; positive.</param>
    /// <param name="targets">[Count, TargetSize], row-major.</param>
    /// <param name="targetSize">Target values per example; positive, and 1 when <paramref name="classes"/> &gt; 0.</param>
    /// <param name="classes">The number of classes for classification (every target an integer in [0, classes)), 0 for regression.</param>
    /// <exception cref="ArgumentException">The sizes do not fit together or a class label is out of range.</exception>
    public Dataset(string name, float[] inputs, int inputSize, float[] targets, int targetSize, int classes = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"Data set '{name}': the input size must be positive.");
        if (targetSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, $"Data set '{name}': the target size must be positive.");
        if (classes < 0)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"Data set '{name}': the number of classes must be 0 (regression) or positive.");
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException(
                $"Data set '{name}': {inputs.Length} input values are not a whole number of examples of {inputSize} features.", nameof(inputs));
        int count = inputs.Length / inputSize;
        if ((long)count * targetSize != targets.Length)
            throw new ArgumentException(
                $"Data set '{name}': {count} examples with {targetSize} target value(s) each need {(long)count * targetSize} targets, got {targets.Length}.",
                nameof(targets));
        if (classes > 0)
        {
            if (targetSize != 1)
                throw new ArgumentException(
                    $"Data set '{name}': a classification data set stores the class index as its one target, but the target size is {targetSize}.",
                    nameof(targetSize));
            for (int i = 0; i < targets.Length; i++)
            {
                float t = targets[i];
                if (!(t >= 0 && t < classes) || t != MathF.Floor(t))
                    throw new ArgumentException(
                        $"Data set '{name}': the target of example {i} is {t}, not a class index in [0, {classes}).", nameof(targets));
            }
        }

        Name = name;
        _inputs = inputs;
        _targets = targets;
        Count = count;
        InputSize = inputSize;
        TargetSize = targetSize;
        Classes = classes;
    }

    /// <summary>A name for messages and reports.</summary>
    public string Name { get; }

    /// <summary>The number of examples.</summary>
    public int Count { get; }

    /// <summary>Features per example.</summary>
    public int InputSize { get; }

    /// <summary>Target values per example.</summary>
    public int TargetSize { get; }

    /// <summary>The number of classes, or 0 for regression.</summary>
    public int Classes { get; }

    /// <summary>All inputs, [Count, InputSize] row-major.</summary>
    public ReadOnlySpan<float> Inputs => _inputs;

    /// <summary>All targets, [Count, TargetSize] row-major.</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>The inputs of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Input(int index)
    {
        CheckIndex(index);
        return _inputs.AsSpan(index * InputSize, InputSize);
    }

    /// <summary>The targets of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Target(int index)
    {
        CheckIndex(index);
        return _targets.AsSpan(index * TargetSize, TargetSize);
    }

    /// <summary>The class of example <paramref name="index"/>; only for classification data sets.</summary>
    public int Label(int index)
    {
        if (Classes == 0)
            throw new InvalidOperationException($"Data set '{Name}' is a regression data set; it has no class labels.");
        CheckIndex(index);
        return (int)_targets[index];
    }

    /// <summary>The number of examples of each class; only for classification data sets.</summary>
    public int[] ClassCounts()
    {
        if (Classes == 0)
            throw new InvalidOperationException($"Data set '{Name}' is a regression data set; it has no class labels.");
        var counts = new int[Classes];
        foreach (float t in _targets)
            counts[(int)t]++;
        return counts;
    }

    /// <summary>A new data set holding copies of the examples at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var inputs = new float[(long)indices.Length * InputSize];
        var targets = new float[(long)indices.Length * TargetSize];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Data set '{Name}' has {Count} examples; index {k} of the subset is {i}.");
            _inputs.AsSpan(i * InputSize, InputSize).CopyTo(inputs.AsSpan(k * InputSize));
            _targets.AsSpan(i * TargetSize, TargetSize).CopyTo(targets.AsSpan(k * TargetSize));
        }
        return new Dataset(name ?? $"{Name}[subset of {indices.Length}]", inputs, InputSize, targets, TargetSize, Classes);
    }

    /// <summary>A new data set holding copies of the first <paramref name="count"/> examples (all of them if there are fewer).</summary>
    public Dataset Take(int count, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = Math.Min(count, Count);
        return new Dataset(
            name ?? (n == Count ? Name : $"{Name}[:{n}]"),
            _inputs.AsSpan(0, n * InputSize).ToArray(), InputSize,
            _targets.AsSpan(0, n * TargetSize).ToArray(), TargetSize, Classes);
    }

    public override string ToString() =>
        $"{Name}: {Count} examples × {InputSize} inputs, {TargetSize} target(s){(Classes > 0 ? $", {Classes} classes" : "")}";

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Data set '{Name}' has {Count} examples.");
    }
}
