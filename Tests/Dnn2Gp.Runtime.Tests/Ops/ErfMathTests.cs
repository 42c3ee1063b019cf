using System;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Ops;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Ops;

/// <summary>erf, erfc, Φ, φ, expm1 and log1p against reference values computed with mpmath at 30 digits.</summary>
public sealed class ErfMathTests
{
    [Theory]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(1e-300, 1.1283791670955126e-300, 1.0)]
    [InlineData(1e-08, 1.1283791670955126e-8, 0.99999998871620833)]
    [InlineData(0.1, 0.1124629160182849, 0.8875370839817151)]
    [InlineData(0.25, 0.27632639016823693, 0.72367360983176307)]
    [InlineData(0.49, 0.51166826118852309, 0.48833173881147691)]
    [InlineData(0.5, 0.52049987781304654, 0.47950012218695346)]
    [InlineData(0.51, 0.52924361984117044, 0.47075638015882956)]
    [InlineData(0.75, 0.71115563365351513, 0.28884436634648487)]
    [InlineData(0.99, 0.8385080695553698, 0.1614919304446302)]
    [InlineData(1.0, 0.84270079294971487, 0.15729920705028513)]
    [InlineData(1.5, 0.96610514647531073, 0.033894853524689273)]
    [InlineData(2.0, 0.99532226501895273, 0.0046777349810472658)]
    [InlineData(2.5, 0.99959304798255504, 0.00040695201744495894)]
    [InlineData(3.0, 0.99997790950300141, 2.2090496998585441e-5)]
    [InlineData(3.5, 0.99999925690162766, 7.4309837234141275e-7)]
    [InlineData(4.0, 0.9999999845827421, 1.5417257900280019e-8)]
    [InlineData(5.0, 0.99999999999846254, 1.5374597944280349e-12)]
    [InlineData(6.0, 0.99999999999999998, 2.1519736712498913e-17)]
    [InlineData(8.0, 1.0, 1.1224297172982927e-29)]
    [InlineData(10.0, 1.0, 2.0884875837625448e-45)]
    [InlineData(15.0, 1.0, 7.2129941724512067e-100)]
    [InlineData(20.0, 1.0, 5.3958656116079009e-176)]
    [InlineData(26.0, 1.0, 5.6631924088561428e-296)]
    public void Double_MatchesReference(double x, double erf, double erfc)
    {
        AssertWithin(erf, ErfMath.Erf(x), 1e-15, $"erf({x})");
        AssertWithin(-erf, ErfMath.Erf(-x), 1e-15, $"erf({-x})");
        AssertWithin(erfc, ErfMath.Erfc(x), 2e-15 * erfc, $"erfc({x})");
        AssertWithin(2.0 - erfc, ErfMath.Erfc(-x), 1e-15, $"erfc({-x})");
    }

    [Theory]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.5, 0.9999992569016276)]
    public void KnownValues_BothPrecisions(double x, double erf)
    {
        AssertWithin(erf, ErfMath.Erf(x), 1e-15, $"erf({x})");
        AssertWithin(erf, ErfMath.Erf((float)x), 1e-7, $"erf({x}f)");
        Assert.Equal(-ErfMath.Erf(x), ErfMath.Erf(-x));
        Assert.Equal(-ErfMath.Erf((float)x), ErfMath.Erf(-(float)x));
    }

    [Fact]
    public void IsOdd_AndSaturates()
    {
        for (double x = 0.0; x < 30.0; x += 0.01)
        {
            Assert.Equal(-ErfMath.Erf(x), ErfMath.Erf(-x));
            Assert.Equal(-ErfMath.Erf((float)x), ErfMath.Erf(-(float)x));
        }

        foreach (double x in new[] { 6.0, 10.0, 30.0, 1e10, double.MaxValue, double.PositiveInfinity })
        {
            Assert.Equal(1.0, ErfMath.Erf(x));
            Assert.Equal(-1.0, ErfMath.Erf(-x));
            Assert.Equal(2.0, ErfMath.Erfc(-x));
            Assert.Equal(1f, ErfMath.Erf((float)x));
            Assert.Equal(-1f, ErfMath.Erf(-(float)x));
        }

        foreach (double x in new[] { 30.0, 1e10, double.MaxValue, double.PositiveInfinity })
        {
            Assert.Equal(0.0, ErfMath.Erfc(x));
            Assert.Equal(0f, ErfMath.Erfc((float)x));
            Assert.Equal(0.0, ErfMath.NormalCdf(-2 * x));
            Assert.Equal(1.0, ErfMath.NormalCdf(2 * x));
            Assert.Equal(0f, ErfMath.NormalCdf(-2 * (float)x));
            Assert.Equal(1f, ErfMath.NormalCdf(2 * (float)x));
        }

        Assert.True(double.IsNaN(ErfMath.Erf(double.NaN)));
        Assert.True(float.IsNaN(ErfMath.Erf(float.NaN)));
        Assert.True(double.IsNaN(ErfMath.NormalCdf(double.NaN)));
    }

    [Fact]
    public void Float_IsWithin1e7_OfDouble_Everywhere()
    {
        double worst = 0.0;
        for (double z = -6.0; z <= 6.0; z += 1e-4)
        {
            float x = (float)z;
            worst = Math.Max(worst, Math.Abs(ErfMath.Erf(x) - ErfMath.Erf((double)x)));
        }

        Assert.True(worst <= 1e-7, $"max |erf_float − erf_double| = {worst:E3}");
    }

    [Fact]
    public void FloatTails_KeepRelativeAccuracy()
    {
        // erfc and Φ in float keep a few ulps of relative accuracy down to their underflow, not just 1e-7 absolute.
        for (double z = 0.0; z <= 9.0; z += 1e-3)
        {
            float x = (float)z;
            AssertWithin(ErfMath.Erfc((double)x), ErfMath.Erfc(x), 1e-6 * ErfMath.Erfc((double)x), $"erfc({x}f)");
            AssertWithin(ErfMath.NormalCdf(-(double)x), ErfMath.NormalCdf(-x), 1e-6 * ErfMath.NormalCdf(-(double)x), $"Φ({-x}f)");
            AssertWithin(ErfMath.NormalPdf((double)x), ErfMath.NormalPdf(x), 1e-6 * ErfMath.NormalPdf((double)x), $"φ({x}f)");
        }
    }

    [Theory]
    [InlineData(-1.0, 0.15865525393145705)]
    [InlineData(-5.0, 2.8665157187919391e-7)]
    [InlineData(-8.0, 6.2209605742717841e-16)]
    [InlineData(-20.0, 2.7536241186062337e-89)]
    [InlineData(-37.0, 5.7255712225245768e-300)]
    public void NormalCdf_LowerTail_IsRelativelyAccurate(double x, double expected)
    {
        AssertWithin(expected, ErfMath.NormalCdf(x), 2e-15 * expected, $"Φ({x})");
        AssertWithin(1.0 - expected, ErfMath.NormalCdf(-x), 1e-15, $"Φ({-x})");
        AssertWithin(Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI), ErfMath.NormalPdf(x), 1e-14 * ErfMath.NormalPdf(x), $"φ({x})");
    }

    [Theory]
    [InlineData(1e-10, 1.00000000005e-10)]
    [InlineData(-1e-4, -9.9995000166662505e-5)]
    [InlineData(0.5, 0.64872127070012815)]
    [InlineData(-20.0, -0.99999999793884638)]
    public void Expm1_IsRelativelyAccurate(double x, double expected)
    {
        AssertWithin(expected, ErfMath.Expm1(x), 4e-16 * Math.Abs(expected), $"expm1({x})");
        AssertWithin(expected, ErfMath.Expm1((float)x), 3e-7 * Math.Abs(expected), $"expm1({x}f)");
    }

    [Theory]
    [InlineData(1e-10, 9.9999999995000004e-11)]
    [InlineData(1e-4, 9.999500033330834e-5)]
    [InlineData(0.5, 0.40546510810816438)]
    public void Log1p_IsRelativelyAccurate(double x, double expected)
    {
        AssertWithin(expected, ErfMath.Log1p(x), 4e-16 * expected, $"log1p({x})");
        AssertWithin(expected, ErfMath.Log1p((float)x), 3e-7 * expected, $"log1p({x}f)");
    }

    [Fact]
    public void Expm1AndLog1p_HandleTheirLimits()
    {
        Assert.Equal(-1.0, ErfMath.Expm1(-1000.0));
        Assert.Equal(double.PositiveInfinity, ErfMath.Expm1(1000.0));
        Assert.Equal(double.PositiveInfinity, ErfMath.Log1p(double.PositiveInfinity));
        Assert.Equal(-1f, ErfMath.Expm1(-1000f));
        Assert.Equal(float.PositiveInfinity, ErfMath.Expm1(1000f));
        Assert.Equal(float.PositiveInfinity, ErfMath.Log1p(float.PositiveInfinity));
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> x = Vector256.Create(-1000f, 1000f, 0f, -0f, 1e-10f, -1e-10f, float.NaN, 88f);
            for (int i = 0; i < Vector256<float>.Count; i++)
            {
                Assert.Equal(ErfMath.Expm1(x[i]), ErfMath.Expm1(x)[i], 6);
                Assert.Equal(ErfMath.Log1p(Math.Abs(x[i])), ErfMath.Log1p(Vector256.Abs(x))[i], 6);
            }
        }
    }

    private static void AssertWithin(double expected, double actual, double bound, string what)
    {
        if (!(Math.Abs(actual - expected) <= bound))
        {
            Assert.Fail($"{what}: expected {expected:R}, actual {actual:R}, |diff| {Math.Abs(actual - expected):E3} > {bound:E3}.");
        }
    }
}
