using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>
/// Special functions that <see cref="Math"/> and <see cref="MathF"/> lack — erf, erfc, the normal CDF Φ and
/// density φ, expm1 and log1p — in double, float, and float vectors (for the CPU drivers).
/// </summary>
/// <remarks>
/// <para>
/// .NET has no erf, so it is written here from the maths. Every scalar member uses only <see cref="MathF"/>/<see cref="Math"/>
/// functions ILGPU maps to device intrinsics (Abs, Exp, Log, Floor) plus arithmetic and comparisons: no exceptions,
/// no arrays, no classes, so GPU kernels can call them. The float vector members mirror the float scalar code line
/// for line; only the Exp/Log implementations differ.
/// </para>
/// <para>
/// Method (the same in both precisions, with fewer terms in float):
/// <list type="bullet">
/// <item>|z| &lt; ½: erf(z) = z + z·(P(z²) − 1), the Maclaurin series 2/√π Σ (−1)ⁿ z²ⁿ⁺¹ / (n! (2n+1)), truncated after
/// n = 12 (double) or n = 11 (float, whose erf uses it up to |z| &lt; 1).</item>
/// <item>z ≥ ½: erfc(z) = erfcx(z)·e^(−z²), where erfcx(z) = t·Q(s), t = 3/(3+z) and s is t mapped affinely onto
/// [−1, 1] over z ∈ [½, 30] (double; t ∈ [1/11, 6/7], s = (154t − 73)/59) or z ∈ [½, 12] (float; t ∈ [1/5, 6/7],
/// s = (70t − 37)/23). Q is the Chebyshev interpolant of erfcx(z)/t, truncated at degree 21 (double; next
/// coefficient 4.5e-19) or 9 (float; next 6.8e-10) and expanded into monomials, which is well conditioned here
/// (Σ|qₖ| ≈ 0.72), so Horner's rule loses nothing. Coefficients were computed with mpmath at 50 digits: Chebyshev
/// coefficients at 100 Chebyshev–Gauss nodes of erfc(z)·e^(z²)/t, then converted to the monomial basis exactly.
/// Beyond the upper end of the interval erfc underflows, so z is clamped there.</item>
/// <item>e^(−z²) is evaluated as e^(−h²)·e^(−(z−h)(z+h)) with h = z rounded down to a multiple of 2⁻²⁰ (double) or
/// 2⁻⁶ (float), so that h² is exact; otherwise the rounding error of z² (up to ulp(z²)/2 in the exponent) would
/// cost up to 2e-6 relative accuracy in the float tail. Φ(x) uses the same split on x itself, e^(−x²/2), so the
/// rounding of x/√2 never reaches the exponent.</item>
/// </list>
/// Checked against mpmath on 11 000 random points with |x| ≤ 40: double erf absolute error ≤ 2.3e-16, erfc and Φ
/// relative error ≤ 8.1e-16 wherever the result is a normal number. Float erf is within 1e-7 of the double one;
/// float erfc and Φ keep a few ulps of relative accuracy.
/// </para>
/// <para>
/// expm1 and log1p use Kahan's compensations (u = eˣ, expm1 = (u−1)·x / log u; u = 1+x, log1p = log u · x / (u−1)),
/// accurate to a few ulps given a faithful exp and log.
/// </para>
/// </remarks>
internal static class ErfMath
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const float InvSqrt2F = 0.707106781f;
    private const float InvSqrt2PiF = 0.398942280f;

    // Clamps: past these arguments the results have underflowed (erfc(30) < 1e-392, erfc(12) < 1e-63), and the
    // tail polynomial is only fitted up to them. Written as "a > c ? c : a" so that NaN passes through.
    private const double ErfcClampD = 30.0;
    private const double CdfClampD = 42.0;   // Φ(−42) = ½ erfc(29.7)
    private const float ErfcClampF = 12f;
    private const float CdfClampF = 16.5f;   // Φ(−16.5) = ½ erfc(11.67)

    private const double SplitD = 1048576.0; // 2^20: h = floor(a·2^20)/2^20 has ≤ 26 significant bits for a ≤ 42
    private const float SplitF = 64f;        // 2^6: h has ≤ 11 significant bits for a ≤ 16.5

    // ---------------------------------------------------------------- double

    /// <summary>erf(x), absolute error ≤ 2.3e-16.</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a < 0.5)
        {
            return ErfSmall(x);
        }

        if (a > ErfcClampD)
        {
            a = ErfcClampD;
        }

        double r = 1.0 - ErfcxTail(a) * ExpMinusScaledSquare(a, 1.0);
        return x < 0.0 ? -r : r;
    }

    /// <summary>erfc(x) = 1 − erf(x), relative error ≤ 8.1e-16 (down to the subnormal range).</summary>
    public static double Erfc(double x)
    {
        double a = Math.Abs(x);
        if (a < 0.5)
        {
            return 1.0 - ErfSmall(x);
        }

        if (a > ErfcClampD)
        {
            a = ErfcClampD;
        }

        double r = ErfcxTail(a) * ExpMinusScaledSquare(a, 1.0);
        return x < 0.0 ? 2.0 - r : r;
    }

    /// <summary>Φ(x) = ½(1 + erf(x/√2)), with relative accuracy in the lower tail.</summary>
    public static double NormalCdf(double x)
    {
        double z = x * InvSqrt2;
        if (Math.Abs(z) < 0.5)
        {
            return 0.5 + 0.5 * ErfSmall(z);
        }

        double a = Math.Abs(x);
        if (a > CdfClampD)
        {
            a = CdfClampD;
        }

        double q = 0.5 * ErfcxTail(a * InvSqrt2) * ExpMinusScaledSquare(a, 0.5);
        return x < 0.0 ? q : 1.0 - q;
    }

    /// <summary>φ(x) = e^(−x²/2)/√(2π).</summary>
    public static double NormalPdf(double x)
    {
        double a = Math.Abs(x);
        if (a > CdfClampD)
        {
            a = CdfClampD;
        }

        return InvSqrt2Pi * ExpMinusScaledSquare(a, 0.5);
    }

    /// <summary>e^(−x²) without the rounding error of x².</summary>
    public static double ExpMinusSquare(double x)
    {
        double a = Math.Abs(x);
        if (a > ErfcClampD)
        {
            a = ErfcClampD;
        }

        return ExpMinusScaledSquare(a, 1.0);
    }

    /// <summary>eˣ − 1, accurate near 0.</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0 || u == double.PositiveInfinity)
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x), accurate near 0.</summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (u == double.PositiveInfinity)
        {
            return u;
        }

        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>erf(z) for |z| &lt; ½: z·P(z²), the Maclaurin series to n = 12.</summary>
    private static double ErfSmall(double z)
    {
        double u = z * z;
        double p = 9.422759064650411e-11;
        p = p * u - 1.2290555301717928e-09;
        p = p * u + 1.4807192815879218e-08;
        p = p * u - 1.6365844691234924e-07;
        p = p * u + 1.6462114365889248e-06;
        p = p * u - 1.492565035840625e-05;
        p = p * u + 0.00012055332981789664;
        p = p * u - 0.0008548327023450853;
        p = p * u + 0.005223977625442188;
        p = p * u - 0.026866170645131252;
        p = p * u + 0.11283791670955126;
        p = p * u - 0.37612638903183754;
        p = p * u + 0.12837916709551257; // 2/√π − 1: the leading 1·z is added last, exactly
        return z + z * p;
    }

    /// <summary>erfcx(a) = erfc(a)·e^(a²) for a in [½, 30].</summary>
    private static double ErfcxTail(double a)
    {
        double t = 3.0 / (3.0 + a);
        double s = (154.0 * t - 73.0) * (1.0 / 59.0);
        double q = 7.582686471733912e-12;
        q = q * s - 1.5839632019451767e-11;
        q = q * s - 8.704306554681158e-11;
        q = q * s + 2.5662355002182943e-10;
        q = q * s + 5.951543213599378e-10;
        q = q * s - 2.7657637008663932e-09;
        q = q * s - 3.5601634971861285e-09;
        q = q * s + 2.7175774285516968e-08;
        q = q * s + 2.6054263556122814e-08;
        q = q * s - 2.7224437185965896e-07;
        q = q * s - 3.324439510454093e-07;
        q = q * s + 2.828833688496405e-06;
        q = q * s + 6.584042172772652e-06;
        q = q * s - 2.629936133866427e-05;
        q = q * s - 0.00014375966446537373;
        q = q * s - 1.036468203255421e-05;
        q = q * s + 0.0023804305182717443;
        q = q * s + 0.012929256503391379;
        q = q * s + 0.042940815774349696;
        q = q * s + 0.1064127780657789;
        q = q * s + 0.21059155080524283;
        q = q * s + 0.34322213775108873;
        return t * q;
    }

    /// <summary>e^(−c·a²) for a in [0, 42] and c ∈ {1, ½}, splitting a so that the large part of c·a² is exact.</summary>
    private static double ExpMinusScaledSquare(double a, double c)
    {
        double h = Math.Floor(a * SplitD) * (1.0 / SplitD);
        return Math.Exp(-c * (h * h)) * Math.Exp(-c * ((a - h) * (a + h)));
    }

    // ---------------------------------------------------------------- float

    /// <summary>erf(x), absolute error ≤ 1e-7.</summary>
    public static float Erf(float x)
    {
        // The series up to |x| = 1 rather than ½: 1 − erfc would otherwise carry erfc's few-ulp relative error
        // (erfc(½) ≈ 0.48) into erf. Erfc and Φ switch at ½, where 1 − erf still keeps their relative accuracy.
        float a = MathF.Abs(x);
        if (a < 1f)
        {
            return ErfSmall(x);
        }

        if (a > ErfcClampF)
        {
            a = ErfcClampF;
        }

        float r = 1f - ErfcxTail(a) * ExpMinusScaledSquare(a, 1f);
        return x < 0f ? -r : r;
    }

    /// <summary>erfc(x) = 1 − erf(x), with relative accuracy in the upper tail.</summary>
    public static float Erfc(float x)
    {
        float a = MathF.Abs(x);
        if (a < 0.5f)
        {
            return 1f - ErfSmall(x);
        }

        if (a > ErfcClampF)
        {
            a = ErfcClampF;
        }

        float r = ErfcxTail(a) * ExpMinusScaledSquare(a, 1f);
        return x < 0f ? 2f - r : r;
    }

    /// <summary>Φ(x) = ½(1 + erf(x/√2)), with relative accuracy in the lower tail.</summary>
    public static float NormalCdf(float x)
    {
        float z = x * InvSqrt2F;
        if (MathF.Abs(z) < 0.5f)
        {
            return 0.5f + 0.5f * ErfSmall(z);
        }

        float a = MathF.Abs(x);
        if (a > CdfClampF)
        {
            a = CdfClampF;
        }

        float q = 0.5f * ErfcxTail(a * InvSqrt2F) * ExpMinusScaledSquare(a, 0.5f);
        return x < 0f ? q : 1f - q;
    }

    /// <summary>φ(x) = e^(−x²/2)/√(2π).</summary>
    public static float NormalPdf(float x)
    {
        float a = MathF.Abs(x);
        if (a > CdfClampF)
        {
            a = CdfClampF;
        }

        return InvSqrt2PiF * ExpMinusScaledSquare(a, 0.5f);
    }

    /// <summary>e^(−x²) without the rounding error of x².</summary>
    public static float ExpMinusSquare(float x)
    {
        float a = MathF.Abs(x);
        if (a > ErfcClampF)
        {
            a = ErfcClampF;
        }

        return ExpMinusScaledSquare(a, 1f);
    }

    /// <summary>eˣ − 1, accurate near 0.</summary>
    public static float Expm1(float x)
    {
        float u = MathF.Exp(x);
        if (u == 1f)
        {
            return x;
        }

        float um1 = u - 1f;
        if (um1 == -1f || u == float.PositiveInfinity)
        {
            return um1;
        }

        return um1 * x / MathF.Log(u);
    }

    /// <summary>log(1 + x), accurate near 0.</summary>
    public static float Log1p(float x)
    {
        float u = 1f + x;
        if (u == 1f)
        {
            return x;
        }

        if (u == float.PositiveInfinity)
        {
            return u;
        }

        return MathF.Log(u) * x / (u - 1f);
    }

    /// <summary>erf(z) for |z| &lt; 1: z·P(z²), the Maclaurin series to n = 11.</summary>
    private static float ErfSmall(float z)
    {
        float u = z * z;
        float p = -1.22905553e-09f;
        p = p * u + 1.48071928e-08f;
        p = p * u - 1.63658447e-07f;
        p = p * u + 1.64621144e-06f;
        p = p * u - 1.49256504e-05f;
        p = p * u + 0.00012055333f;
        p = p * u - 0.000854832702f;
        p = p * u + 0.00522397763f;
        p = p * u - 0.0268661706f;
        p = p * u + 0.112837917f;
        p = p * u - 0.376126389f;
        p = p * u + 0.128379167f; // 2/√π − 1: the leading 1·z is added last, exactly
        return z + z * p;
    }

    /// <summary>erfcx(a) = erfc(a)·e^(a²) for a in [½, 12].</summary>
    private static float ErfcxTail(float a)
    {
        float t = 3f / (3f + a);
        float s = (70f * t - 37f) * (1f / 23f);
        float q = 2.19961349e-06f;
        q = q * s - 3.58010041e-06f;
        q = q * s - 5.70104307e-05f;
        q = q * s - 6.7150934e-05f;
        q = q * s + 0.00107002317f;
        q = q * s + 0.00790175805f;
        q = q * s + 0.0320346552f;
        q = q * s + 0.092966196f;
        q = q * s + 0.208967281f;
        q = q * s + 0.37549103f;
        return t * q;
    }

    /// <summary>e^(−c·a²) for a in [0, 16.5] and c ∈ {1, ½}, splitting a so that the large part of c·a² is exact.</summary>
    private static float ExpMinusScaledSquare(float a, float c)
    {
        float h = MathF.Floor(a * SplitF) * (1f / SplitF);
        return MathF.Exp(-c * (h * h)) * MathF.Exp(-c * ((a - h) * (a + h)));
    }

    // ---------------------------------------------------------------- Vector128<float> (mirrors the float scalars)

    /// <summary>erf(x), lane-wise.</summary>
    public static Vector128<float> Erf(Vector128<float> x)
    {
        Vector128<float> a = Vector128.Abs(x);
        Vector128<float> small = ErfSmall(x);
        Vector128<float> ac = ClampAbove(a, ErfcClampF);
        Vector128<float> r = Vector128<float>.One - ErfcxTail(ac) * ExpMinusScaledSquare(ac, 1f);
        Vector128<float> tail = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), -r, r);
        return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128<float>.One), small, tail);
    }

    /// <summary>Φ(x), lane-wise.</summary>
    public static Vector128<float> NormalCdf(Vector128<float> x)
    {
        Vector128<float> half = Vector128.Create(0.5f);
        Vector128<float> z = x * Vector128.Create(InvSqrt2F);
        Vector128<float> small = half + half * ErfSmall(z);
        Vector128<float> a = ClampAbove(Vector128.Abs(x), CdfClampF);
        Vector128<float> q = half * ErfcxTail(a * Vector128.Create(InvSqrt2F)) * ExpMinusScaledSquare(a, 0.5f);
        Vector128<float> tail = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), q, Vector128<float>.One - q);
        return Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(z), half), small, tail);
    }

    /// <summary>φ(x), lane-wise.</summary>
    public static Vector128<float> NormalPdf(Vector128<float> x) =>
        Vector128.Create(InvSqrt2PiF) * ExpMinusScaledSquare(ClampAbove(Vector128.Abs(x), CdfClampF), 0.5f);

    /// <summary>e^(−x²), lane-wise.</summary>
    public static Vector128<float> ExpMinusSquare(Vector128<float> x) =>
        ExpMinusScaledSquare(ClampAbove(Vector128.Abs(x), ErfcClampF), 1f);

    /// <summary>eˣ − 1, lane-wise.</summary>
    public static Vector128<float> Expm1(Vector128<float> x)
    {
        Vector128<float> u = Vector128.Exp(x);
        Vector128<float> um1 = u - Vector128<float>.One;
        Vector128<float> r = um1 * x / Vector128.Log(u);
        Vector128<float> saturated = Vector128.Equals(um1, Vector128.Create(-1f)) | Vector128.Equals(u, Vector128.Create(float.PositiveInfinity));
        r = Vector128.ConditionalSelect(saturated, um1, r);
        return Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<float>.One), x, r);
    }

    /// <summary>log(1 + x), lane-wise.</summary>
    public static Vector128<float> Log1p(Vector128<float> x)
    {
        Vector128<float> u = Vector128<float>.One + x;
        Vector128<float> r = Vector128.Log(u) * x / (u - Vector128<float>.One);
        r = Vector128.ConditionalSelect(Vector128.Equals(u, Vector128.Create(float.PositiveInfinity)), u, r);
        return Vector128.ConditionalSelect(Vector128.Equals(u, Vector128<float>.One), x, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ClampAbove(Vector128<float> a, float limit)
    {
        Vector128<float> c = Vector128.Create(limit);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(a, c), c, a);
    }

    private static Vector128<float> ErfSmall(Vector128<float> z)
    {
        Vector128<float> u = z * z;
        Vector128<float> p = Vector128.Create(-1.22905553e-09f);
        p = p * u + Vector128.Create(1.48071928e-08f);
        p = p * u + Vector128.Create(-1.63658447e-07f);
        p = p * u + Vector128.Create(1.64621144e-06f);
        p = p * u + Vector128.Create(-1.49256504e-05f);
        p = p * u + Vector128.Create(0.00012055333f);
        p = p * u + Vector128.Create(-0.000854832702f);
        p = p * u + Vector128.Create(0.00522397763f);
        p = p * u + Vector128.Create(-0.0268661706f);
        p = p * u + Vector128.Create(0.112837917f);
        p = p * u + Vector128.Create(-0.376126389f);
        p = p * u + Vector128.Create(0.128379167f);
        return z + z * p;
    }

    private static Vector128<float> ErfcxTail(Vector128<float> a)
    {
        Vector128<float> t = Vector128.Create(3f) / (Vector128.Create(3f) + a);
        Vector128<float> s = (Vector128.Create(70f) * t - Vector128.Create(37f)) * Vector128.Create(1f / 23f);
        Vector128<float> q = Vector128.Create(2.19961349e-06f);
        q = q * s + Vector128.Create(-3.58010041e-06f);
        q = q * s + Vector128.Create(-5.70104307e-05f);
        q = q * s + Vector128.Create(-6.7150934e-05f);
        q = q * s + Vector128.Create(0.00107002317f);
        q = q * s + Vector128.Create(0.00790175805f);
        q = q * s + Vector128.Create(0.0320346552f);
        q = q * s + Vector128.Create(0.092966196f);
        q = q * s + Vector128.Create(0.208967281f);
        q = q * s + Vector128.Create(0.37549103f);
        return t * q;
    }

    private static Vector128<float> ExpMinusScaledSquare(Vector128<float> a, float c)
    {
        Vector128<float> h = Vector128.Floor(a * Vector128.Create(SplitF)) * Vector128.Create(1f / SplitF);
        Vector128<float> minusC = Vector128.Create(-c);
        return Vector128.Exp(minusC * (h * h)) * Vector128.Exp(minusC * ((a - h) * (a + h)));
    }

    // ---------------------------------------------------------------- Vector256<float> (mirrors the float scalars)

    /// <summary>erf(x), lane-wise.</summary>
    public static Vector256<float> Erf(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Abs(x);
        Vector256<float> small = ErfSmall(x);
        Vector256<float> ac = ClampAbove(a, ErfcClampF);
        Vector256<float> r = Vector256<float>.One - ErfcxTail(ac) * ExpMinusScaledSquare(ac, 1f);
        Vector256<float> tail = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -r, r);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256<float>.One), small, tail);
    }

    /// <summary>Φ(x), lane-wise.</summary>
    public static Vector256<float> NormalCdf(Vector256<float> x)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> z = x * Vector256.Create(InvSqrt2F);
        Vector256<float> small = half + half * ErfSmall(z);
        Vector256<float> a = ClampAbove(Vector256.Abs(x), CdfClampF);
        Vector256<float> q = half * ErfcxTail(a * Vector256.Create(InvSqrt2F)) * ExpMinusScaledSquare(a, 0.5f);
        Vector256<float> tail = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), q, Vector256<float>.One - q);
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(z), half), small, tail);
    }

    /// <summary>φ(x), lane-wise.</summary>
    public static Vector256<float> NormalPdf(Vector256<float> x) =>
        Vector256.Create(InvSqrt2PiF) * ExpMinusScaledSquare(ClampAbove(Vector256.Abs(x), CdfClampF), 0.5f);

    /// <summary>e^(−x²), lane-wise.</summary>
    public static Vector256<float> ExpMinusSquare(Vector256<float> x) =>
        ExpMinusScaledSquare(ClampAbove(Vector256.Abs(x), ErfcClampF), 1f);

    /// <summary>eˣ − 1, lane-wise.</summary>
    public static Vector256<float> Expm1(Vector256<float> x)
    {
        Vector256<float> u = Vector256.Exp(x);
        Vector256<float> um1 = u - Vector256<float>.One;
        Vector256<float> r = um1 * x / Vector256.Log(u);
        Vector256<float> saturated = Vector256.Equals(um1, Vector256.Create(-1f)) | Vector256.Equals(u, Vector256.Create(float.PositiveInfinity));
        r = Vector256.ConditionalSelect(saturated, um1, r);
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<float>.One), x, r);
    }

    /// <summary>log(1 + x), lane-wise.</summary>
    public static Vector256<float> Log1p(Vector256<float> x)
    {
        Vector256<float> u = Vector256<float>.One + x;
        Vector256<float> r = Vector256.Log(u) * x / (u - Vector256<float>.One);
        r = Vector256.ConditionalSelect(Vector256.Equals(u, Vector256.Create(float.PositiveInfinity)), u, r);
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<float>.One), x, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ClampAbove(Vector256<float> a, float limit)
    {
        Vector256<float> c = Vector256.Create(limit);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(a, c), c, a);
    }

    private static Vector256<float> ErfSmall(Vector256<float> z)
    {
        Vector256<float> u = z * z;
        Vector256<float> p = Vector256.Create(-1.22905553e-09f);
        p = p * u + Vector256.Create(1.48071928e-08f);
        p = p * u + Vector256.Create(-1.63658447e-07f);
        p = p * u + Vector256.Create(1.64621144e-06f);
        p = p * u + Vector256.Create(-1.49256504e-05f);
        p = p * u + Vector256.Create(0.00012055333f);
        p = p * u + Vector256.Create(-0.000854832702f);
        p = p * u + Vector256.Create(0.00522397763f);
        p = p * u + Vector256.Create(-0.0268661706f);
        p = p * u + Vector256.Create(0.112837917f);
        p = p * u + Vector256.Create(-0.376126389f);
        p = p * u + Vector256.Create(0.128379167f);
        return z + z * p;
    }

    private static Vector256<float> ErfcxTail(Vector256<float> a)
    {
        Vector256<float> t = Vector256.Create(3f) / (Vector256.Create(3f) + a);
        Vector256<float> s = (Vector256.Create(70f) * t - Vector256.Create(37f)) * Vector256.Create(1f / 23f);
        Vector256<float> q = Vector256.Create(2.19961349e-06f);
        q = q * s + Vector256.Create(-3.58010041e-06f);
        q = q * s + Vector256.Create(-5.70104307e-05f);
        q = q * s + Vector256.Create(-6.7150934e-05f);
        q = q * s + Vector256.Create(0.00107002317f);
        q = q * s + Vector256.Create(0.00790175805f);
        q = q * s + Vector256.Create(0.0320346552f);
        q = q * s + Vector256.Create(0.092966196f);
        q = q * s + Vector256.Create(0.208967281f);
        q = q * s + Vector256.Create(0.37549103f);
        return t * q;
    }

    private static Vector256<float> ExpMinusScaledSquare(Vector256<float> a, float c)
    {
        Vector256<float> h = Vector256.Floor(a * Vector256.Create(SplitF)) * Vector256.Create(1f / SplitF);
        Vector256<float> minusC = Vector256.Create(-c);
        return Vector256.Exp(minusC * (h * h)) * Vector256.Exp(minusC * ((a - h) * (a + h)));
    }

    // ---------------------------------------------------------------- Vector512<float> (mirrors the float scalars)

    /// <summary>erf(x), lane-wise.</summary>
    public static Vector512<float> Erf(Vector512<float> x)
    {
        Vector512<float> a = Vector512.Abs(x);
        Vector512<float> small = ErfSmall(x);
        Vector512<float> ac = ClampAbove(a, ErfcClampF);
        Vector512<float> r = Vector512<float>.One - ErfcxTail(ac) * ExpMinusScaledSquare(ac, 1f);
        Vector512<float> tail = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -r, r);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512<float>.One), small, tail);
    }

    /// <summary>Φ(x), lane-wise.</summary>
    public static Vector512<float> NormalCdf(Vector512<float> x)
    {
        Vector512<float> half = Vector512.Create(0.5f);
        Vector512<float> z = x * Vector512.Create(InvSqrt2F);
        Vector512<float> small = half + half * ErfSmall(z);
        Vector512<float> a = ClampAbove(Vector512.Abs(x), CdfClampF);
        Vector512<float> q = half * ErfcxTail(a * Vector512.Create(InvSqrt2F)) * ExpMinusScaledSquare(a, 0.5f);
        Vector512<float> tail = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), q, Vector512<float>.One - q);
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(z), half), small, tail);
    }

    /// <summary>φ(x), lane-wise.</summary>
    public static Vector512<float> NormalPdf(Vector512<float> x) =>
        Vector512.Create(InvSqrt2PiF) * ExpMinusScaledSquare(ClampAbove(Vector512.Abs(x), CdfClampF), 0.5f);

    /// <summary>e^(−x²), lane-wise.</summary>
    public static Vector512<float> ExpMinusSquare(Vector512<float> x) =>
        ExpMinusScaledSquare(ClampAbove(Vector512.Abs(x), ErfcClampF), 1f);

    /// <summary>eˣ − 1, lane-wise.</summary>
    public static Vector512<float> Expm1(Vector512<float> x)
    {
        Vector512<float> u = Vector512.Exp(x);
        Vector512<float> um1 = u - Vector512<float>.One;
        Vector512<float> r = um1 * x / Vector512.Log(u);
        Vector512<float> saturated = Vector512.Equals(um1, Vector512.Create(-1f)) | Vector512.Equals(u, Vector512.Create(float.PositiveInfinity));
        r = Vector512.ConditionalSelect(saturated, um1, r);
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<float>.One), x, r);
    }

    /// <summary>log(1 + x), lane-wise.</summary>
    public static Vector512<float> Log1p(Vector512<float> x)
    {
        Vector512<float> u = Vector512<float>.One + x;
        Vector512<float> r = Vector512.Log(u) * x / (u - Vector512<float>.One);
        r = Vector512.ConditionalSelect(Vector512.Equals(u, Vector512.Create(float.PositiveInfinity)), u, r);
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<float>.One), x, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ClampAbove(Vector512<float> a, float limit)
    {
        Vector512<float> c = Vector512.Create(limit);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(a, c), c, a);
    }

    private static Vector512<float> ErfSmall(Vector512<float> z)
    {
        Vector512<float> u = z * z;
        Vector512<float> p = Vector512.Create(-1.22905553e-09f);
        p = p * u + Vector512.Create(1.48071928e-08f);
        p = p * u + Vector512.Create(-1.63658447e-07f);
        p = p * u + Vector512.Create(1.64621144e-06f);
        p = p * u + Vector512.Create(-1.49256504e-05f);
        p = p * u + Vector512.Create(0.00012055333f);
        p = p * u + Vector512.Create(-0.000854832702f);
        p = p * u + Vector512.Create(0.00522397763f);
        p = p * u + Vector512.Create(-0.0268661706f);
        p = p * u + Vector512.Create(0.112837917f);
        p = p * u + Vector512.Create(-0.376126389f);
        p = p * u + Vector512.Create(0.128379167f);
        return z + z * p;
    }

    private static Vector512<float> ErfcxTail(Vector512<float> a)
    {
        Vector512<float> t = Vector512.Create(3f) / (Vector512.Create(3f) + a);
        Vector512<float> s = (Vector512.Create(70f) * t - Vector512.Create(37f)) * Vector512.Create(1f / 23f);
        Vector512<float> q = Vector512.Create(2.19961349e-06f);
        q = q * s + Vector512.Create(-3.58010041e-06f);
        q = q * s + Vector512.Create(-5.70104307e-05f);
        q = q * s + Vector512.Create(-6.7150934e-05f);
        q = q * s + Vector512.Create(0.00107002317f);
        q = q * s + Vector512.Create(0.00790175805f);
        q = q * s + Vector512.Create(0.0320346552f);
        q = q * s + Vector512.Create(0.092966196f);
        q = q * s + Vector512.Create(0.208967281f);
        q = q * s + Vector512.Create(0.37549103f);
        return t * q;
    }

    private static Vector512<float> ExpMinusScaledSquare(Vector512<float> a, float c)
    {
        Vector512<float> h = Vector512.Floor(a * Vector512.Create(SplitF)) * Vector512.Create(1f / SplitF);
        Vector512<float> minusC = Vector512.Create(-c);
        return Vector512.Exp(minusC * (h * h)) * Vector512.Exp(minusC * ((a - h) * (a + h)));
    }
}
