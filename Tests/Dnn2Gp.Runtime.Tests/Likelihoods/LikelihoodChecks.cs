using System;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Likelihoods;

/// <summary>Finite-difference checks shared by the likelihood tests, all in double.</summary>
internal static class LikelihoodChecks
{
    private const double Step = 1e-5;

    /// <summary>residual[i] against the central difference of Σₙ ℓₙ in output i.</summary>
    public static void ResidualMatchesLoss(Func<double[], double> loss, double[] outputs, double[] residual)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            double fd = CentralDifference(f => loss(f), outputs, i);
            AssertClose(fd, residual[i], 1e-7 * Math.Max(1.0, Math.Abs(fd)), $"residual[{i}] vs d(loss)/d(output[{i}])");
        }
    }

    /// <summary>Λₙ[k, l] against the central difference of r[n, k] in output f[n, l]; entries across examples are 0 by construction.</summary>
    public static void HessianMatchesResidual(Func<double[], double[]> residual, double[] outputs, double[] hessians, int batch, int k)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int l = 0; l < k; l++)
            {
                int column = n * k + l;
                double[] plus = Perturbed(outputs, column, Step, out double hp);
                double[] minus = Perturbed(outputs, column, -Step, out double hm);
                double[] rPlus = residual(plus);
                double[] rMinus = residual(minus);
                for (int row = 0; row < rPlus.Length; row++)
                {
                    double fd = (rPlus[row] - rMinus[row]) / (hp - hm);
                    bool sameExample = row / k == n;
                    double analytic = sameExample ? hessians[n * k * k + (row % k) * k + l] : 0.0;
                    AssertClose(fd, analytic, 1e-7 * Math.Max(1.0, Math.Abs(fd)), $"Λ: d r[{row}] / d f[{column}]");
                }
            }
        }
    }

    public static void AssertClose(double expected, double actual, double bound, string what)
    {
        if (!(Math.Abs(actual - expected) <= bound))
        {
            Assert.Fail($"{what}: expected {expected:R}, actual {actual:R}, |diff| {Math.Abs(actual - expected):E3} > {bound:E3}.");
        }
    }

    public static double[] Uniform(int length, double low, double high, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }

        return values;
    }

    public static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double CentralDifference(Func<double[], double> function, double[] at, int index)
    {
        double[] plus = Perturbed(at, index, Step, out double hp);
        double[] minus = Perturbed(at, index, -Step, out double hm);
        return (function(plus) - function(minus)) / (hp - hm);
    }

    private static double[] Perturbed(double[] at, int index, double step, out double position)
    {
        double[] copy = (double[])at.Clone();
        copy[index] += step;
        position = copy[index];
        return copy;
    }
}
