using System;
using System.Collections.Generic;
using System.IO;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Cli;

/// <summary>
/// <c>dnn2gp continual toy</c>: FROMP's five-task 2-D blob data (generated in code) learned by the chosen method and by
/// Adam fine-tuning, side by side: the decision boundary after each task (one row per method), with the memorable
/// points ringed, and both accuracy matrices (on the training points, as FROMP's toy script reports).
/// </summary>
internal static class ContinualToy
{
    public static int Run(ContinualOptions options)
    {
        TaskSequence sequence = FrompToyTasks.Create();
        ContinualMethod method = options.Method == ContinualMethod.FineTuning ? ContinualMethod.Fromp : options.Method;
        string output = options.Output ?? Path.Combine("continual-results", "toy");
        Directory.CreateDirectory(output);
        var all = new List<float>();
        foreach (ContinualTask task in sequence) all.AddRange(task.Train.Inputs.ToArray());
        Grid2D grid = Grid2D.Around(all.ToArray(), margin: 0.2, step: 0.01, maxPerAxis: 400);
        float[] gridPoints = grid.Points();

        var panels = new List<DecisionPanel>();
        foreach (ContinualMethod m in new[] { method, ContinualMethod.FineTuning })
        {
            ContinualSettings settings = ContinualCommand.Settings(ContinualSettings.Toy, options with { Method = m });
            Console.WriteLine(settings.ToString());
            var learner = new ContinualLearner<FrompToyMlp, float>(sequence, settings);
            var seen = new List<float>();
            var labels = new List<int>();
            for (int t = 0; t < sequence.Count; t++)
            {
                learner.TrainTask();
                ContinualTask task = sequence[t];
                seen.AddRange(task.Train.Inputs.ToArray());
                for (int i = 0; i < task.Train.Count; i++) labels.Add(task.Train.Label(i));
                panels.Add(new DecisionPanel($"{settings.MethodName}, after task {t + 1}", grid, ClassOneProbability(learner.Parameters, gridPoints, grid.Count), seen.ToArray(), labels.ToArray())
                {
                    Highlighted = MemoryPoints(learner),
                    MarkerSize = 2,
                });
            }
            ContinualCommand.PrintMatrix(learner.Accuracies, $"toy, {settings.MethodName} (training-point accuracy)");
            Console.WriteLine(FormattableString.Invariant($"toy {settings.MethodName}: average accuracy {100 * learner.Accuracies.FinalAverage:F2} % (seed {settings.Seed})"));
            learner.Accuracies.WriteCsv(Path.Combine(output, $"accuracy-{ContinualCommand.MethodKey(m)}.csv"));
        }
        string path = Figures.DecisionBoundaries(Path.Combine(output, $"decision-boundaries-{ContinualCommand.MethodKey(method)}-vs-finetune.png"), panels,
            width: 1750, height: 700, title: "FROMP toy: decision boundary after each task (top: memory-regularised, bottom: Adam fine-tuning); ringed: memorable points", columns: sequence.Count);
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static double[] ClassOneProbability(ReadOnlySpan<float> parameters, float[] points, int count)
    {
        var outputs = new float[count * FrompToyMlp.OutputSize];
        FrompToyMlp.Forward(parameters, points, outputs, count);
        var p = new double[count];
        for (int i = 0; i < count; i++)
        {
            double a = outputs[2 * i], b = outputs[2 * i + 1];
            p[i] = 1 / (1 + Math.Exp(a - b));
        }
        return p;
    }

    private static float[]? MemoryPoints(ContinualLearner<FrompToyMlp, float> learner)
    {
        if (learner.Memories.Count == 0) return null;
        var points = new List<float>();
        foreach (TaskMemory<float> memory in learner.Memories) points.AddRange(memory.Inputs.ToArray());
        return points.ToArray();
    }
}
