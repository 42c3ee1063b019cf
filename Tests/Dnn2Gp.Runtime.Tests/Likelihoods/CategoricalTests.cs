using System;
using Dnn2Gp.Runtime.Likelihoods;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Likelihoods;

public sealed class CategoricalTests
{
    private const int Batch = 4;
    private const int K = 5;

    private static readonly double[] Outputs = LikelihoodChecks.Uniform(Batch * K, -3, 3, seed: 4);
    private static readonly double[] Targets = [0, 4, 2, 2];

    [Fact]
    public void Loss_IsNegativeLogSoftmax()
    {
        double expected = 0.0;
        for (int n = 0; n < Batch; n++)
        {
            double sum = 0.0;
            for (int k = 0; k < K; k++)
            {
                sum += Math.Exp(Outputs[n * K + k]);
            }

            expected -= Math.Log(Math.Exp(Outputs[n * K + (int)Targets[n]]) / sum);
        }

        LikelihoodChecks.AssertClose(expected, Categorical.Loss(Outputs, Targets, Batch, K), 1e-13 * expected, "loss");
    }

    [Fact]
    public void Residual_MatchesFiniteDifferencesOfLoss()
    {
        LikelihoodChecks.ResidualMatchesLoss(f => Categorical.Loss(f, Targets, Batch, K), Outputs, Residual(Outputs));
    }

    [Fact]
    public void Hessian_MatchesFiniteDifferencesOfResidual()
    {
        LikelihoodChecks.HessianMatchesResidual(Residual, Outputs, Hessians(Outputs), Batch, K);
    }

    [Fact]
    public void Hessian_IsSymmetric_PositiveSemidefinite_WithZeroRowSums()
    {
        double[] outputs = [.. Outputs, 1000, -1000, 0, 999, -999];
        int batch = Batch + 1;
        var hessians = new double[batch * K * K];
        Categorical.Hessian(outputs, [.. Targets, 1], batch, K, hessians);
        var random = new Random(5);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<double> h = hessians.AsSpan(n * K * K, K * K);
            for (int i = 0; i < K; i++)
            {
                double rowSum = 0.0;
                for (int j = 0; j < K; j++)
                {
                    Assert.Equal(h[i * K + j], h[j * K + i]);
                    rowSum += h[i * K + j];
                }

                LikelihoodChecks.AssertClose(0.0, rowSum, 1e-15, $"example {n}, row {i} sum");
            }

            for (int trial = 0; trial < 100; trial++)
            {
                double quadratic = 0.0;
                double norm = 0.0;
                var v = new double[K];
                for (int i = 0; i < K; i++)
                {
                    v[i] = random.NextDouble() * 2 - 1;
                    norm += v[i] * v[i];
                }

                for (int i = 0; i < K; i++)
                {
                    for (int j = 0; j < K; j++)
                    {
                        quadratic += v[i] * h[i * K + j] * v[j];
                    }
                }

                Assert.True(quadratic >= -1e-12 * norm, $"example {n}: vᵀΛv = {quadratic:R} < 0");
            }
        }
    }

    [Fact]
    public void LossAndResidual_IsScaledLossAndResidual()
    {
        const double scale = 0.125;
        var scaled = new double[Outputs.Length];
        double loss = Categorical.LossAndResidual(Outputs, Targets, Batch, K, scale, scaled);
        LikelihoodChecks.AssertClose(scale * Categorical.Loss(Outputs, Targets, Batch, K), loss, 1e-14 * loss, "scaled loss");
        double[] residual = Residual(Outputs);
        for (int i = 0; i < residual.Length; i++)
        {
            LikelihoodChecks.AssertClose(scale * residual[i], scaled[i], 1e-16, $"scaled residual[{i}]");
        }
    }

    [Fact]
    public void ExtremeLogits_GiveFiniteResults()
    {
        double[] outputs = [1000, -1000, 0, 999, -999, -1000, -1000, -1000, -1000, 1000];
        double[] targets = [1, 4];
        var residual = new double[10];
        double loss = Categorical.LossAndResidual(outputs, targets, 2, K, 1.0, residual);
        double expected = 2000 + Math.Log(1 + Math.Exp(-1)); // logsumexp(row 0) − (−1000), plus 0 for row 1
        LikelihoodChecks.AssertClose(expected, loss, 1e-12 * expected, "loss");
        Assert.All(residual, r => Assert.True(double.IsFinite(r)));
        LikelihoodChecks.AssertClose(-1.0, residual[1], 1e-15, "residual of the true class");

        var residual32 = new float[10];
        double loss32 = Categorical.LossAndResidual(LikelihoodChecks.ToFloat(outputs), LikelihoodChecks.ToFloat(targets), 2, K, 1f, residual32);
        Assert.True(double.IsFinite(loss32));
        Assert.All(residual32, r => Assert.True(float.IsFinite(r)));
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        float[] outputs = LikelihoodChecks.ToFloat(Outputs);
        double[] outputsD = Array.ConvertAll(outputs, v => (double)v);
        float[] targets = LikelihoodChecks.ToFloat(Targets);
        var r32 = new float[Outputs.Length];
        var r64 = new double[Outputs.Length];
        double l32 = Categorical.LossAndResidual(outputs, targets, Batch, K, 0.5f, r32);
        double l64 = Categorical.LossAndResidual(outputsD, Targets, Batch, K, 0.5, r64);
        Assert.Equal(l64, l32, 14);
        var h32 = new float[Batch * K * K];
        double[] h64 = Hessians(outputsD);
        Categorical.Hessian(outputs, targets, Batch, K, h32);
        for (int i = 0; i < r32.Length; i++)
        {
            Assert.Equal((float)r64[i], r32[i]);
        }

        for (int i = 0; i < h32.Length; i++)
        {
            Assert.Equal((float)h64[i], h32[i]);
        }
    }

    [Fact]
    public void ManyClasses_UseAPooledBuffer()
    {
        const int classes = 300; // above the stackalloc limit
        double[] outputs = LikelihoodChecks.Uniform(2 * classes, -2, 2, seed: 6);
        var hessians = new double[2 * classes * classes];
        Categorical.Hessian(outputs, [7, 299], 2, classes, hessians);
        var residual = new double[2 * classes];
        Categorical.Residual(outputs, [7, 299], 2, classes, residual);
        for (int n = 0; n < 2; n++)
        {
            for (int i = 0; i < classes; i++)
            {
                double p = residual[n * classes + i] + (i == (n == 0 ? 7 : 299) ? 1.0 : 0.0);
                LikelihoodChecks.AssertClose(p * (1 - p), hessians[n * classes * classes + i * classes + i], 1e-15, $"Λ[{n}][{i},{i}]");
            }
        }
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(5.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidTarget_Throws_BeforeWriting_NamingTheExample(double bad)
    {
        double[] targets = (double[])Targets.Clone();
        targets[2] = bad;
        var residual = new double[Outputs.Length];
        residual.AsSpan().Fill(12345.0);
        var ex = Assert.Throws<ArgumentException>(() => Categorical.LossAndResidual(Outputs, targets, Batch, K, 1.0, residual));
        Assert.Equal("targets", ex.ParamName);
        Assert.Contains("Example 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 5)", ex.Message, StringComparison.Ordinal);
        Assert.All(residual, r => Assert.Equal(12345.0, r));

        var hessians = new float[Batch * K * K];
        hessians.AsSpan().Fill(12345f);
        Assert.Throws<ArgumentException>(() => Categorical.Hessian(LikelihoodChecks.ToFloat(Outputs), LikelihoodChecks.ToFloat(targets), Batch, K, hessians));
        Assert.All(hessians, h => Assert.Equal(12345f, h));
    }

    [Fact]
    public void FewerThanTwoClasses_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Categorical.Loss(new double[2], new double[2], 2, 1));
        Assert.Equal("outputSize", ex.ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Categorical.Loss(Outputs, new double[Batch * K], Batch, K)).ParamName);
    }

    private static double[] Residual(double[] outputs)
    {
        var residual = new double[outputs.Length];
        Categorical.Residual(outputs, Targets, Batch, K, residual);
        return residual;
    }

    private static double[] Hessians(double[] outputs)
    {
        var hessians = new double[Batch * K * K];
        Categorical.Hessian(outputs, Targets, Batch, K, hessians);
        return hessians;
    }
}
