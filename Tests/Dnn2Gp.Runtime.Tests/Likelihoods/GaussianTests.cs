using System;
using Dnn2Gp.Runtime.Likelihoods;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Likelihoods;

public sealed class GaussianTests
{
    private const int Batch = 4;
    private const int K = 3;
    private const double Sigma = 0.7;

    private static readonly double[] Outputs = LikelihoodChecks.Uniform(Batch * K, -3, 3, seed: 1);
    private static readonly double[] Targets = LikelihoodChecks.Uniform(Batch * K, -3, 3, seed: 2);

    [Fact]
    public void Loss_MatchesDefinition()
    {
        double expected = 0.0;
        for (int i = 0; i < Outputs.Length; i++)
        {
            double d = Outputs[i] - Targets[i];
            expected += d * d / (2 * Sigma * Sigma) + 0.5 * Math.Log(2 * Math.PI * Sigma * Sigma);
        }

        LikelihoodChecks.AssertClose(expected, Gaussian.Loss(Outputs, Targets, Batch, K, Sigma), 1e-13 * Math.Abs(expected), "loss");
    }

    [Fact]
    public void Residual_MatchesFiniteDifferencesOfLoss()
    {
        var residual = new double[Outputs.Length];
        Gaussian.Residual(Outputs, Targets, Batch, K, Sigma, residual);
        LikelihoodChecks.ResidualMatchesLoss(f => Gaussian.Loss(f, Targets, Batch, K, Sigma), Outputs, residual);
    }

    [Fact]
    public void Hessian_MatchesFiniteDifferencesOfResidual_AndIsDiagonal()
    {
        var hessians = new double[Batch * K * K];
        hessians.AsSpan().Fill(99.0);
        Gaussian.Hessian(Outputs, Targets, Batch, K, Sigma, hessians);
        LikelihoodChecks.HessianMatchesResidual(f => Residual(f), Outputs, hessians, Batch, K);
        for (int n = 0; n < Batch; n++)
        {
            for (int i = 0; i < K; i++)
            {
                for (int j = 0; j < K; j++)
                {
                    Assert.Equal(i == j ? 1.0 / (Sigma * Sigma) : 0.0, hessians[n * K * K + i * K + j]);
                }
            }
        }
    }

    [Fact]
    public void LossAndResidual_IsScaledLossAndResidual()
    {
        const double scale = 0.37;
        var scaled = new double[Outputs.Length];
        double loss = Gaussian.LossAndResidual(Outputs, Targets, Batch, K, Sigma, scale, scaled);
        LikelihoodChecks.AssertClose(scale * Gaussian.Loss(Outputs, Targets, Batch, K, Sigma), loss, 1e-14 * Math.Abs(loss), "scaled loss");
        double[] residual = Residual(Outputs);
        for (int i = 0; i < residual.Length; i++)
        {
            LikelihoodChecks.AssertClose(scale * residual[i], scaled[i], 1e-15 * Math.Max(1.0, Math.Abs(residual[i])), $"scaled residual[{i}]");
        }
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        float[] outputs = LikelihoodChecks.ToFloat(Outputs);
        float[] targets = LikelihoodChecks.ToFloat(Targets);
        double[] outputsD = Array.ConvertAll(outputs, v => (double)v);
        double[] targetsD = Array.ConvertAll(targets, v => (double)v);

        var r32 = new float[Outputs.Length];
        var r64 = new double[Outputs.Length];
        double l32 = Gaussian.LossAndResidual(outputs, targets, Batch, K, Sigma, 0.5f, r32);
        double l64 = Gaussian.LossAndResidual(outputsD, targetsD, Batch, K, Sigma, 0.5, r64);
        LikelihoodChecks.AssertClose(l64, l32, 1e-12 * Math.Abs(l64), "loss");
        Assert.Equal(l64, Gaussian.Loss(outputs, targets, Batch, K, Sigma) * 0.5, 12);
        for (int i = 0; i < r32.Length; i++)
        {
            Assert.Equal((float)r64[i], r32[i]);
        }

        var h32 = new float[Batch * K * K];
        Gaussian.Hessian(outputs, targets, Batch, K, Sigma, h32);
        Assert.Equal((float)(1.0 / (Sigma * Sigma)), h32[0]);
        Assert.Equal(0f, h32[1]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveOrNonFiniteSigma_Throws_BeforeWriting(double sigma)
    {
        var residual = new double[Outputs.Length];
        residual.AsSpan().Fill(12345.0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.LossAndResidual(Outputs, Targets, Batch, K, sigma, 1.0, residual));
        Assert.Equal("sigma", ex.ParamName);
        Assert.All(residual, r => Assert.Equal(12345.0, r));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Loss(LikelihoodChecks.ToFloat(Outputs), LikelihoodChecks.ToFloat(Targets), Batch, K, sigma));
    }

    [Fact]
    public void ShapeMismatch_Throws()
    {
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Gaussian.Loss(Outputs, new double[5], Batch, K, Sigma)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => Gaussian.Loss(Outputs, Targets, Batch + 1, K, Sigma)).ParamName);
        Assert.Equal("residuals", Assert.Throws<ArgumentException>(() => Gaussian.Residual(Outputs, Targets, Batch, K, Sigma, new double[3])).ParamName);
        Assert.Equal("hessians", Assert.Throws<ArgumentException>(() => Gaussian.Hessian(Outputs, Targets, Batch, K, Sigma, new double[Batch * K])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Loss(Outputs, Targets, Batch, 0, Sigma));
    }

    private static double[] Residual(double[] outputs)
    {
        var residual = new double[outputs.Length];
        Gaussian.Residual(outputs, Targets, Batch, K, Sigma, residual);
        return residual;
    }
}
