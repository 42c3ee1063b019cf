using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// The softmax of one task's head: p = softmax(f[head]) over the head's C output units only (the other tasks' units
/// play no part), in double. This is the likelihood FROMP trains each task with, and the one its F, Λ-scores and
/// kernels are built from — for a multi-head network it is not the network's K-way categorical likelihood.
/// </summary>
internal static class HeadSoftmax
{
    /// <summary>p (length C) from the network outputs of one example (length K).</summary>
    public static void Probabilities<T>(ReadOnlySpan<T> outputs, int headStart, Span<double> p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = p.Length;
        double max = double.NegativeInfinity;
        for (int j = 0; j < c; j++) max = Math.Max(max, double.CreateTruncating(outputs[headStart + j]));
        double sum = 0;
        for (int j = 0; j < c; j++)
        {
            p[j] = Math.Exp(double.CreateTruncating(outputs[headStart + j]) - max);
            sum += p[j];
        }
        for (int j = 0; j < c; j++) p[j] /= sum;
    }

    /// <summary>The Λ-score Σₖ pₖ(1 − pₖ), the trace of the head's softmax Hessian.</summary>
    public static double LambdaScore(ReadOnlySpan<double> p)
    {
        double score = 0;
        foreach (double pk in p) score += pk * (1 - pk);
        return score;
    }
}

/// <summary>The seeds of one continual step, written from the network outputs of the rows they belong to.</summary>
internal static class StepSeeds
{
    /// <summary>
    /// The data term: writes scale · (p − e_y) on the head's units (zero elsewhere) for <paramref name="n"/> rows, so the
    /// backward pass gives scale · ∇ Σₙ ℓₙ, and returns the unscaled loss Σₙ −log p_{yₙ}. Labels are task-relative.
    /// </summary>
    public static double Residuals<T>(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int n, int outputs, int headStart, int classes, double scale, Span<T> seeds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> p = stackalloc double[classes];
        seeds.Slice(0, n * outputs).Clear();
        double loss = 0;
        for (int e = 0; e < n; e++)
        {
            HeadSoftmax.Probabilities(f.Slice(e * outputs, outputs), headStart, p);
            int label = int.CreateTruncating(targets[e]);
            loss -= Math.Log(Math.Max(p[label], double.Epsilon));
            Span<T> row = seeds.Slice(e * outputs + headStart, classes);
            for (int j = 0; j < classes; j++) row[j] = T.CreateTruncating(scale * (p[j] - (j == label ? 1.0 : 0.0)));
        }
        return loss;
    }

    /// <summary>
    /// One past task's regulariser on its whole memory block (outputs f [n, K]): p = head softmax, Δₖ = p[:, k] − mₖ,
    /// uₖ = Kₖ⁻¹ Δₖ, and the seed of point n is Λ_H(xₙ) uₙ = pₙ ⊙ (uₙ − pₙᵀuₙ) on the head, so the backward pass gives
    /// Σₖ Gₖᵀ Kₖ⁻¹ Δₖ (Gₖ = ∂p[:, k]/∂w) for every class at once. Returns ½ Σₖ Δₖᵀ Kₖ⁻¹ Δₖ.
    /// </summary>
    public static double Regulariser<T>(ReadOnlySpan<T> f, int outputs, FunctionalPrior<T> prior, Span<T> seeds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = prior.Count, c = prior.Classes, head = prior.HeadStart;
        double[] p = prior.Probabilities, delta = prior.Residuals, u = prior.Weighted;
        for (int e = 0; e < n; e++)
        {
            HeadSoftmax.Probabilities(f.Slice(e * outputs, outputs), head, p.AsSpan(e * c, c));
            for (int k = 0; k < c; k++) delta[k * n + e] = p[e * c + k] - prior.Mean[e * c + k];
        }
        double value = prior.Weigh(delta, u);
        seeds.Slice(0, n * outputs).Clear();
        for (int e = 0; e < n; e++)
        {
            double pu = 0;
            for (int k = 0; k < c; k++) pu += p[e * c + k] * u[k * n + e];
            Span<T> row = seeds.Slice(e * outputs + head, c);
            for (int k = 0; k < c; k++) row[k] = T.CreateTruncating(p[e * c + k] * (u[k * n + e] - pu));
        }
        return value;
    }
}

/// <summary>
/// Seeds a worker's whole staged block of one step in one call: its first <c>dataRows</c> rows are minibatch rows
/// (<see cref="StepSeeds.Residuals"/>), then each memory block's rows get its task's regulariser seeds
/// (<see cref="StepSeeds.Regulariser"/>). Accumulates the minibatch loss and the regulariser.
/// </summary>
internal struct StepSeed<T>(int outputs, int headStart, int classes, double scale, int dataRows, (int Offset, FunctionalPrior<T> Prior)[] blocks) : IOutputSeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public double Loss;
    public double Value;

    public readonly int Count => 1;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds)
    {
        if (start != 0)
            throw new InvalidOperationException($"A staged step block is seeded in one call, got rows from {start}.");
        if (dataRows > 0)
            Loss += StepSeeds.Residuals(f, targets, dataRows, outputs, headStart, classes, scale, seeds);
        foreach (var (offset, prior) in blocks)
            Value += StepSeeds.Regulariser(f.Slice(offset * outputs, prior.Count * outputs), outputs, prior, seeds.Slice(offset * outputs, prior.Count * outputs));
    }
}

/// <summary>
/// The columns of a square-root factor of the head's softmax Hessian, √pₖ (e_k − p) on the head (C seeds per example,
/// zero outside the head): the factors give the exact GGN Σₙ Jₙᵀ Λ_H Jₙ of the head's likelihood, FROMP's F.
/// </summary>
internal readonly struct HeadSquareRootSeed<T>(int outputs, int headStart, int classes) : IOutputSeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => classes;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds)
    {
        Span<double> p = stackalloc double[classes];
        seeds.Slice(0, n * classes * outputs).Clear();
        for (int e = 0; e < n; e++)
        {
            HeadSoftmax.Probabilities(f.Slice(e * outputs, outputs), headStart, p);
            for (int col = 0; col < classes; col++)
            {
                double root = Math.Sqrt(p[col]);
                Span<T> row = seeds.Slice((e * classes + col) * outputs + headStart, classes);
                for (int j = 0; j < classes; j++) row[j] = T.CreateTruncating(root * ((j == col ? 1.0 : 0.0) - p[j]));
            }
        }
    }
}
