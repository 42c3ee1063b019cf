using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Dropout in training passes (PyTorch's <c>nn.Dropout(p)</c> in train mode): each unit is kept with probability 1 − p
/// and scaled by 1 / (1 − p), or zeroed. In evaluation mode dropout is the identity, and every curvature quantity and
/// every prediction is computed in evaluation mode, as the reference code does.
/// </summary>
/// <remarks>
/// The masks are reproducible: whether unit i of example row r is kept in dropout layer l of a pass seeded with s is a
/// pure function of (s, l, r, i) (<see cref="Keep"/>, a SplitMix64 hash), so it does not depend on how the batch is
/// split across cores, and a test can rebuild the mask.
/// </remarks>
public static class Dropout
{
    /// <summary>Whether unit <paramref name="unit"/> of row <paramref name="row"/> is kept in dropout layer <paramref name="layer"/> of a pass seeded with <paramref name="seed"/>.</summary>
    public static bool Keep(ulong seed, int layer, long row, int unit, double rate)
    {
        ulong h = Mix(seed ^ Mix((ulong)(uint)layer + 0x632BE59BD9B4E019UL));
        h = Mix(h ^ (ulong)row);
        h = Mix(h ^ (ulong)(uint)unit);
        double uniform = (h >> 11) * (1.0 / (1UL << 53));
        return uniform >= rate;
    }

    /// <summary>
    /// Writes the masks of rows <paramref name="start"/> … start+n−1 [n, width]: 1/(1−p) where the unit is kept, 0 where
    /// it is dropped.
    /// </summary>
    public static void FillMask<T>(Span<T> mask, int start, int n, int width, double rate, ulong seed, int layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The drop probability must be in [0, 1).");
        if (mask.Length < (long)n * width) throw new ArgumentException($"'mask' has {mask.Length:N0} elements, but [{n}, {width}] needs {(long)n * width:N0}.", nameof(mask));
        T scale = T.CreateTruncating(1.0 / (1.0 - rate));
        for (int e = 0; e < n; e++)
        {
            Span<T> row = mask.Slice(e * width, width);
            for (int i = 0; i < width; i++) row[i] = Keep(seed, layer, start + e, i, rate) ? scale : T.Zero;
        }
    }

    /// <summary>y = x ⊙ mask (the forward pass, and in place d ← d ⊙ mask the backward pass).</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mask, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (mask.Length != x.Length || y.Length != x.Length)
            throw new ArgumentException($"x, mask and y must have the same length, but they have {x.Length:N0}, {mask.Length:N0} and {y.Length:N0}.", nameof(mask));
        System.Numerics.Tensors.TensorPrimitives.Multiply(x, mask, y);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
