using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = max(x, 0); f'(x) = 1 for x &gt; 0, else 0 (PyTorch's choice at the kink).</summary>
/// <remarks>Written as <c>x &lt; 0 ? 0 : x</c> rather than Max so that NaN propagates, as in PyTorch, and
/// the scalar and vector members agree on every input, −0 included.</remarks>
public readonly struct Relu : IVectorOp<Relu>
{
    public static bool Vectorizable => true;

    public static float Value(float x) => x < 0f ? 0f : x;

    public static float Derivative(float x, float y) => x > 0f ? 1f : 0f;

    public static double Value(double x) => x < 0d ? 0d : x;

    public static double Derivative(double x, double y) => x > 0d ? 1d : 0d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Value(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) =>
        Vector128.GreaterThan(x, Vector128<float>.Zero) & Vector128<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) =>
        Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) =>
        Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512<float>.One;
}
