using System;
using System.Collections.Generic;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// Split MNIST as FROMP runs it: five binary tasks on the digit pairs 0/1, 2/3, 4/5, 6/7, 8/9 with task-relative
/// labels (the even digit is 0, the odd one 1), multi-head: task t (1-based) predicts through output units 2t−2 and
/// 2t−1 of a 10-output network. Inputs are the pixels / 255 in [0, 1], not normalised. Fashion-MNIST works the same
/// way (class pairs 0/1, …, 8/9).
/// </summary>
public static class SplitMnist
{
    /// <summary>The number of tasks.</summary>
    public const int TaskCount = 5;

    /// <summary>The network's number of outputs (two per task).</summary>
    public const int OutputSize = 10;

    /// <summary>
    /// The five tasks from a 10-class training set and test set (for example <see cref="Mnist.Load"/>'s; FROMP trains
    /// on all 60 000 training images). Examples keep their order within each task.
    /// </summary>
    /// <exception cref="ArgumentException">A data set does not have 10 classes, or the two have different input sizes.</exception>
    public static TaskSequence Create(Dataset train, Dataset test, string name = "split-mnist")
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        CheckTenClasses(train, nameof(train));
        CheckTenClasses(test, nameof(test));
        if (train.InputSize != test.InputSize)
            throw new ArgumentException($"The training set has {train.InputSize} inputs per example but the test set has {test.InputSize}.", nameof(test));

        var tasks = new ContinualTask[TaskCount];
        for (int t = 0; t < TaskCount; t++)
        {
            int first = 2 * t;
            string taskName = $"{name} task {t + 1} (classes {first}/{first + 1})";
            tasks[t] = new ContinualTask(t, taskName, Pair(train, first, $"{name}-task{t + 1}-train"), Pair(test, first, $"{name}-task{t + 1}-test"),
                headStart: first, classes: 2);
        }
        return new TaskSequence(name, OutputSize, tasks);
    }

    /// <summary>Loads MNIST (or Fashion-MNIST) from <paramref name="folder"/> with <see cref="Mnist.Load"/> and splits it.</summary>
    public static TaskSequence Load(string folder, string name = "split-mnist") =>
        Create(Mnist.Load(folder, MnistSplit.Train), Mnist.Load(folder, MnistSplit.Test), name);

    /// <summary>The examples of classes <paramref name="first"/> and first + 1, relabelled 0 and 1.</summary>
    private static Dataset Pair(Dataset data, int first, string name)
    {
        var indices = new List<int>();
        for (int i = 0; i < data.Count; i++)
        {
            int label = data.Label(i);
            if (label == first || label == first + 1)
                indices.Add(i);
        }
        int d = data.InputSize;
        var inputs = new float[indices.Count * d];
        var targets = new float[indices.Count];
        ReadOnlySpan<float> all = data.Inputs;
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            all.Slice(i * d, d).CopyTo(inputs.AsSpan(k * d, d));
            targets[k] = data.Label(i) - first;
        }
        return new Dataset(name, inputs, d, targets, targetSize: 1, classes: 2);
    }

    private static void CheckTenClasses(Dataset data, string parameter)
    {
        if (data.Classes != 10)
            throw new ArgumentException($"Split MNIST needs a 10-class data set; '{data.Name}' has {data.Classes} classes.", parameter);
    }
}
