using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = 1 / (1 + e^(−x)); f'(x) = y(1 − y).</summary>
/// <remarks>Evaluated from e = e^(−|x|) ≤ 1, so nothing overflows: 1/(1 + e) for x ≥ 0 and e/(1 + e) for x &lt; 0,
/// which keeps relative accuracy in the lower tail.</remarks>
public readonly struct Sigmoid : IVectorOp<Sigmoid>
{
    public static bool Vectorizable => true;

    public static float Value(float x)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float r = 1f / (1f + e);
        return x >= 0f ? r : e * r;
    }

    public static float Derivative(float x, float y) => y * (1f - y);

    public static double Value(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double r = 1d / (1d + e);
        return x >= 0d ? r : e * r;
    }

    public static double Derivative(double x, double y) => y * (1d - y);

    public static Vector128<float> Value(Vector128<float> x)
    {
        Vector128<float> e = Vector128.Exp(-Vector128.Abs(x));
        Vector128<float> r = Vector128<float>.One / (Vector128<float>.One + e);
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), r, e * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) => y * (Vector128<float>.One - y);

    public static Vector256<float> Value(Vector256<float> x)
    {
        Vector256<float> e = Vector256.Exp(-Vector256.Abs(x));
        Vector256<float> r = Vector256<float>.One / (Vector256<float>.One + e);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), r, e * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => y * (Vector256<float>.One - y);

    public static Vector512<float> Value(Vector512<float> x)
    {
        Vector512<float> e = Vector512.Exp(-Vector512.Abs(x));
        Vector512<float> r = Vector512<float>.One / (Vector512<float>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), r, e * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => y * (Vector512<float>.One - y);
}
