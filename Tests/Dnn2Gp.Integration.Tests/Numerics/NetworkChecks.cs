using System;
using Dnn2Gp.Runtime;
using Xunit;

namespace Dnn2Gp.Integration.Tests.Numerics;

/// <summary>
/// Checks of a generated double-precision network against central finite differences: the loss gradient by
/// reverse mode, the prior's gradient and Hessian diagonal, the output residual r and the output Hessian Λ.
/// </summary>
internal static class NetworkChecks
{
    /// <summary>Relative error allowed between an analytic derivative and its central difference, in double.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>Below this magnitude an error is measured absolutely (a component that is exactly 0 on both sides).</summary>
    private const double Floor = 1e-3;

    public static (double[] Parameters, double[] Inputs, double[] Targets) RandomProblem<TNet>(int batch, int seed)
        where TNet : INetwork<TNet, double>
    {
        var random = new Random(seed);
        var parameters = new double[TNet.ParameterCount];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = 0.8 * Normal(random);
        var inputs = new double[batch * TNet.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = Normal(random);
        var targets = new double[batch * TNet.TargetSize];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = TNet.Likelihood switch
            {
                GaussianLikelihood => Normal(random),
                BernoulliLikelihood => random.Next(2),
                CategoricalLikelihood => random.Next(TNet.OutputSize),
                _ => throw new InvalidOperationException($"no targets for {TNet.Likelihood}"),
            };
        }
        return (parameters, inputs, targets);
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    public static void AssertClose(double expected, double actual, string what, double tolerance = Tolerance)
    {
        double error = Math.Abs(expected - actual) / Math.Max(Floor, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(error < tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2} >= {tolerance:E0})");
    }

    /// <summary>The reverse-mode gradient of the loss against central differences, for every parameter.</summary>
    public static void CheckLossGradient<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 6;
        var (p, x, y) = RandomProblem<TNet>(batch, seed);
        var gradient = new double[p.Length];
        double loss = TNet.LossAndGradient(p, x, y, batch, gradient, 1.0);
        AssertClose(TNet.Loss(p, x, y, batch), loss, $"{TNet.Name}: LossAndGradient's loss vs Loss", 1e-12);

        var scaled = new double[p.Length];
        double scaledLoss = TNet.LossAndGradient(p, x, y, batch, scaled, 0.25);
        AssertClose(0.25 * loss, scaledLoss, $"{TNet.Name}: loss scaled by 0.25", 1e-12);

        for (int i = 0; i < p.Length; i++)
        {
            AssertClose(0.25 * gradient[i], scaled[i], $"{TNet.Name}: gradient scaled by 0.25, parameter {i}", 1e-12);
            double original = p[i], h = 1e-5 * Math.Max(1.0, Math.Abs(original));
            p[i] = original + h;
            double plus = TNet.Loss(p, x, y, batch);
            p[i] = original - h;
            double minus = TNet.Loss(p, x, y, batch);
            p[i] = original;
            AssertClose((plus - minus) / (2 * h), gradient[i], $"{TNet.Name}: ∂loss/∂{Describe<TNet>(i)}");
        }
    }

    /// <summary>The prior's gradient and Hessian diagonal against central differences of its penalty.</summary>
    public static void CheckPrior<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        var (p, _, _) = RandomProblem<TNet>(1, seed);
        var gradient = new double[p.Length];
        TNet.AddPriorGradient(p, gradient, 1.0);
        var diagonal = new double[p.Length];
        TNet.PriorHessianDiagonal(diagonal);
        for (int i = 0; i < p.Length; i++)
        {
            double original = p[i], h = 1e-4;
            p[i] = original + h;
            double plus = TNet.PriorPenalty(p);
            p[i] = original - h;
            double minus = TNet.PriorPenalty(p);
            p[i] = original;
            double center = TNet.PriorPenalty(p);
            AssertClose((plus - minus) / (2 * h), gradient[i], $"{TNet.Name}: prior gradient, {Describe<TNet>(i)}");
            AssertClose((plus - 2 * center + minus) / (h * h), diagonal[i], $"{TNet.Name}: prior Hessian, {Describe<TNet>(i)}", 1e-5);
        }
    }

    /// <summary>
    /// r = ∂ℓ/∂f: its sum over the batch equals the gradient of the last bias; Λ = ∂r/∂f against central differences
    /// of r; Λ symmetric and positive semi-definite, with rows summing to zero for the softmax.
    /// </summary>
    public static void CheckOutputDerivatives<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 5;
        int k = TNet.OutputSize;
        var (p, x, y) = RandomProblem<TNet>(batch, seed);
        var f = new double[batch * k];
        TNet.Forward(p, x, f, batch);
        var r = new double[batch * k];
        TNet.OutputResidual(f, y, r, batch);

        var gradient = new double[p.Length];
        TNet.LossAndGradient(p, x, y, batch, gradient, 1.0);
        var lastBias = TNet.Layout[TNet.Layout.Count - 1];
        Assert.EndsWith(".bias", lastBias.Name);
        for (int j = 0; j < k; j++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++) sum += r[n * k + j];
            AssertClose(gradient[lastBias.Offset + j], sum, $"{TNet.Name}: Σₙ rₙ[{j}] vs ∂loss/∂{lastBias.Name}[{j}]", 1e-10);
        }

        var hessian = new double[batch * k * k];
        TNet.OutputHessian(f, y, hessian, batch);
        var rPlus = new double[batch * k];
        var rMinus = new double[batch * k];
        var random = new Random(seed);
        for (int n = 0; n < batch; n++)
        {
            for (int j = 0; j < k; j++)
            {
                int at = n * k + j;
                double original = f[at], h = 1e-5;
                f[at] = original + h;
                TNet.OutputResidual(f, y, rPlus, batch);
                f[at] = original - h;
                TNet.OutputResidual(f, y, rMinus, batch);
                f[at] = original;
                for (int i = 0; i < k; i++)
                {
                    double fd = (rPlus[n * k + i] - rMinus[n * k + i]) / (2 * h);
                    AssertClose(fd, hessian[(n * k + i) * k + j], $"{TNet.Name}: Λ[{n}][{i},{j}]");
                    Assert.Equal(hessian[(n * k + i) * k + j], hessian[(n * k + j) * k + i], 14);
                }
            }
            for (int trial = 0; trial < 10; trial++)
            {
                var v = new double[k];
                for (int i = 0; i < k; i++) v[i] = Normal(random);
                double quadratic = 0;
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++) quadratic += v[i] * hessian[(n * k + i) * k + j] * v[j];
                Assert.True(quadratic >= -1e-12, $"{TNet.Name}: vᵀΛv = {quadratic} < 0 for example {n}");
            }
            if (TNet.Likelihood is CategoricalLikelihood)
            {
                for (int i = 0; i < k; i++)
                {
                    double rowSum = 0;
                    for (int j = 0; j < k; j++) rowSum += hessian[(n * k + i) * k + j];
                    Assert.True(Math.Abs(rowSum) < 1e-14, $"{TNet.Name}: row {i} of the softmax Λ of example {n} sums to {rowSum}");
                }
            }
        }
    }

    private static string Describe<TNet>(int index) where TNet : INetwork<TNet, double>
    {
        foreach (var tensor in TNet.Layout)
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length) return $"{tensor.Name}[{index - tensor.Offset}]";
        }
        return $"parameter {index}";
    }
}
