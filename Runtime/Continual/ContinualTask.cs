using System;
using System.Threading;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// One task of a continual-learning sequence: its training and test sets and its head, the contiguous block of
/// output units [<see cref="HeadStart"/>, <see cref="HeadStart"/> + <see cref="Classes"/>) of the shared network
/// that predicts this task's task-relative labels 0…Classes−1.
/// </summary>
/// <remarks>
/// A task may be built from data sets or from factories; a factory runs on the first access of
/// <see cref="Train"/> or <see cref="Test"/> (once, thread-safely), so that, for example, ten permuted copies of
/// MNIST are not all held in memory before they are needed.
/// </remarks>
public sealed class ContinualTask
{
    private readonly Lazy<Dataset> _train;
    private readonly Lazy<Dataset> _test;

    /// <summary>A task over ready data sets.</summary>
    /// <param name="index">The 0-based position in its sequence.</param>
    /// <param name="name">A name for messages and reports, e.g. "split-mnist task 1 (digits 0/1)".</param>
    /// <param name="train">The training set; a classification set with <paramref name="classes"/> classes.</param>
    /// <param name="test">The test set; same input size and classes.</param>
    /// <param name="headStart">The first output unit of the task's head.</param>
    /// <param name="classes">The number of classes, which is also the head's width; at least 2.</param>
    /// <exception cref="ArgumentException">The data sets do not match each other or the head.</exception>
    public ContinualTask(int index, string name, Dataset train, Dataset test, int headStart, int classes)
        : this(index, name, headStart, classes, Ready(train, nameof(train)), Ready(test, nameof(test)))
    {
        CheckData(train, "training");
        CheckData(test, "test");
        if (train.InputSize != test.InputSize)
            throw new ArgumentException(
                $"Task '{name}': the training set has {train.InputSize} inputs per example but the test set has {test.InputSize}.", nameof(test));
    }

    /// <summary>A task whose data sets are made on first use by <paramref name="train"/> and <paramref name="test"/>.</summary>
    /// <exception cref="ArgumentException">The head is invalid. The data sets are checked when they are made (an <see cref="InvalidOperationException"/> then).</exception>
    public ContinualTask(int index, string name, Func<Dataset> train, Func<Dataset> test, int headStart, int classes)
        : this(index, name, headStart, classes, train, test)
    {
    }

    private ContinualTask(int index, string name, int headStart, int classes, Func<Dataset> train, Func<Dataset> test)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(headStart);
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"Task '{name}': a classification task needs at least 2 classes.");
        Index = index;
        Name = name;
        HeadStart = headStart;
        Classes = classes;
        _train = new Lazy<Dataset>(() => Made(train, "training"), LazyThreadSafetyMode.ExecutionAndPublication);
        _test = new Lazy<Dataset>(() => Made(test, "test"), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The 0-based position in the sequence.</summary>
    public int Index { get; }

    /// <summary>The 1-based task number of the papers (task t).</summary>
    public int Number => Index + 1;

    /// <summary>A name for messages and reports.</summary>
    public string Name { get; }

    /// <summary>The training set (labels 0…Classes−1).</summary>
    public Dataset Train => _train.Value;

    /// <summary>The test set (labels 0…Classes−1).</summary>
    public Dataset Test => _test.Value;

    /// <summary>The first output unit of the head.</summary>
    public int HeadStart { get; }

    /// <summary>The number of classes, and the head's width.</summary>
    public int Classes { get; }

    /// <summary>The head's output units as a range, HeadStart..(HeadStart + Classes).</summary>
    public Range Head => HeadStart..(HeadStart + Classes);

    /// <summary>
    /// The number of the <paramref name="batch"/> examples whose arg-max over this task's head (ties to the lowest
    /// unit, NaN counting as wrong) equals the task-relative label — the accuracy FROMP reports per task.
    /// </summary>
    /// <param name="outputs">The network outputs, [batch, outputSize] row-major.</param>
    /// <param name="outputSize">The network's output width; the head must fit inside it.</param>
    /// <param name="targets">The labels, [batch], task-relative (0…Classes−1).</param>
    /// <param name="batch">The number of examples.</param>
    /// <exception cref="ArgumentException">The spans are too short, the head does not fit, or a label is out of range.</exception>
    public int CountCorrect(ReadOnlySpan<float> outputs, int outputSize, ReadOnlySpan<float> targets, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (HeadStart + Classes > outputSize)
            throw new ArgumentException(
                $"Task '{Name}' uses output units {HeadStart}..{HeadStart + Classes - 1}, but the network has {outputSize} outputs.", nameof(outputSize));
        if (outputs.Length < (long)batch * outputSize)
            throw new ArgumentException($"{batch} examples with {outputSize} outputs need {(long)batch * outputSize} values, got {outputs.Length}.", nameof(outputs));
        if (targets.Length < batch)
            throw new ArgumentException($"{batch} examples need {batch} labels, got {targets.Length}.", nameof(targets));
        int correct = 0;
        for (int n = 0; n < batch; n++)
        {
            float t = targets[n];
            if (!(t >= 0 && t < Classes) || t != MathF.Floor(t))
                throw new ArgumentException($"Task '{Name}': the label of example {n} is {t}, not a class in [0, {Classes}).", nameof(targets));
            ReadOnlySpan<float> head = outputs.Slice(n * outputSize + HeadStart, Classes);
            int best = -1;
            float bestValue = float.NegativeInfinity;
            bool nan = false;
            for (int c = 0; c < head.Length; c++)
            {
                if (float.IsNaN(head[c]))
                {
                    nan = true;
                    break;
                }
                if (best < 0 || head[c] > bestValue)
                {
                    best = c;
                    bestValue = head[c];
                }
            }
            if (!nan && best == (int)t)
                correct++;
        }
        return correct;
    }

    public override string ToString() => $"{Name}: head units {HeadStart}..{HeadStart + Classes - 1}";

    private static Func<Dataset> Ready(Dataset data, string parameter)
    {
        ArgumentNullException.ThrowIfNull(data, parameter);
        return () => data;
    }

    private Dataset Made(Func<Dataset> factory, string which)
    {
        Dataset data = factory() ?? throw new InvalidOperationException($"Task '{Name}': the {which} set factory returned null.");
        try
        {
            CheckData(data, which);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        return data;
    }

    private void CheckData(Dataset data, string which)
    {
        if (data.Classes != Classes)
            throw new ArgumentException(
                $"Task '{Name}' has {Classes} classes, but its {which} set '{data.Name}' has {(data.Classes == 0 ? "none (regression)" : data.Classes.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
    }
}
