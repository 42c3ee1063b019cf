using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// The memorable past of one task: the training examples kept after training it (FROMP's memory Mₜ), in blocks per
/// class (class 0 first; within a block in selection order, most memorable first for Λ-score selection), with their
/// inputs copied out of the training set. The labels are kept for reports; the regulariser does not use them.
/// </summary>
/// <typeparam name="T">The element type of the inputs (the network's).</typeparam>
public sealed class TaskMemory<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly int[] _indices;
    private readonly int[] _labels;
    private readonly double[] _scores;

    /// <param name="taskIndex">The 0-based task the memory belongs to.</param>
    /// <param name="headStart">The first output unit of the task's head.</param>
    /// <param name="classes">The number of classes (the head's width).</param>
    /// <param name="indices">The kept examples' indices in the task's training set.</param>
    /// <param name="labels">Their task-relative labels.</param>
    /// <param name="inputs">Their inputs, [Count, inputSize] row-major (taken over, not copied).</param>
    /// <param name="inputSize">Features per example.</param>
    /// <param name="scores">The Λ-score of every example of the task's training set, at the weights the memory was chosen with.</param>
    /// <param name="selection">How the examples were chosen.</param>
    /// <exception cref="ArgumentException">The arrays do not fit together.</exception>
    public TaskMemory(int taskIndex, int headStart, int classes, int[] indices, int[] labels, T[] inputs, int inputSize, double[] scores, MemorySelection selection)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentOutOfRangeException.ThrowIfNegative(taskIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(headStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        if (indices.Length == 0)
            throw new ArgumentException($"The memory of task {taskIndex + 1} is empty; a memory needs at least one example.", nameof(indices));
        if (labels.Length != indices.Length)
            throw new ArgumentException($"{indices.Length} indices but {labels.Length} labels.", nameof(labels));
        if (inputs.Length != (long)indices.Length * inputSize)
            throw new ArgumentException($"{indices.Length} examples of {inputSize} features need {(long)indices.Length * inputSize} input values, got {inputs.Length}.", nameof(inputs));
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)scores.Length)
                throw new ArgumentException($"Index {i} of the memory is {indices[i]}, outside the {scores.Length} scored training examples.", nameof(indices));
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"Label {i} of the memory is {labels[i]}, not a class in [0, {classes}).", nameof(labels));
        }
        TaskIndex = taskIndex;
        HeadStart = headStart;
        Classes = classes;
        InputSize = inputSize;
        Selection = selection;
        _indices = indices;
        _labels = labels;
        _inputs = inputs;
        _scores = scores;
    }

    /// <summary>The 0-based task.</summary>
    public int TaskIndex { get; }

    /// <summary>The first output unit of the task's head.</summary>
    public int HeadStart { get; }

    /// <summary>The number of classes of the task.</summary>
    public int Classes { get; }

    /// <summary>Features per example.</summary>
    public int InputSize { get; }

    /// <summary>How the points were chosen.</summary>
    public MemorySelection Selection { get; }

    /// <summary>The number of memorable points.</summary>
    public int Count => _indices.Length;

    /// <summary>The points' indices in the task's training set.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>The points' task-relative labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The points' inputs, [Count, InputSize] row-major.</summary>
    public ReadOnlySpan<T> Inputs => _inputs;

    /// <summary>The Λ-score of every training example of the task (not only the kept ones).</summary>
    public ReadOnlySpan<double> TrainingScores => _scores;

    /// <summary>The Λ-score of kept point <paramref name="i"/>.</summary>
    public double Score(int i) => _scores[_indices[i]];

    internal T[] InputArray => _inputs;
}
