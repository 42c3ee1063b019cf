using System;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>Test matrices shared by the linear-algebra benchmarks.</summary>
internal static class LinearAlgebraWorkload
{
    /// <summary>
    /// Runs <paramref name="body"/> until <paramref name="seconds"/> have passed (at least once), so that the JIT has
    /// promoted the small helpers a linear-algebra call makes thousands of calls to before anything is timed. With
    /// TieredPGO (on in this project) the instrumented tier lasts well over a second: eig-81 measured 13 ms per call
    /// after a 1 s warm-up and 1.2 ms after 3 s (1.6 ms with TieredPGO off).
    /// </summary>
    public static void WarmUp(Action body, double seconds = 3.0)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            body();
        }
        while (clock.Elapsed.TotalSeconds < seconds);
    }

    /// <summary>A random SPD matrix M·Mᵀ/n + I (M uniform in [−1, 1)), built with the symmetric rank-k update.</summary>
    public static double[] RandomSpd(int n, int seed)
    {
        var rng = new Random(seed);
        var m = new double[n * n];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = (2 * rng.NextDouble()) - 1;
        }
        var a = new double[n * n];
        SymmetricRankK.Update(false, n, n, 1.0 / n, m, n, 0.0, a, n);
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] += 1;
        }
        return a;
    }
}
