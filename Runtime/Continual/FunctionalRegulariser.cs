using System;
using System.Collections.Generic;
using System.Numerics;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// FROMP's functional regulariser R(w) = ½ Σₛ Σₖ (mₛₖ(w) − mₛₖ)ᵀ Kₛₖ⁻¹ (mₛₖ(w) − mₛₖ) over a set of past tasks'
/// <see cref="FunctionalPrior{T}"/>s, with mₛₖ(w) the head-softmax probabilities of class k on task s's memorable points,
/// and its gradient with the kernels held fixed, Σₛ Σₖ Gₛₖ(w)ᵀ Kₛₖ⁻¹ Δₛₖ (what <see cref="ContinualLearner{TNet,T}"/>
/// adds to the data gradient at every step).
/// </summary>
public static class FunctionalRegulariser
{
    /// <summary>R(w) from one forward pass per prior.</summary>
    public static double Value<TNet, T>(ReadOnlySpan<T> parameters, IReadOnlyList<FunctionalPrior<T>> priors)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(priors);
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        int k = TNet.OutputSize;
        double value = 0;
        foreach (FunctionalPrior<T> prior in priors)
        {
            Check<TNet, T>(prior);
            int n = prior.Count, c = prior.Classes;
            var outputs = new T[n * k];
            TNet.Forward(parameters, prior.Inputs, outputs, n);
            var p = new double[c];
            var delta = new double[n * c];
            for (int e = 0; e < n; e++)
            {
                HeadSoftmax.Probabilities<T>(outputs.AsSpan(e * k, k), prior.HeadStart, p);
                for (int j = 0; j < c; j++) delta[j * n + e] = p[j] - prior.Mean[e * c + j];
            }
            value += prior.Weigh(delta, new double[n * c]);
        }
        return value;
    }

    /// <summary>
    /// Overwrites <paramref name="gradient"/> with ∇R(w) (kernels fixed) and returns R(w): one backward pass per prior,
    /// every class of a task in the same pass.
    /// </summary>
    public static double Gradient<TNet, T>(ReadOnlySpan<T> parameters, IReadOnlyList<FunctionalPrior<T>> priors, Span<T> gradient)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(priors);
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        NetworkArguments.CheckGradient(TNet.Name, gradient.Length, TNet.ParameterCount);
        foreach (FunctionalPrior<T> prior in priors) Check<TNet, T>(prior);
        var workspace = new StepWorkspace<T>(TNet.ParameterCount, Environment.ProcessorCount);
        return ContinualPasses<TNet, T>.Gradient(parameters, default, default, 0, 0, 2, 0, priors, workspace, gradient).Regulariser;
    }

    private static void Check<TNet, T>(FunctionalPrior<T> prior)
        where TNet : INetwork<TNet, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prior);
        MemorablePoints.CheckHead(TNet.Name, TNet.OutputSize, prior.HeadStart, prior.Classes);
        if (prior.InputSize != TNet.InputSize)
            throw new ArgumentException($"The prior of task {prior.TaskIndex + 1} has {prior.InputSize} inputs per point, but {TNet.Name} takes {TNet.InputSize}.", nameof(prior));
    }
}
