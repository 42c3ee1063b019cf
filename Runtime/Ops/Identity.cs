using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = x; f'(x) = 1.</summary>
public readonly struct Identity : IVectorOp<Identity>
{
    public static bool Vectorizable => true;

    public static float Value(float x) => x;

    public static float Derivative(float x, float y) => 1f;

    public static double Value(double x) => x;

    public static double Derivative(double x, double y) => 1d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Value(Vector128<float> x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) => Vector128<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Vector256<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> x) => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Vector512<float>.One;
}
