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

/// <summary>
/// Seeds the data term: the residual scale · (p − e_y) of the head's cross-entropy on the head's units (zero elsewhere),
/// so the backward pass gives scale · ∇ Σₙ ℓₙ. Accumulates the unscaled loss Σₙ −log p_{yₙ} in <see cref="Loss"/>.
/// Targets are task-relative labels 0…C−1.
/// </summary>
internal struct HeadCrossEntropySeed<T>(int outputs, int headStart, int classes, double scale) : IOutputSeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public double Loss;

    public readonly int Count => 1;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds)
    {
        Span<double> p = stackalloc double[classes];
        seeds.Slice(0, n * outputs).Clear();
        for (int e = 0; e < n; e++)
        {
            HeadSoftmax.Probabilities(f.Slice(e * outputs, outputs), headStart, p);
            int label = int.CreateTruncating(targets[e]);
            Loss -= Math.Log(Math.Max(p[label], double.Epsilon));
            Span<T> row = seeds.Slice(e * outputs + headStart, classes);
            for (int j = 0; j < classes; j++) row[j] = T.CreateTruncating(scale * (p[j] - (j == label ? 1.0 : 0.0)));
        }
    }
}

/// <summary>
/// Seeds one past task's functional regulariser on its whole memory block in one call: from the outputs f of the memorable
/// points, p = head softmax, Δₖ = p[:, k] − mₖ, uₖ = Kₖ⁻¹ Δₖ, and the seed of point n is Λ_H(xₙ) uₙ = pₙ ⊙ (uₙ − pₙᵀuₙ) on
/// the head, so the backward pass gives Σₖ Gₖᵀ Kₖ⁻¹ Δₖ (Gₖ = ∂p[:, k]/∂w) for every class at once. Accumulates
/// ½ Σₖ Δₖᵀ Kₖ⁻¹ Δₖ in <see cref="Value"/>.
/// </summary>
internal struct FunctionalSeed<T>(int outputs, FunctionalPrior<T> prior) : IOutputSeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public double Value;

    public readonly int Count => 1;

    public void Fill(ReadOnlySpan<T> f, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds)
    {
        if (start != 0 || n != prior.Count)
            throw new InvalidOperationException($"The regulariser of task {prior.TaskIndex + 1} needs its {prior.Count} memorable points in one block, got rows {start}..{start + n - 1}.");
        int c = prior.Classes, head = prior.HeadStart;
        double[] p = prior.Probabilities, delta = prior.Residuals, u = prior.Weighted;
        for (int e = 0; e < n; e++)
        {
            HeadSoftmax.Probabilities(f.Slice(e * outputs, outputs), head, p.AsSpan(e * c, c));
            for (int k = 0; k < c; k++) delta[k * n + e] = p[e * c + k] - prior.Mean[e * c + k];
        }
        Value += prior.Weigh(delta, u);
        seeds.Slice(0, n * outputs).Clear();
        for (int e = 0; e < n; e++)
        {
            double pu = 0;
            for (int k = 0; k < c; k++) pu += p[e * c + k] * u[k * n + e];
            Span<T> row = seeds.Slice(e * outputs + head, c);
            for (int k = 0; k < c; k++) row[k] = T.CreateTruncating(p[e * c + k] * (u[k * n + e] - pu));
        }
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
