using System;
using System.Globalization;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Ops;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Ops;

/// <summary>Inputs and tolerance checks shared by the op and driver tests.</summary>
internal static class OpTestSupport
{
    /// <summary>The special points every input array contains: 0, ±1e-4 (near the origin), ±20 (saturation).</summary>
    public static readonly float[] SpecialPoints = [0f, 1e-4f, -1e-4f, 20f, -20f];

    /// <summary>
    /// <paramref name="length"/> values uniform in [−8, 8] from a fixed seed, with the special points planted at every
    /// index ≡ 3 (mod 7), so every length past 3 sees some of them, at varying positions relative to vector lanes.
    /// </summary>
    public static float[] Inputs(int length, int seed)
    {
        var random = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = i % 7 == 3 ? SpecialPoints[i / 7 % SpecialPoints.Length] : (float)(random.NextDouble() * 16.0 - 8.0);
        }

        return x;
    }

    /// <summary>Values uniform in [−1, 1] (upstream gradients).</summary>
    public static float[] Uniform(int length, int seed)
    {
        var random = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)(random.NextDouble() * 2.0 - 1.0);
        }

        return x;
    }

    /// <summary>
    /// Fails unless |actual − expected| ≤ tolerance · max(|expected|, scale): relative for results larger than
    /// <paramref name="scale"/>, absolute below it. The message names the op, what was checked, the length, the index,
    /// the input, expected and actual.
    /// </summary>
    public static void AssertClose(string op, string what, int length, int index, double x, double expected, double actual,
        double tolerance, double scale)
    {
        double bound = tolerance * Math.Max(Math.Abs(expected), scale);
        bool equal = expected.Equals(actual); // NaN == NaN and ±∞ == ±∞ count as agreement
        if (!equal && !(Math.Abs(actual - expected) <= bound))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{op}.{what}: length {length}, index {index}, x = {x:R}: expected {expected:R}, actual {actual:R} (|diff| {Math.Abs(actual - expected):E3} > bound {bound:E3})."));
        }
    }
}

/// <summary>x², an op whose vector members must never be called (<see cref="Vectorizable"/> is false).</summary>
internal readonly struct ScalarOnlySquare : IVectorOp<ScalarOnlySquare>
{
    public static bool Vectorizable => false;

    public static float Value(float x) => x * x;

    public static float Derivative(float x, float y) => 2f * x;

    public static double Value(double x) => x * x;

    public static double Derivative(double x, double y) => 2d * x;

    public static Vector128<float> Value(Vector128<float> x) => throw new NotSupportedException();

    public static Vector256<float> Value(Vector256<float> x) => throw new NotSupportedException();

    public static Vector512<float> Value(Vector512<float> x) => throw new NotSupportedException();

    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) => throw new NotSupportedException();

    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => throw new NotSupportedException();

    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => throw new NotSupportedException();
}
