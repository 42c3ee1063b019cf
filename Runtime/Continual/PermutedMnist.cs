using System;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// Permuted MNIST as FROMP runs it: ten 10-class tasks on one shared 10-unit head; task 1 is MNIST itself, task
/// i &gt; 1 applies one fixed pixel permutation to every image (training and test alike). Inputs are the pixels /
/// 255 in [0, 1], not normalised; labels stay 0…9.
/// </summary>
/// <remarks>
/// As in FROMP's script, the permutation of task i is drawn from a generator seeded by i − 1 — but here that is
/// .NET's <see cref="Random"/>(i − 1) with a Fisher–Yates shuffle (see <see cref="Permutation"/>), not numpy's
/// <c>np.random.seed(i − 1); np.random.permutation(784)</c>, so the permutations differ from the reference code's.
/// They are fixed for a task number on every machine. A permuted image is x′[k] = x[π[k]].
/// The permuted copies are made on first access of a task's <see cref="ContinualTask.Train"/> or
/// <see cref="ContinualTask.Test"/> (about 190 MB per training set), not all up front.
/// </remarks>
public static class PermutedMnist
{
    /// <summary>The number of tasks of the benchmark.</summary>
    public const int DefaultTaskCount = 10;

    /// <summary>The network's number of outputs (the shared head).</summary>
    public const int OutputSize = 10;

    /// <summary>
    /// The pixel permutation of task <paramref name="taskNumber"/> (1-based) over <paramref name="pixels"/> inputs:
    /// the identity for task 1, otherwise a Fisher–Yates shuffle (k from pixels − 1 down to 1, swap k with
    /// <see cref="Random.Next(int)"/>(k + 1)) of 0…pixels−1 with <c>new Random(taskNumber − 1)</c>.
    /// </summary>
    public static int[] Permutation(int taskNumber, int pixels = Mnist.InputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(taskNumber, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixels);
        var permutation = new int[pixels];
        for (int k = 0; k < pixels; k++)
            permutation[k] = k;
        if (taskNumber == 1)
            return permutation;
        var random = new Random(taskNumber - 1);
        for (int k = pixels - 1; k > 0; k--)
        {
            int j = random.Next(k + 1);
            (permutation[k], permutation[j]) = (permutation[j], permutation[k]);
        }
        return permutation;
    }

    /// <summary>A copy of <paramref name="data"/> with every example's inputs permuted: x′[k] = x[π[k]].</summary>
    /// <exception cref="ArgumentException">The permutation's length differs from the input size, or it is not a permutation.</exception>
    public static Dataset Apply(Dataset data, ReadOnlySpan<int> permutation, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = data.InputSize;
        if (permutation.Length != d)
            throw new ArgumentException($"'{data.Name}' has {d} inputs per example, but the permutation has {permutation.Length} entries.", nameof(permutation));
        var seen = new bool[d];
        foreach (int p in permutation)
        {
            if ((uint)p >= (uint)d || seen[p])
                throw new ArgumentException($"The permutation is not a permutation of 0..{d - 1} (entry {p}).", nameof(permutation));
            seen[p] = true;
        }
        ReadOnlySpan<float> source = data.Inputs;
        var inputs = new float[source.Length];
        for (int n = 0; n < data.Count; n++)
        {
            ReadOnlySpan<float> x = source.Slice(n * d, d);
            Span<float> y = inputs.AsSpan(n * d, d);
            for (int k = 0; k < d; k++)
                y[k] = x[permutation[k]];
        }
        return new Dataset(name ?? $"{data.Name}-permuted", inputs, d, data.Targets.ToArray(), data.TargetSize, data.Classes);
    }

    /// <summary>
    /// The <paramref name="taskCount"/> tasks over a 10-class training and test set (for example
    /// <see cref="Mnist.Load"/>'s 60 000 / 10 000). Task 1 uses the given data sets themselves.
    /// </summary>
    /// <exception cref="ArgumentException">A data set does not have 10 classes, or the two have different input sizes.</exception>
    public static TaskSequence Create(Dataset train, Dataset test, int taskCount = DefaultTaskCount, string name = "permuted-mnist")
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(taskCount);
        if (train.Classes != 10 || test.Classes != 10)
            throw new ArgumentException($"Permuted MNIST needs 10-class data sets; '{train.Name}' has {train.Classes} and '{test.Name}' has {test.Classes}.");
        if (train.InputSize != test.InputSize)
            throw new ArgumentException($"The training set has {train.InputSize} inputs per example but the test set has {test.InputSize}.", nameof(test));

        var tasks = new ContinualTask[taskCount];
        for (int t = 0; t < taskCount; t++)
        {
            int number = t + 1;
            string taskName = number == 1 ? $"{name} task 1 (unpermuted)" : $"{name} task {number} (permutation seed {number - 1})";
            if (number == 1)
            {
                tasks[t] = new ContinualTask(t, taskName, train, test, headStart: 0, classes: 10);
                continue;
            }
            var permutation = new Lazy<int[]>(() => Permutation(number, train.InputSize));
            tasks[t] = new ContinualTask(t, taskName,
                () => Apply(train, permutation.Value, $"{name}-task{number}-train"),
                () => Apply(test, permutation.Value, $"{name}-task{number}-test"),
                headStart: 0, classes: 10);
        }
        return new TaskSequence(name, OutputSize, tasks);
    }

    /// <summary>Loads MNIST (or Fashion-MNIST) from <paramref name="folder"/> with <see cref="Mnist.Load"/> and builds the tasks.</summary>
    public static TaskSequence Load(string folder, int taskCount = DefaultTaskCount, string name = "permuted-mnist") =>
        Create(Mnist.Load(folder, MnistSplit.Train), Mnist.Load(folder, MnistSplit.Test), taskCount, name);
}
