using System;
using Dnn2Gp.Runtime.Likelihoods;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Likelihoods;

public sealed class BernoulliTests
{
    private const int Batch = 6;

    private static readonly double[] Outputs = LikelihoodChecks.Uniform(Batch, -4, 4, seed: 3);
    private static readonly double[] Targets = [0, 1, 1, 0, 1, 0];

    [Fact]
    public void Loss_IsNegativeLogLikelihood()
    {
        double expected = 0.0;
        for (int n = 0; n < Batch; n++)
        {
            double p = 1.0 / (1.0 + Math.Exp(-Outputs[n]));
            expected -= Targets[n] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        LikelihoodChecks.AssertClose(expected, Bernoulli.Loss(Outputs, Targets, Batch, 1), 1e-13 * expected, "loss");
    }

    [Fact]
    public void Residual_MatchesFiniteDifferencesOfLoss()
    {
        LikelihoodChecks.ResidualMatchesLoss(f => Bernoulli.Loss(f, Targets, Batch, 1), Outputs, Residual(Outputs));
    }

    [Fact]
    public void Hessian_MatchesFiniteDifferencesOfResidual()
    {
        var hessians = new double[Batch];
        Bernoulli.Hessian(Outputs, Targets, Batch, 1, hessians);
        LikelihoodChecks.HessianMatchesResidual(Residual, Outputs, hessians, Batch, 1);
        Assert.All(hessians, h => Assert.InRange(h, 0.0, 0.25));
    }

    [Fact]
    public void LossAndResidual_IsScaledLossAndResidual()
    {
        const double scale = 2.5;
        var scaled = new double[Batch];
        double loss = Bernoulli.LossAndResidual(Outputs, Targets, Batch, 1, scale, scaled);
        LikelihoodChecks.AssertClose(scale * Bernoulli.Loss(Outputs, Targets, Batch, 1), loss, 1e-14 * loss, "scaled loss");
        double[] residual = Residual(Outputs);
        for (int n = 0; n < Batch; n++)
        {
            LikelihoodChecks.AssertClose(scale * residual[n], scaled[n], 1e-15, $"scaled residual[{n}]");
        }
    }

    [Fact]
    public void ExtremeLogits_GiveFiniteResults()
    {
        double[] outputs = [1000, -1000, 1000, -1000];
        double[] targets = [1, 0, 0, 1];
        var residual = new double[4];
        var hessians = new double[4];
        double loss = Bernoulli.LossAndResidual(outputs, targets, 4, 1, 1.0, residual);
        Bernoulli.Hessian(outputs, targets, 4, 1, hessians);
        Assert.Equal(2000.0, loss); // the two confident mistakes cost 1000 each; the two hits cost e^-1000 = 0
        Assert.Equal([0.0, 0.0, 1.0, -1.0], residual);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], hessians);

        float[] outputs32 = [1000f, -1000f, 80f, -80f];
        var residual32 = new float[4];
        double loss32 = Bernoulli.LossAndResidual(outputs32, [1f, 0f, 0f, 1f], 4, 1, 1f, residual32);
        Assert.Equal(160.0, loss32, 12);
        Assert.All(residual32, r => Assert.True(float.IsFinite(r)));
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        float[] outputs = LikelihoodChecks.ToFloat(Outputs);
        double[] outputsD = Array.ConvertAll(outputs, v => (double)v);
        var r32 = new float[Batch];
        var r64 = new double[Batch];
        double l32 = Bernoulli.LossAndResidual(outputs, LikelihoodChecks.ToFloat(Targets), Batch, 1, 0.25f, r32);
        double l64 = Bernoulli.LossAndResidual(outputsD, Targets, Batch, 1, 0.25, r64);
        Assert.Equal(l64, l32, 14);
        var h32 = new float[Batch];
        var h64 = new double[Batch];
        Bernoulli.Hessian(outputs, LikelihoodChecks.ToFloat(Targets), Batch, 1, h32);
        Bernoulli.Hessian(outputsD, Targets, Batch, 1, h64);
        for (int n = 0; n < Batch; n++)
        {
            Assert.Equal((float)r64[n], r32[n]);
            Assert.Equal((float)h64[n], h32[n]);
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void InvalidTarget_Throws_BeforeWriting_NamingTheExample(double bad)
    {
        double[] targets = (double[])Targets.Clone();
        targets[3] = bad;
        var residual = new double[Batch];
        residual.AsSpan().Fill(12345.0);
        var ex = Assert.Throws<ArgumentException>(() => Bernoulli.LossAndResidual(Outputs, targets, Batch, 1, 1.0, residual));
        Assert.Equal("targets", ex.ParamName);
        Assert.Contains("Example 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0 or 1", ex.Message, StringComparison.Ordinal);
        Assert.All(residual, r => Assert.Equal(12345.0, r));

        var hessians = new float[Batch];
        hessians.AsSpan().Fill(12345f);
        Assert.Throws<ArgumentException>(() => Bernoulli.Hessian(LikelihoodChecks.ToFloat(Outputs), LikelihoodChecks.ToFloat(targets), Batch, 1, hessians));
        Assert.All(hessians, h => Assert.Equal(12345f, h));
    }

    [Fact]
    public void OutputSizeOtherThanOne_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Bernoulli.Loss(new double[4], new double[2], 2, 2));
        Assert.Equal("outputSize", ex.ParamName);
    }

    private static double[] Residual(double[] outputs)
    {
        var residual = new double[outputs.Length];
        Bernoulli.Residual(outputs, Targets, Batch, 1, residual);
        return residual;
    }
}
