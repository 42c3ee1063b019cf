using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = tanh(x); f'(x) = 1 − y².</summary>
/// <remarks>The vector members compute tanh|x| = −m / (m + 2) with m = expm1(−2|x|) and restore the sign; expm1
/// keeps full relative accuracy near 0, where 1 − e^(−2|x|) would cancel.</remarks>
public readonly struct Tanh : IVectorOp<Tanh>
{
    public static bool Vectorizable => true;

    public static float Value(float x) => MathF.Tanh(x);

    public static float Derivative(float x, float y) => 1f - y * y;

    public static double Value(double x) => Math.Tanh(x);

    public static double Derivative(double x, double y) => 1d - y * y;

    public static Vector128<float> Value(Vector128<float> x)
    {
        Vector128<float> m = ErfMath.Expm1(Vector128.Create(-2f) * Vector128.Abs(x));
        return Vector128.CopySign(-m / (m + Vector128.Create(2f)), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) => Vector128<float>.One - y * y;

    public static Vector256<float> Value(Vector256<float> x)
    {
        Vector256<float> m = ErfMath.Expm1(Vector256.Create(-2f) * Vector256.Abs(x));
        return Vector256.CopySign(-m / (m + Vector256.Create(2f)), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256<float>.One - y * y;

    public static Vector512<float> Value(Vector512<float> x)
    {
        Vector512<float> m = ErfMath.Expm1(Vector512.Create(-2f) * Vector512.Abs(x));
        return Vector512.CopySign(-m / (m + Vector512.Create(2f)), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512<float>.One - y * y;
}
