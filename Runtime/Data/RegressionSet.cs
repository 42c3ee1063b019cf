using System;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A regression data set in double precision (for GP and marginal-likelihood code, which wants the data exactly as
/// published): inputs [Count, InputSize] row-major and one target per example. <see cref="ToDataset"/> gives the
/// single-precision <see cref="Dataset"/> that the trainers and samplers take.
/// </summary>
public sealed class RegressionSet
{
    private readonly double[] _inputs;
    private readonly double[] _targets;

    /// <summary>Wraps (does not copy) <paramref name="inputs"/> and <paramref name="targets"/>; do not change them afterwards.</summary>
    /// <param name="name">A name for messages and reports.</param>
    /// <param name="inputs">[Count, InputSize], row-major.</param>
    /// <param name="inputSize">Features per example; positive.</param>
    /// <param name="targets">[Count]: one target per example.</param>
    /// <exception cref="ArgumentException">The sizes do not fit together.</exception>
    public RegressionSet(string name, double[] inputs, int inputSize, double[] targets)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"Regression set '{name}': the input size must be positive.");
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException(
                $"Regression set '{name}': {inputs.Length} input values are not a whole number of examples of {inputSize} features.", nameof(inputs));
        if (inputs.Length / inputSize != targets.Length)
            throw new ArgumentException(
                $"Regression set '{name}': {inputs.Length / inputSize} examples but {targets.Length} targets.", nameof(targets));
        Name = name;
        _inputs = inputs;
        _targets = targets;
        InputSize = inputSize;
        Count = targets.Length;
    }

    /// <summary>A name for messages and reports.</summary>
    public string Name { get; }

    /// <summary>The number of examples.</summary>
    public int Count { get; }

    /// <summary>Features per example.</summary>
    public int InputSize { get; }

    /// <summary>All inputs, [Count, InputSize] row-major.</summary>
    public ReadOnlySpan<double> Inputs => _inputs;

    /// <summary>All targets, [Count].</summary>
    public ReadOnlySpan<double> Targets => _targets;

    /// <summary>The inputs of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> Input(int index)
    {
        CheckIndex(index);
        return _inputs.AsSpan(index * InputSize, InputSize);
    }

    /// <summary>The target of example <paramref name="index"/>.</summary>
    public double Target(int index)
    {
        CheckIndex(index);
        return _targets[index];
    }

    /// <summary>A copy of input column <paramref name="feature"/> (e.g. the x of a 1-D set, for plotting).</summary>
    public double[] InputColumn(int feature)
    {
        if ((uint)feature >= (uint)InputSize)
            throw new ArgumentOutOfRangeException(nameof(feature), feature, $"Regression set '{Name}' has {InputSize} features.");
        var column = new double[Count];
        for (int i = 0; i < Count; i++)
            column[i] = _inputs[i * InputSize + feature];
        return column;
    }

    /// <summary>A new set holding copies of the examples at <paramref name="indices"/>, in that order.</summary>
    public RegressionSet Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var inputs = new double[(long)indices.Length * InputSize];
        var targets = new double[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Regression set '{Name}' has {Count} examples; index {k} of the subset is {i}.");
            _inputs.AsSpan(i * InputSize, InputSize).CopyTo(inputs.AsSpan(k * InputSize));
            targets[k] = _targets[i];
        }
        return new RegressionSet(name ?? $"{Name}[subset of {indices.Length}]", inputs, InputSize, targets);
    }

    /// <summary>The same examples as a single-precision <see cref="Dataset"/> (target size 1, regression).</summary>
    public Dataset ToDataset(string? name = null)
    {
        var inputs = new float[_inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = (float)_inputs[i];
        var targets = new float[_targets.Length];
        for (int i = 0; i < targets.Length; i++)
            targets[i] = (float)_targets[i];
        return new Dataset(name ?? Name, inputs, InputSize, targets, targetSize: 1);
    }

    public override string ToString() => $"{Name}: {Count} examples × {InputSize} inputs";

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Regression set '{Name}' has {Count} examples.");
    }
}
