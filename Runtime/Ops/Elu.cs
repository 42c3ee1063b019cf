using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = x for x &gt; 0, eˣ − 1 otherwise (α = 1, PyTorch's default); f'(x) = 1 for x &gt; 0, y + 1 otherwise.</summary>
/// <remarks>The negative branch uses expm1, so f keeps full relative accuracy near 0⁻.</remarks>
public readonly struct Elu : IVectorOp<Elu>
{
    public static bool Vectorizable => true;

    public static float Value(float x) => x > 0f ? x : ErfMath.Expm1(x);

    public static float Derivative(float x, float y) => x > 0f ? 1f : y + 1f;

    public static double Value(double x) => x > 0d ? x : ErfMath.Expm1(x);

    public static double Derivative(double x, double y) => x > 0d ? 1d : y + 1d;

    public static Vector128<float> Value(Vector128<float> x)
    {
        // expm1 of min(x, 0): the positive lanes are discarded, and this keeps exp from overflowing on them.
        Vector128<float> positive = Vector128.GreaterThan(x, Vector128<float>.Zero);
        Vector128<float> negativePart = ErfMath.Expm1(Vector128.ConditionalSelect(positive, Vector128<float>.Zero, x));
        return Vector128.ConditionalSelect(positive, x, negativePart);
    }

    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One, y + Vector128<float>.One);

    public static Vector256<float> Value(Vector256<float> x)
    {
        // expm1 of min(x, 0): the positive lanes are discarded, and this keeps exp from overflowing on them.
        Vector256<float> positive = Vector256.GreaterThan(x, Vector256<float>.Zero);
        Vector256<float> negativePart = ErfMath.Expm1(Vector256.ConditionalSelect(positive, Vector256<float>.Zero, x));
        return Vector256.ConditionalSelect(positive, x, negativePart);
    }

    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, y + Vector256<float>.One);

    public static Vector512<float> Value(Vector512<float> x)
    {
        // expm1 of min(x, 0): the positive lanes are discarded, and this keeps exp from overflowing on them.
        Vector512<float> positive = Vector512.GreaterThan(x, Vector512<float>.Zero);
        Vector512<float> negativePart = ErfMath.Expm1(Vector512.ConditionalSelect(positive, Vector512<float>.Zero, x));
        return Vector512.ConditionalSelect(positive, x, negativePart);
    }

    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, y + Vector512<float>.One);
}
