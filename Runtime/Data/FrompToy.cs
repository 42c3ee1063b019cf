using System;
using System.Collections.Generic;

namespace Dnn2Gp.Runtime.Data;

/// <summary>One axis-aligned Gaussian blob of <see cref="FrompToy"/>: centre and per-axis standard deviations.</summary>
public readonly record struct Blob(double X, double Y, double StdX, double StdY);

/// <summary>
/// FROMP's 2-D toy continual-learning data (<c>ToydataGenerator</c>, option 0): five binary tasks, task i made of
/// Gaussian blob i of class 0 and blob i of class 1, each with about 2000 points (sklearn <c>make_blobs</c> with
/// 10 centres and per-axis standard deviations).
/// </summary>
/// <remarks>
/// The points are drawn with .NET's <see cref="Random"/> seeded by the caller (the same seed gives the same data; the
/// values differ from sklearn's), each point = centre + std ⊙ N(0, I). Each task's points are shuffled, so both
/// classes are mixed throughout. Inputs are [n, 2] floats; the target is the class 0 or 1 (<see cref="Dataset.Classes"/> = 2).
/// </remarks>
public static class FrompToy
{
    /// <summary>The number of tasks.</summary>
    public const int TaskCount = 5;

    /// <summary>Points per blob in FROMP's script (20000 samples over 10 centres).</summary>
    public const int DefaultPointsPerBlob = 2000;

    /// <summary>The seed of FROMP's toy script.</summary>
    public const int DefaultSeed = 123;

    /// <summary>The class-0 blobs of tasks 1…5.</summary>
    public static IReadOnlyList<Blob> Class0Blobs { get; } =
    [
        new(0.0, 0.2, 0.08, 0.22),
        new(0.6, 0.9, 0.24, 0.08),
        new(1.3, 0.4, 0.04, 0.2),
        new(1.6, -0.1, 0.16, 0.05),
        new(2.0, 0.3, 0.05, 0.16),
    ];

    /// <summary>The class-1 blobs of tasks 1…5.</summary>
    public static IReadOnlyList<Blob> Class1Blobs { get; } =
    [
        new(0.45, 0.0, 0.08, 0.16),
        new(0.7, 0.45, 0.16, 0.08),
        new(1.0, 0.1, 0.06, 0.16),
        new(1.7, -0.4, 0.24, 0.05),
        new(2.3, 0.1, 0.05, 0.22),
    ];

    /// <summary>
    /// The five task data sets, each of 2·<paramref name="pointsPerBlob"/> points; task i (0-based) holds blob i of
    /// each class. The tasks are drawn one after another from one stream seeded by <paramref name="seed"/>.
    /// </summary>
    public static Dataset[] Generate(int seed = DefaultSeed, int pointsPerBlob = DefaultPointsPerBlob)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pointsPerBlob);
        var random = new Random(seed);
        var tasks = new Dataset[TaskCount];
        for (int t = 0; t < TaskCount; t++)
        {
            int n = 2 * pointsPerBlob;
            var inputs = new float[2 * n];
            var targets = new float[n];
            for (int k = 0; k < n; k++)
            {
                int label = k < pointsPerBlob ? 0 : 1;
                Blob blob = label == 0 ? Class0Blobs[t] : Class1Blobs[t];
                inputs[2 * k] = (float)(blob.X + blob.StdX * Gaussian.Next(random));
                inputs[2 * k + 1] = (float)(blob.Y + blob.StdY * Gaussian.Next(random));
                targets[k] = label;
            }
            for (int k = n - 1; k > 0; k--)
            {
                int j = random.Next(k + 1);
                (targets[k], targets[j]) = (targets[j], targets[k]);
                (inputs[2 * k], inputs[2 * j]) = (inputs[2 * j], inputs[2 * k]);
                (inputs[2 * k + 1], inputs[2 * j + 1]) = (inputs[2 * j + 1], inputs[2 * k + 1]);
            }
            tasks[t] = new Dataset($"fromp-toy-task{t + 1}", inputs, 2, targets, targetSize: 1, classes: 2);
        }
        return tasks;
    }
}
