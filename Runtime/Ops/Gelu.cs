using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>
/// The exact GELU, PyTorch's default: f(x) = x·Φ(x) = ½x(1 + erf(x/√2)); f'(x) = Φ(x) + x·φ(x).
/// </summary>
/// <remarks>Φ comes from <see cref="ErfMath.NormalCdf(float)"/>, which evaluates the lower tail through erfc, so
/// f keeps relative accuracy for negative x instead of cancelling in 1 + erf.</remarks>
public readonly struct Gelu : IVectorOp<Gelu>
{
    public static bool Vectorizable => true;

    public static float Value(float x) => x * ErfMath.NormalCdf(x);

    public static float Derivative(float x, float y) => ErfMath.NormalCdf(x) + x * ErfMath.NormalPdf(x);

    public static double Value(double x) => x * ErfMath.NormalCdf(x);

    public static double Derivative(double x, double y) => ErfMath.NormalCdf(x) + x * ErfMath.NormalPdf(x);

    public static Vector128<float> Value(Vector128<float> x) => x * ErfMath.NormalCdf(x);

    public static Vector128<float> Derivative(Vector128<float> x, Vector128<float> y) =>
        ErfMath.NormalCdf(x) + x * ErfMath.NormalPdf(x);

    public static Vector256<float> Value(Vector256<float> x) => x * ErfMath.NormalCdf(x);

    public static Vector256<float> Derivative(Vector256<float> x, Vector256<float> y) =>
        ErfMath.NormalCdf(x) + x * ErfMath.NormalPdf(x);

    public static Vector512<float> Value(Vector512<float> x) => x * ErfMath.NormalCdf(x);

    public static Vector512<float> Derivative(Vector512<float> x, Vector512<float> y) =>
        ErfMath.NormalCdf(x) + x * ErfMath.NormalPdf(x);
}
