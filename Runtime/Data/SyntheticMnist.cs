using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A stand-in for MNIST when the real files are absent, shaped exactly like <see cref="Mnist.Load"/>'s result:
/// 784 inputs in [0, 1] per example (a 28×28 image, row-major), the class 0–9 as the one target, 10 classes.
/// </summary>
/// <remarks>
/// Each class is a fixed "glyph" of three smooth strokes (quadratic Bézier curves), drawn from a small pool of
/// strokes so that classes share parts. Every example redraws its class's glyph with its control points jittered,
/// a random rotation, scale, shear and shift, a random pen width and ink, sometimes one stroke left out and
/// sometimes a stray stroke added, plus speckle noise on a few pixels. The glyphs are the same for every seed, so a training set and a
/// test set made with different seeds come from the same distribution; the seed only chooses the examples.
/// Generation is deterministic for a seed (independent of thread count) and parallel.
/// </remarks>
public static class SyntheticMnist
{
    private const int Side = 28;
    private const int StrokesPerClass = 3;
    private const int PoolSize = 14;
    private const ulong GlyphSeed = 0x5EED_D1A6_0000_2019UL;

    /// <summary>Control points [class, stroke, point (3), xy (2)] in pixel coordinates, fixed for all seeds.</summary>
    private static readonly float[] Glyphs = MakeGlyphs();

    /// <summary>Creates <paramref name="count"/> examples; the same seed gives the same data.</summary>
    public static Dataset Create(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var inputs = new float[(long)count * Mnist.InputSize];
        var targets = new float[count];
        const int chunk = 512;
        int chunks = (count + chunk - 1) / chunk;
        Parallel.For(0, chunks, c =>
        {
            int end = Math.Min(count, (c + 1) * chunk);
            for (int i = c * chunk; i < end; i++)
                targets[i] = Draw(seed, i, inputs.AsSpan(i * Mnist.InputSize, Mnist.InputSize));
        });
        return new Dataset($"synthetic-mnist(seed {seed})", inputs, Mnist.InputSize, targets, 1, Mnist.Classes);
    }

    /// <summary>Draws example <paramref name="index"/> into <paramref name="image"/> (zeroed) and returns its class.</summary>
    private static int Draw(int seed, int index, Span<float> image)
    {
        var rng = new SplitMix(((ulong)(uint)seed << 32 | (uint)index) ^ 0x9E37_79B9_7F4A_7C15UL);
        int label = rng.NextInt(Mnist.Classes);

        // Random affine map about the centre: rotation, anisotropic scale, shear, shift.
        double angle = rng.Uniform(-0.3, 0.3), shear = rng.Uniform(-0.25, 0.25);
        double sx = rng.Uniform(0.8, 1.15), sy = rng.Uniform(0.8, 1.15);
        double tx = rng.Uniform(-2.5, 2.5), ty = rng.Uniform(-2.5, 2.5);
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double a = cos * sx, b = (cos * shear - sin) * sy, c = sin * sx, d = (sin * shear + cos) * sy;

        double width = rng.Uniform(0.65, 1.05);
        double ink = rng.Uniform(0.75, 1.0);
        int skipped = rng.NextDouble() < 0.15 ? rng.NextInt(StrokesPerClass) : -1;

        Span<double> p = stackalloc double[6];
        for (int s = 0; s < StrokesPerClass; s++)
        {
            bool skip = s == skipped;
            int at = (label * StrokesPerClass + s) * 6;
            for (int k = 0; k < 3; k++)
            {
                double x = Glyphs[at + 2 * k] + rng.Normal() * 1.3 - 13.5;
                double y = Glyphs[at + 2 * k + 1] + rng.Normal() * 1.3 - 13.5;
                p[2 * k] = a * x + b * y + 13.5 + tx;
                p[2 * k + 1] = c * x + d * y + 13.5 + ty;
            }
            if (!skip)
                Stroke(image, p, width, ink);
        }
        if (rng.NextDouble() < 0.2)
        {
            for (int k = 0; k < 6; k++)
                p[k] = rng.Uniform(4, 24);
            Stroke(image, p, rng.Uniform(0.55, 0.9), rng.Uniform(0.3, 0.8));
        }

        // Speckle noise on 10–40 random pixels, then clamp the ink to [0, 1].
        int specks = 10 + rng.NextInt(31);
        for (int k = 0; k < specks; k++)
            image[rng.NextInt(image.Length)] += (float)rng.Uniform(0.05, 0.6);
        TensorPrimitives.Min(image, 1f, image);
        return label;
    }

    /// <summary>
    /// Adds a quadratic Bézier stroke with control points p (x0 y0 x1 y1 x2 y2), drawn as a chain of Gaussian dabs
    /// of standard deviation <paramref name="width"/> (5×5 pixels each). Values may exceed 1; the caller clamps.
    /// </summary>
    private static void Stroke(Span<float> image, ReadOnlySpan<double> p, double width, double ink)
    {
        double length = Math.Sqrt(Sq(p[2] - p[0]) + Sq(p[3] - p[1])) + Math.Sqrt(Sq(p[4] - p[2]) + Sq(p[5] - p[3]));
        int steps = Math.Max(4, (int)Math.Ceiling(length));
        // Each dab carries the ink of its stretch of curve, so the stroke's cross-section peaks near 1.4·ink.
        double dab = 1.4 * ink * (length / steps) / (Math.Sqrt(2 * Math.PI) * width);
        double a = 1 / (2 * width * width);
        // exp(−(k−f)²a) = exp(−k²a) · exp(2fa)ᵏ · exp(−f²a): two exponentials per axis and dab.
        double e1 = Math.Exp(-a), e2 = Math.Exp(-4 * a);
        Span<float> wx = stackalloc float[5];
        Span<float> wy = stackalloc float[5];
        for (int k = 0; k <= steps; k++)
        {
            double t = (double)k / steps, u = 1 - t;
            double x = u * u * p[0] + 2 * u * t * p[2] + t * t * p[4];
            double y = u * u * p[1] + 2 * u * t * p[3] + t * t * p[5];
            int cx = (int)Math.Round(x), cy = (int)Math.Round(y);
            if (cx < -2 || cx >= Side + 2 || cy < -2 || cy >= Side + 2)
                continue;
            Weights(wx, cx - x, a, e1, e2, 1);
            Weights(wy, cy - y, a, e1, e2, dab);
            for (int oy = 0; oy < 5; oy++)
            {
                int row = cy + oy - 2;
                if ((uint)row >= Side)
                    continue;
                float wRow = wy[oy];
                for (int ox = 0; ox < 5; ox++)
                {
                    int col = cx + ox - 2;
                    if ((uint)col < Side)
                        image[row * Side + col] += wRow * wx[ox];
                }
            }
        }
    }

    /// <summary>w[j] = scale · exp(−(j − 2 + f)² a) for j = 0..4, where f = (pixel centre − dab centre) ∈ [−½, ½].</summary>
    private static void Weights(Span<float> w, double f, double a, double e1, double e2, double scale)
    {
        double centre = scale * Math.Exp(-f * f * a), r = Math.Exp(-2 * f * a);
        w[2] = (float)centre;
        w[3] = (float)(centre * e1 * r);
        w[1] = (float)(centre * e1 / r);
        w[4] = (float)(centre * e2 * r * r);
        w[0] = (float)(centre * e2 / (r * r));
    }

    private static double Sq(double v) => v * v;

    private static float[] MakeGlyphs()
    {
        var rng = new SplitMix(GlyphSeed);
        var pool = new float[PoolSize * 6];
        for (int s = 0; s < PoolSize; s++)
        {
            // A stroke 8–16 px long somewhere in the central 20×20 box, bent by a random middle control point.
            double x0, y0, x2, y2, len;
            do
            {
                x0 = rng.Uniform(5, 22); y0 = rng.Uniform(5, 22);
                x2 = rng.Uniform(5, 22); y2 = rng.Uniform(5, 22);
                len = Math.Sqrt(Sq(x2 - x0) + Sq(y2 - y0));
            } while (len < 8 || len > 16);
            double mx = (x0 + x2) / 2 + rng.Uniform(-5, 5), my = (y0 + y2) / 2 + rng.Uniform(-5, 5);
            ReadOnlySpan<double> q = [x0, y0, Math.Clamp(mx, 4, 23), Math.Clamp(my, 4, 23), x2, y2];
            for (int k = 0; k < 6; k++)
                pool[s * 6 + k] = (float)q[k];
        }

        // Each class takes three distinct strokes of the pool; no two classes take the same three.
        var glyphs = new float[Mnist.Classes * StrokesPerClass * 6];
        Span<int> chosen = stackalloc int[Mnist.Classes * StrokesPerClass];
        for (int cls = 0; cls < Mnist.Classes; cls++)
        {
            Span<int> mine = chosen.Slice(cls * StrokesPerClass, StrokesPerClass);
            bool ok;
            do
            {
                for (int s = 0; s < StrokesPerClass; s++)
                {
                    int pick;
                    do pick = rng.NextInt(PoolSize); while (mine[..s].Contains(pick));
                    mine[s] = pick;
                }
                mine.Sort();
                ok = true;
                for (int other = 0; other < cls && ok; other++)
                    ok = !chosen.Slice(other * StrokesPerClass, StrokesPerClass).SequenceEqual(mine);
            } while (!ok);
            for (int s = 0; s < StrokesPerClass; s++)
                pool.AsSpan(mine[s] * 6, 6).CopyTo(glyphs.AsSpan((cls * StrokesPerClass + s) * 6));
        }
        return glyphs;
    }

    /// <summary>SplitMix64: tiny, fast, and the same on every platform and .NET version.</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            ulong z = _state += 0x9E37_79B9_7F4A_7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        public int NextInt(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);

        public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

        /// <summary>A standard normal by Box–Muller (one of the pair).</summary>
        public double Normal()
        {
            double u1 = 1.0 - NextDouble(), u2 = NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
