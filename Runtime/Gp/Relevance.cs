using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>
/// How much an example constrains the DNN2GP posterior: tr Λ(x) = Σₖ pₖ(1 − pₖ) for softmax, s(1 − s) for Bernoulli
/// (the noise precision of its pseudo-target; FROMP's memorable-past score). Examples near the decision boundary score
/// high, confidently classified ones near zero. For a Gaussian likelihood every example scores K/σ².
/// </summary>
public static class Relevance<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Writes tr Λ(xₑ) for <paramref name="m"/> inputs [m].</summary>
    public static void Scores(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int m, Span<double> scores)
    {
        ModelArguments.CheckInputs<TNet, T>(parameters, inputs, m, nameof(inputs));
        if (scores.Length < m) throw new ArgumentException($"{TNet.Name}: 'scores' has {scores.Length:N0} elements, but {m:N0} inputs need one each.", nameof(scores));
        int k = TNet.OutputSize;
        var f = new T[(long)m * k];
        TNet.Forward(parameters, inputs, f, m);
        var p = new double[k];
        var logits = new double[k];
        for (int e = 0; e < m; e++)
        {
            for (int j = 0; j < k; j++) logits[j] = double.CreateTruncating(f[e * k + j]);
            switch (TNet.Likelihood)
            {
                case GaussianLikelihood g:
                    scores[e] = k / (g.Sigma * g.Sigma);
                    break;
                case BernoulliLikelihood:
                {
                    double s = OutputFactors.Sigmoid(logits[0]);
                    scores[e] = s * (1 - s);
                    break;
                }
                default:
                {
                    OutputFactors.Softmax<double>(logits, p);
                    double trace = 0;
                    for (int j = 0; j < k; j++) trace += p[j] * (1 - p[j]);
                    scores[e] = trace;
                    break;
                }
            }
        }
    }
}
