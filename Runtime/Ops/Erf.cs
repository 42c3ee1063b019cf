using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>f(x) = erf(x); f'(x) = (2/√π)·e^(−x²).</summary>
/// <remarks>See <see cref="ErfMath"/> for how erf is computed (.NET has none).</remarks>
public readonly struct Erf : IVectorOp<Erf>
{
    private const float TwoOverSqrtPiF = 1.12837917f;
    private const double TwoOverSqrtPi = 1.1283791670955126;

    public static bool Vectorizable => true;

    public static float Value(float x) => ErfMath.Erf(x);

    public static float Derivative(float x, float y) => TwoOverSqrtPiF * ErfMath.ExpMinusSquare(x);

    public static double Value(double x) => ErfMath.Erf(x);

    public static double Derivative(double x, double y) => TwoOverSqrtPi * ErfMath.ExpMinusSquare(x);

    public static Vector128<float> Value(Vector128<float> x) => ErfMath.Erf(x);

    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) =>
        Vector128.Create(TwoOverSqrtPiF) * ErfMath.ExpMinusSquare(x);

    public static Vector256<float> Value(Vector256<float> x) => ErfMath.Erf(x);

    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) =>
        Vector256.Create(TwoOverSqrtPiF) * ErfMath.ExpMinusSquare(x);

    public static Vector512<float> Value(Vector512<float> x) => ErfMath.Erf(x);

    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) =>
        Vector512.Create(TwoOverSqrtPiF) * ErfMath.ExpMinusSquare(x);
}
