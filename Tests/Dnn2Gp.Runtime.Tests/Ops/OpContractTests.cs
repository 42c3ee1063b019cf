using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Ops;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Ops;

/// <summary>
/// The contract every element-wise op must meet, run once per op by the sealed subclasses below: the vector paths
/// (through the drivers and called directly) agree with the scalar oracle for every length 0…256, in place too; the
/// derivative agrees with central finite differences in double; float agrees with double.
/// </summary>
public abstract class OpContractTests<TOp>
    where TOp : struct, IVectorOp<TOp>
{
    private const int MaxLength = 256;

    /// <summary>Relative tolerance between the vector and scalar float paths (a few ulps).</summary>
    private const double VectorTolerance = 1e-6;

    /// <summary>Relative tolerance between the float and double scalar members.</summary>
    private const double PrecisionTolerance = 1e-6;

    /// <summary>Relative tolerance of the derivative against central differences.</summary>
    private const double FiniteDifferenceTolerance = 1e-6;

    /// <summary>Below this magnitude a value is compared absolutely (subnormal results carry few significant bits).</summary>
    private const double ValueScale = 1e-35;

    private static readonly string Op = typeof(TOp).Name;

    /// <summary>Points where f' is discontinuous or f'' jumps; finite differences skip a neighbourhood of each.</summary>
    protected virtual double[] Kinks => [];

    [Fact]
    public void UnaryDriver_MatchesScalar_ForEveryLength()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: 1000 + n);
            var y = new float[n];
            UnaryDriver.Apply<TOp>(x, y);
            for (int i = 0; i < n; i++)
            {
                OpTestSupport.AssertClose(Op, "Value (UnaryDriver)", n, i, x[i], TOp.Value(x[i]), y[i], VectorTolerance, ValueScale);
            }
        }
    }

    [Fact]
    public void UnaryDriver_InPlace_MatchesScalar_ForEveryLength()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: 2000 + n);
            float[] buffer = (float[])x.Clone();
            UnaryDriver.Apply<TOp>(buffer, buffer);
            for (int i = 0; i < n; i++)
            {
                OpTestSupport.AssertClose(Op, "Value (UnaryDriver, in place)", n, i, x[i], TOp.Value(x[i]), buffer[i], VectorTolerance, ValueScale);
            }
        }
    }

    [Fact]
    public void BackwardDriver_MatchesScalar_ForEveryLength()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: 3000 + n);
            float[] y = [.. x.Select(TOp.Value)];
            float[] dy = OpTestSupport.Uniform(n, seed: 4000 + n);
            var dx = new float[n];
            BackwardDriver.Apply<TOp>(x, y, dy, dx);
            for (int i = 0; i < n; i++)
            {
                double expected = dy[i] * TOp.Derivative(x[i], y[i]);
                OpTestSupport.AssertClose(Op, "Derivative (BackwardDriver)", n, i, x[i], expected, dx[i], VectorTolerance, DerivativeScale(y[i], dy[i]));
            }
        }
    }

    [Fact]
    public void BackwardDriver_InPlace_MatchesScalar_ForEveryLength()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] x = OpTestSupport.Inputs(n, seed: 5000 + n);
            float[] y = [.. x.Select(TOp.Value)];
            float[] dy = OpTestSupport.Uniform(n, seed: 6000 + n);
            float[] buffer = (float[])dy.Clone();
            BackwardDriver.Apply<TOp>(x, y, buffer, buffer);
            for (int i = 0; i < n; i++)
            {
                double expected = dy[i] * TOp.Derivative(x[i], y[i]);
                OpTestSupport.AssertClose(Op, "Derivative (BackwardDriver, in place)", n, i, x[i], expected, buffer[i], VectorTolerance, DerivativeScale(y[i], dy[i]));
            }
        }
    }

    [Fact]
    public void DoubleDrivers_MatchScalar()
    {
        double[] x = [.. OpTestSupport.Inputs(MaxLength, seed: 7000).Select(v => (double)v)];
        var y = new double[x.Length];
        UnaryDriver.Apply<TOp>(x, y);
        double[] dy = [.. OpTestSupport.Uniform(x.Length, seed: 7001).Select(v => (double)v)];
        var dx = new double[x.Length];
        BackwardDriver.Apply<TOp>(x, y, dy, dx);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(TOp.Value(x[i]), y[i]);
            Assert.Equal(dy[i] * TOp.Derivative(x[i], y[i]), dx[i]);
        }
    }

    [Fact]
    public void VectorMembers_MatchScalar_AtEveryWidth()
    {
        if (!TOp.Vectorizable)
        {
            return;
        }

        float[] x = OpTestSupport.Inputs(4096, seed: 8000);
        float[] y = [.. x.Select(TOp.Value)];
        if (Vector128.IsHardwareAccelerated)
        {
            for (int i = 0; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
            {
                var xv = Vector128.Create(x.AsSpan(i));
                CheckLanes("Vector128", i, x, y, TOp.Value(xv).ToLanes(), TOp.Derivative(xv, Vector128.Create(y.AsSpan(i))).ToLanes());
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                var xv = Vector256.Create(x.AsSpan(i));
                CheckLanes("Vector256", i, x, y, TOp.Value(xv).ToLanes(), TOp.Derivative(xv, Vector256.Create(y.AsSpan(i))).ToLanes());
            }
        }

        if (Vector512.IsHardwareAccelerated)
        {
            for (int i = 0; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            {
                var xv = Vector512.Create(x.AsSpan(i));
                CheckLanes("Vector512", i, x, y, TOp.Value(xv).ToLanes(), TOp.Derivative(xv, Vector512.Create(y.AsSpan(i))).ToLanes());
            }
        }
    }

    [Fact]
    public void Derivative_MatchesCentralDifferences_InDouble()
    {
        foreach (double x in FiniteDifferencePoints())
        {
            // A fixed step rather than one proportional to |x|: the Gaussian-type tails of GELU and erf vary on a
            // scale of 1/|x|, where h = 1e-5·|x| would cost ~h²x²/6 ≈ 3e-6 relative at x = −20. The step actually
            // taken, xp − xm, is used so that the rounding of x ± h does not bias the quotient.
            const double h = 1e-5;
            if (Kinks.Any(k => Math.Abs(x - k) < 10 * h))
            {
                continue;
            }

            double xp = x + h;
            double xm = x - h;
            double fd = (TOp.Value(xp) - TOp.Value(xm)) / (xp - xm);
            double y = TOp.Value(x);
            double analytic = TOp.Derivative(x, y);

            // Central differences carry truncation error ~h²f''' and rounding error ~ε|f|/h; both scale with the
            // local size of f, so results far below |f|/max(1, |x|) are compared against 1e-3 of that size.
            double scale = 1e-3 * Math.Abs(y) / Math.Max(1.0, Math.Abs(x));
            OpTestSupport.AssertClose(Op, "Derivative vs central differences", 0, 0, x, fd, analytic, FiniteDifferenceTolerance, Math.Max(scale, 1e-300));
        }
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        float[] x = OpTestSupport.Inputs(4096, seed: 9000);
        for (int i = 0; i < x.Length; i++)
        {
            float y32 = TOp.Value(x[i]);
            double y64 = TOp.Value((double)x[i]);
            OpTestSupport.AssertClose(Op, "Value float vs double", x.Length, i, x[i], y64, y32, PrecisionTolerance, ValueScale);

            // Derivatives that reuse y (1 − y², y(1 − y), y + 1) inherit y's absolute rounding error, so they are
            // compared relative to max(|f'|, |y|).
            float d32 = TOp.Derivative(x[i], y32);
            double d64 = TOp.Derivative((double)x[i], y64);
            OpTestSupport.AssertClose(Op, "Derivative float vs double", x.Length, i, x[i], d64, d32, PrecisionTolerance, Math.Max(Math.Abs(y64), ValueScale));
        }
    }

    /// <summary>A grid over [−8, 8] (step 1/8 + an irrational offset, so no point lands on 0) plus the special points.</summary>
    private static double[] FiniteDifferencePoints()
    {
        var points = Enumerable.Range(0, 129).Select(k => -8.0 + k * 0.125 + 0.0123456789).ToList();
        points.AddRange([-8.0, -5.0, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 5.0, 8.0, 1e-4, -1e-4, 20.0, -20.0, 1e-8, -1e-8]);
        return [.. points];
    }

    private static double DerivativeScale(float y, float dy) => Math.Max(Math.Abs(y * dy), ValueScale);

    private static void CheckLanes(string width, int offset, float[] x, float[] y, float[] values, float[] derivatives)
    {
        for (int lane = 0; lane < values.Length; lane++)
        {
            int i = offset + lane;
            OpTestSupport.AssertClose(Op, $"Value ({width})", x.Length, i, x[i], TOp.Value(x[i]), values[lane], VectorTolerance, ValueScale);
            OpTestSupport.AssertClose(Op, $"Derivative ({width})", x.Length, i, x[i], TOp.Derivative(x[i], y[i]), derivatives[lane], VectorTolerance,
                Math.Max(Math.Abs(y[i]), ValueScale));
        }
    }
}

internal static class LaneExtensions
{
    public static float[] ToLanes(this Vector128<float> v)
    {
        var lanes = new float[Vector128<float>.Count];
        v.CopyTo(lanes);
        return lanes;
    }

    public static float[] ToLanes(this Vector256<float> v)
    {
        var lanes = new float[Vector256<float>.Count];
        v.CopyTo(lanes);
        return lanes;
    }

    public static float[] ToLanes(this Vector512<float> v)
    {
        var lanes = new float[Vector512<float>.Count];
        v.CopyTo(lanes);
        return lanes;
    }
}

public sealed class IdentityContractTests : OpContractTests<Identity>;

public sealed class ReluContractTests : OpContractTests<Relu>
{
    protected override double[] Kinks => [0.0];
}

public sealed class TanhContractTests : OpContractTests<Tanh>;

public sealed class SigmoidContractTests : OpContractTests<Sigmoid>;

public sealed class SoftplusContractTests : OpContractTests<Softplus>;

public sealed class EluContractTests : OpContractTests<Elu>
{
    // f' is continuous at 0 but f'' jumps (1 → 0), which costs central differences O(h) there.
    protected override double[] Kinks => [0.0];
}

public sealed class GeluContractTests : OpContractTests<Gelu>;

public sealed class ErfContractTests : OpContractTests<Erf>;
