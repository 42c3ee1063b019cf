using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// FROMP's 2-D toy benchmark as a task sequence: the five binary tasks of <see cref="FrompToy"/> on one shared
/// 2-unit softmax head. FROMP's script reports accuracy on the training points (its "test" set is a plotting grid),
/// so each task's <see cref="ContinualTask.Test"/> is its training set.
/// </summary>
public static class FrompToyTasks
{
    /// <summary>The network's number of outputs.</summary>
    public const int OutputSize = 2;

    /// <summary>The five tasks, generated with <paramref name="seed"/>.</summary>
    public static TaskSequence Create(int seed = FrompToy.DefaultSeed, int pointsPerBlob = FrompToy.DefaultPointsPerBlob)
    {
        Dataset[] data = FrompToy.Generate(seed, pointsPerBlob);
        var tasks = new ContinualTask[data.Length];
        for (int t = 0; t < data.Length; t++)
            tasks[t] = new ContinualTask(t, $"fromp-toy task {t + 1}", data[t], data[t], headStart: 0, classes: 2);
        return new TaskSequence("fromp-toy", OutputSize, tasks);
    }
}
