using System;
using System.Collections.Generic;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// Split CIFAR as FROMP runs it: task 1 is CIFAR-10 (10 classes), tasks 2–6 are CIFAR-100 classes 0–9, 10–19, …, 40–49
/// relabelled 0–9; multi-head over 60 outputs, task t predicting through units 10(t−1)…10t−1. Inputs are the pixels /
/// 255 in [0, 1] (no normalisation, no augmentation) in the reader's layout (CHW, 3 × 32 × 32).
/// </summary>
/// <remarks>
/// The sequence is built from data-set factories, so it does not depend on a particular reader: each factory runs once,
/// on the first access of a task that needs it. <see cref="Load"/> uses the binary CIFAR reader (<see cref="Cifar"/>).
/// </remarks>
public static class SplitCifar
{
    /// <summary>The number of CIFAR-100 tasks of the default run.</summary>
    public const int DefaultCifar100Tasks = 5;

    /// <summary>Classes per task.</summary>
    public const int ClassesPerTask = 10;

    /// <summary>The network's number of outputs for the default run (6 tasks × 10).</summary>
    public const int OutputSize = (1 + DefaultCifar100Tasks) * ClassesPerTask;

    /// <summary>
    /// The tasks from CIFAR-10 (10-class) and CIFAR-100 (100-class, fine labels) training and test sets made by the given
    /// factories. <paramref name="cifar100Tasks"/> of the ten possible CIFAR-100 tasks follow CIFAR-10.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cifar100Tasks"/> is outside 0…10.</exception>
    public static TaskSequence Create(Func<Dataset> cifar10Train, Func<Dataset> cifar10Test, Func<Dataset> cifar100Train, Func<Dataset> cifar100Test,
        int cifar100Tasks = DefaultCifar100Tasks, string name = "split-cifar")
    {
        ArgumentNullException.ThrowIfNull(cifar10Train);
        ArgumentNullException.ThrowIfNull(cifar10Test);
        ArgumentNullException.ThrowIfNull(cifar100Train);
        ArgumentNullException.ThrowIfNull(cifar100Test);
        ArgumentOutOfRangeException.ThrowIfNegative(cifar100Tasks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cifar100Tasks, 10);
        var train100 = new Lazy<Dataset>(() => Checked(cifar100Train(), 100));
        var test100 = new Lazy<Dataset>(() => Checked(cifar100Test(), 100));
        var tasks = new ContinualTask[1 + cifar100Tasks];
        tasks[0] = new ContinualTask(0, $"{name} task 1 (CIFAR-10)", () => Checked(cifar10Train(), 10), () => Checked(cifar10Test(), 10), headStart: 0, classes: ClassesPerTask);
        for (int i = 1; i <= cifar100Tasks; i++)
        {
            int first = (i - 1) * ClassesPerTask;
            string taskName = $"{name} task {i + 1} (CIFAR-100 classes {first}-{first + ClassesPerTask - 1})";
            tasks[i] = new ContinualTask(i, taskName,
                () => ClassBlock(train100.Value, first, ClassesPerTask, $"{name}-task{i + 1}-train"),
                () => ClassBlock(test100.Value, first, ClassesPerTask, $"{name}-task{i + 1}-test"),
                headStart: i * ClassesPerTask, classes: ClassesPerTask);
        }
        return new TaskSequence(name, (1 + cifar100Tasks) * ClassesPerTask, tasks);
    }

    /// <summary>
    /// Split CIFAR from the binary CIFAR-10 and CIFAR-100 files in <paramref name="folder"/> (or its
    /// <c>cifar-10-batches-bin</c> / <c>cifar-100-binary</c> subfolders). Every file is checked to exist now; each is read
    /// on the first access of a task that needs it.
    /// </summary>
    /// <exception cref="System.IO.FileNotFoundException">A folder or file is missing; the message names it.</exception>
    public static TaskSequence Load(string folder, int cifar100Tasks = DefaultCifar100Tasks)
    {
        Cifar.RequireFiles(folder, cifar100: cifar100Tasks > 0);
        return Create(() => Cifar.LoadCifar10(folder, CifarSplit.Train), () => Cifar.LoadCifar10(folder, CifarSplit.Test),
            () => Cifar.LoadCifar100(folder, CifarSplit.Train), () => Cifar.LoadCifar100(folder, CifarSplit.Test), cifar100Tasks);
    }

    /// <summary>The examples of classes first … first + count − 1, relabelled 0 … count − 1, in their original order.</summary>
    public static Dataset ClassBlock(Dataset data, int first, int count, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (first < 0 || count < 1 || first + count > data.Classes)
            throw new ArgumentOutOfRangeException(nameof(first), first, $"Classes {first}..{first + count - 1} are not inside the {data.Classes} classes of '{data.Name}'.");
        var indices = new List<int>();
        for (int i = 0; i < data.Count; i++)
        {
            int label = data.Label(i);
            if (label >= first && label < first + count) indices.Add(i);
        }
        int d = data.InputSize;
        var inputs = new float[(long)indices.Count * d];
        var targets = new float[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            data.Input(indices[k]).CopyTo(inputs.AsSpan(k * d, d));
            targets[k] = data.Label(indices[k]) - first;
        }
        return new Dataset(name, inputs, d, targets, targetSize: 1, classes: count);
    }

    private static Dataset Checked(Dataset data, int classes)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Classes != classes)
            throw new InvalidOperationException($"Split CIFAR expected a {classes}-class data set, but '{data.Name}' has {data.Classes} classes.");
        return data;
    }
}
