using System;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)); f'(x) = sigmoid(x).</summary>
/// <remarks>The stable form never overflows and keeps relative accuracy for very negative x, where
/// f(x) ≈ eˣ. The derivative is recomputed from x (not from y, which cannot recover a tiny sigmoid).</remarks>
public readonly struct Softplus : IVectorOp<Softplus>
{
    public static bool Vectorizable => true;

    public static float Value(float x) => (x > 0f ? x : 0f) + ErfMath.Log1p(MathF.Exp(-MathF.Abs(x)));

    public static float Derivative(float x, float y) => Sigmoid.Value(x);

    public static double Value(double x) => (x > 0d ? x : 0d) + ErfMath.Log1p(Math.Exp(-Math.Abs(x)));

    public static double Derivative(double x, double y) => Sigmoid.Value(x);

    public static Vector128<float> Value(Vector128<float> x)
    {
        Vector128<float> positivePart = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128<float>.Zero);
        return positivePart + ErfMath.Log1p(Vector128.Exp(-Vector128.Abs(x)));
    }

    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) => Sigmoid.Value(x);

    public static Vector256<float> Value(Vector256<float> x)
    {
        Vector256<float> positivePart = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256<float>.Zero);
        return positivePart + ErfMath.Log1p(Vector256.Exp(-Vector256.Abs(x)));
    }

    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) => Sigmoid.Value(x);

    public static Vector512<float> Value(Vector512<float> x)
    {
        Vector512<float> positivePart = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512<float>.Zero);
        return positivePart + ErfMath.Log1p(Vector512.Exp(-Vector512.Abs(x)));
    }

    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) => Sigmoid.Value(x);
}
