using System;
using Dnn2Gp.Runtime.Priors;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Priors;

public sealed class GaussianPenaltyTests
{
    private const double Precision = 0.3;

    [Fact]
    public void Value_IsHalfPrecisionTimesSumOfSquares_ForEveryLength()
    {
        for (int n = 0; n <= 70; n++)
        {
            float[] w = Weights(n, seed: n);
            double expected = 0.0;
            foreach (float v in w)
            {
                expected += (double)v * v;
            }

            expected *= 0.5 * Precision;
            Assert.Equal(expected, GaussianPenalty.Value(w, Precision), 1e-13);
            Assert.Equal(expected, GaussianPenalty.Value(Array.ConvertAll(w, v => (double)v), Precision), 1e-13);
        }
    }

    [Fact]
    public void Value_AccumulatesInDouble()
    {
        // 2²⁴ + 1 ones: a float accumulator would stall at 2²⁴.
        var w = new float[(1 << 24) + 1];
        w.AsSpan().Fill(1f);
        Assert.Equal(0.5 * ((1 << 24) + 1), GaussianPenalty.Value(w, 1.0));
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences_AndAccumulates()
    {
        double[] w = Array.ConvertAll(Weights(23, seed: 1), v => (double)v);
        double[] gradient = Array.ConvertAll(Weights(23, seed: 2), v => (double)v);
        double[] initial = (double[])gradient.Clone();
        const double scale = 1.5;
        GaussianPenalty.AddGradient(w, Precision, scale, gradient);
        for (int i = 0; i < w.Length; i++)
        {
            const double h = 1e-5;
            double[] plus = (double[])w.Clone();
            double[] minus = (double[])w.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (GaussianPenalty.Value(plus, Precision) - GaussianPenalty.Value(minus, Precision)) / (plus[i] - minus[i]);
            Assert.Equal(initial[i] + scale * fd, gradient[i], 1e-9);
        }

        float[] w32 = Weights(23, seed: 1);
        float[] g32 = Weights(23, seed: 2);
        GaussianPenalty.AddGradient(w32, Precision, (float)scale, g32);
        for (int i = 0; i < w32.Length; i++)
        {
            Assert.Equal(gradient[i], g32[i], 1e-6);
        }
    }

    [Fact]
    public void HessianDiagonal_IsPrecision_AndMatchesFiniteDifferencesOfGradient()
    {
        var diagonal = new double[9];
        GaussianPenalty.FillHessianDiagonal(Precision, diagonal);
        var diagonal32 = new float[9];
        GaussianPenalty.FillHessianDiagonal(Precision, diagonal32);
        Assert.All(diagonal, d => Assert.Equal(Precision, d));
        Assert.All(diagonal32, d => Assert.Equal((float)Precision, d));

        double[] w = Array.ConvertAll(Weights(9, seed: 3), v => (double)v);
        for (int i = 0; i < w.Length; i++)
        {
            const double h = 1e-4;
            double[] plus = (double[])w.Clone();
            double[] minus = (double[])w.Clone();
            plus[i] += h;
            minus[i] -= h;
            var gPlus = new double[w.Length];
            var gMinus = new double[w.Length];
            GaussianPenalty.AddGradient(plus, Precision, 1.0, gPlus);
            GaussianPenalty.AddGradient(minus, Precision, 1.0, gMinus);
            Assert.Equal(diagonal[i], (gPlus[i] - gMinus[i]) / (plus[i] - minus[i]), 1e-9);
        }
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidPrecision_Throws(double precision)
    {
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianPenalty.Value(new float[3], precision)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianPenalty.AddGradient(new double[3], precision, 1.0, new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianPenalty.FillHessianDiagonal(precision, new float[3]));
    }

    [Fact]
    public void GradientLengthMismatch_Throws()
    {
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => GaussianPenalty.AddGradient(new float[3], 1.0, 1f, new float[4])).ParamName);
    }

    private static float[] Weights(int length, int seed)
    {
        var random = new Random(seed);
        var w = new float[length];
        for (int i = 0; i < length; i++)
        {
            w[i] = (float)(random.NextDouble() * 4 - 2);
        }

        return w;
    }
}
