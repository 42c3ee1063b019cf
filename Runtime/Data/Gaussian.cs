using System;

namespace Dnn2Gp.Runtime.Data;

/// <summary>Standard normal draws from a <see cref="Random"/>, for the seeded data generators.</summary>
internal static class Gaussian
{
    /// <summary>One N(0, 1) draw by Box–Muller (two uniforms per draw, the second value of the pair discarded, so a draw never depends on an earlier one's leftover).</summary>
    public static double Next(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: log stays finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
