using System;
using System.Collections;
using System.Collections.Generic;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// A continual-learning benchmark: tasks learned one after another by one network with <see cref="OutputSize"/>
/// outputs, each task predicting through its own head (a block of those outputs). Multi-head sequences such as
/// Split MNIST give every task its own units; single-head ones such as Permuted MNIST share all of them.
/// </summary>
public sealed class TaskSequence : IReadOnlyList<ContinualTask>
{
    private readonly ContinualTask[] _tasks;

    /// <summary>A sequence over <paramref name="tasks"/>, whose indices must be 0, 1, 2, … in order.</summary>
    /// <param name="name">A name for messages and reports, e.g. "split-mnist".</param>
    /// <param name="outputSize">The network's number of outputs; every head must fit inside it.</param>
    /// <param name="tasks">The tasks, at least one.</param>
    /// <exception cref="ArgumentException">No tasks, indices out of order, or a head outside the outputs.</exception>
    public TaskSequence(string name, int outputSize, IReadOnlyList<ContinualTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        if (tasks.Count == 0)
            throw new ArgumentException($"Task sequence '{name}' needs at least one task.", nameof(tasks));
        _tasks = new ContinualTask[tasks.Count];
        for (int t = 0; t < tasks.Count; t++)
        {
            ContinualTask task = tasks[t] ?? throw new ArgumentException($"Task sequence '{name}': task {t} is null.", nameof(tasks));
            if (task.Index != t)
                throw new ArgumentException($"Task sequence '{name}': position {t} holds the task with index {task.Index} ('{task.Name}').", nameof(tasks));
            if (task.HeadStart + task.Classes > outputSize)
                throw new ArgumentException(
                    $"Task sequence '{name}': task '{task.Name}' uses output units {task.HeadStart}..{task.HeadStart + task.Classes - 1}, but the network has {outputSize} outputs.",
                    nameof(tasks));
            _tasks[t] = task;
        }
        Name = name;
        OutputSize = outputSize;
    }

    /// <summary>A name for messages and reports.</summary>
    public string Name { get; }

    /// <summary>The network's number of outputs.</summary>
    public int OutputSize { get; }

    /// <summary>Whether the tasks use different heads (true for Split MNIST, false for Permuted MNIST and the FROMP toy).</summary>
    public bool IsMultiHead
    {
        get
        {
            foreach (ContinualTask task in _tasks)
            {
                if (task.HeadStart != _tasks[0].HeadStart || task.Classes != _tasks[0].Classes)
                    return true;
            }
            return false;
        }
    }

    /// <summary>The number of tasks.</summary>
    public int Count => _tasks.Length;

    /// <summary>Task <paramref name="index"/> (0-based; task t of the papers is index t − 1).</summary>
    public ContinualTask this[int index] => (uint)index < (uint)_tasks.Length
        ? _tasks[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Task sequence '{Name}' has {_tasks.Length} tasks (indices 0..{_tasks.Length - 1}).");

    public IEnumerator<ContinualTask> GetEnumerator() => ((IEnumerable<ContinualTask>)_tasks).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Name}: {Count} tasks, {OutputSize} outputs, {(IsMultiHead ? "multi-head" : "single head")}";
}
