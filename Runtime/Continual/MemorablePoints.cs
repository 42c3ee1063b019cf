using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// FROMP's memorable-past selection: after a task is trained, every training input gets the Λ-score
/// Σₖ pₖ(1 − pₖ) of the task head's softmax (the trace of its Hessian; large near the decision boundary), and each
/// class keeps its <c>points / C</c> highest-scoring inputs (or lowest, or a random draw for FRORP).
/// </summary>
public static class MemorablePoints
{
    /// <summary>
    /// Writes the Λ-score of every example of <paramref name="data"/> under the head [headStart, headStart + classes)
    /// into <paramref name="scores"/> (forward passes in batches of <paramref name="batchSize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The data does not fit the network, or <paramref name="scores"/> is not one per example.</exception>
    public static void Scores<TNet, T>(ReadOnlySpan<T> parameters, Dataset data, int headStart, int classes, Span<double> scores, int batchSize = 1000)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        CheckHead(TNet.Name, TNet.OutputSize, headStart, classes);
        if (data.InputSize != TNet.InputSize)
            throw new ArgumentException($"'{data.Name}' has {data.InputSize} inputs per example, but {TNet.Name} takes {TNet.InputSize}.", nameof(data));
        if (scores.Length != data.Count)
            throw new ArgumentException($"'scores' has {scores.Length} elements, but '{data.Name}' has {data.Count} examples.", nameof(scores));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int k = TNet.OutputSize, d = TNet.InputSize;
        int block = Math.Min(batchSize, Math.Max(1, data.Count));
        var outputs = new T[block * k];
        T[]? converted = typeof(T) == typeof(float) ? null : new T[block * d];
        Span<double> p = stackalloc double[classes];
        for (int start = 0; start < data.Count; start += block)
        {
            int n = Math.Min(block, data.Count - start);
            TNet.Forward(parameters, DataBlocks.Inputs(data, start, n, converted), outputs.AsSpan(0, n * k), n);
            for (int e = 0; e < n; e++)
            {
                HeadSoftmax.Probabilities<T>(outputs.AsSpan(e * k, k), headStart, p);
                scores[start + e] = HeadSoftmax.LambdaScore(p);
            }
        }
    }

    /// <summary>
    /// The indices of the <paramref name="perClass"/> highest-scoring (or, with <paramref name="descending"/> false,
    /// lowest-scoring) examples of each class: class 0's block first, each block in rank order. Ties go to the lower
    /// index, so the result is deterministic. A class with fewer examples contributes all of them.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length, a label is out of range, or a score is NaN.</exception>
    public static int[] SelectByScore(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, int classes, int perClass, bool descending = true)
    {
        List<int>[] members = ByClass(labels, classes, perClass, scores.Length);
        for (int i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
                throw new ArgumentException($"The score of example {i} is NaN; the network's outputs are not finite.", nameof(scores));
        }
        double[] s = scores.ToArray();
        var result = new List<int>(classes * perClass);
        foreach (List<int> group in members)
        {
            group.Sort((a, b) =>
            {
                int byScore = descending ? s[b].CompareTo(s[a]) : s[a].CompareTo(s[b]);
                return byScore != 0 ? byScore : a.CompareTo(b);
            });
            for (int j = 0; j < Math.Min(perClass, group.Count); j++) result.Add(group[j]);
        }
        return [.. result];
    }

    /// <summary>
    /// <paramref name="perClass"/> examples of each class drawn uniformly without replacement with a generator seeded by
    /// <paramref name="seed"/> (FRORP): class 0's block first, each block in increasing index order. A class with fewer
    /// examples contributes all of them.
    /// </summary>
    /// <exception cref="ArgumentException">A label is out of range.</exception>
    public static int[] SelectRandom(ReadOnlySpan<int> labels, int classes, int perClass, int seed)
    {
        List<int>[] members = ByClass(labels, classes, perClass, labels.Length);
        var random = new Random(seed);
        var result = new List<int>(classes * perClass);
        foreach (List<int> group in members)
        {
            int take = Math.Min(perClass, group.Count);
            // Partial Fisher–Yates: the first 'take' entries become a uniform draw without replacement.
            for (int j = 0; j < take; j++)
            {
                int r = j + random.Next(group.Count - j);
                (group[j], group[r]) = (group[r], group[j]);
            }
            List<int> chosen = group.GetRange(0, take);
            chosen.Sort();
            result.AddRange(chosen);
        }
        return [.. result];
    }

    /// <summary>
    /// Scores the training set of <paramref name="task"/> at <paramref name="parameters"/> and keeps
    /// <paramref name="points"/> / C examples per class as <paramref name="selection"/> says (<paramref name="seed"/>
    /// seeds the random draw).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> is smaller than the number of classes.</exception>
    public static TaskMemory<T> Select<TNet, T>(ReadOnlySpan<T> parameters, ContinualTask task, int points, MemorySelection selection, int seed)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(task);
        if (points < task.Classes)
            throw new ArgumentOutOfRangeException(nameof(points), points, $"Task '{task.Name}' has {task.Classes} classes; the memory needs at least one point per class (num_points ≥ {task.Classes}).");
        Dataset train = task.Train;
        var scores = new double[train.Count];
        Scores<TNet, T>(parameters, train, task.HeadStart, task.Classes, scores);
        var labels = new int[train.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = train.Label(i);
        int perClass = points / task.Classes;
        int[] indices = selection switch
        {
            MemorySelection.LambdaDescending => SelectByScore(scores, labels, task.Classes, perClass, descending: true),
            MemorySelection.LambdaAscending => SelectByScore(scores, labels, task.Classes, perClass, descending: false),
            MemorySelection.Random => SelectRandom(labels, task.Classes, perClass, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Unknown memory selection."),
        };
        int d = train.InputSize;
        var inputs = new T[(long)indices.Length * d];
        var kept = new int[indices.Length];
        for (int j = 0; j < indices.Length; j++)
        {
            DataBlocks.Convert(train.Input(indices[j]), inputs.AsSpan(j * d, d));
            kept[j] = labels[indices[j]];
        }
        return new TaskMemory<T>(task.Index, task.HeadStart, task.Classes, indices, kept, inputs, d, scores, selection);
    }

    private static List<int>[] ByClass(ReadOnlySpan<int> labels, int classes, int perClass, int expected)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);
        if (labels.Length != expected)
            throw new ArgumentException($"{expected} scores but {labels.Length} labels; they must be one per example.", nameof(labels));
        var members = new List<int>[classes];
        for (int c = 0; c < classes; c++) members[c] = [];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"The label of example {i} is {labels[i]}, not a class in [0, {classes}).", nameof(labels));
            members[labels[i]].Add(i);
        }
        return members;
    }

    internal static void CheckHead(string network, int outputs, int headStart, int classes)
    {
        if (headStart < 0 || classes < 2 || headStart + classes > outputs)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{network}: the head {headStart}..{headStart + classes - 1} must be at least 2 units inside its {outputs} outputs.");
    }
}

/// <summary>Blocks of a float <see cref="Dataset"/> as the network's element type (no copy for float).</summary>
internal static class DataBlocks
{
    public static ReadOnlySpan<T> Inputs<T>(Dataset data, int start, int count, T[]? buffer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<float> source = data.Inputs.Slice(start * data.InputSize, count * data.InputSize);
        if (typeof(T) == typeof(float)) return MemoryMarshal.Cast<float, T>(source);
        Span<T> destination = buffer.AsSpan(0, source.Length);
        Convert(source, destination);
        return destination;
    }

    public static void Convert<T>(ReadOnlySpan<float> source, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            source.CopyTo(MemoryMarshal.Cast<T, float>(destination));
            return;
        }
        for (int i = 0; i < source.Length; i++) destination[i] = T.CreateTruncating(source[i]);
    }
}
