using System;
using System.Numerics;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime;

/// <summary>
/// What the source generator implements on every <c>[Network]</c> record. Runtime algorithms (trainers, and later
/// Laplace, DNN2GP and FROMP) are written against this interface, generic over <typeparamref name="TSelf"/>, so the
/// JIT specialises them per network and hot loops make no virtual calls.
/// </summary>
/// <remarks>
/// Data layout: every batch is row-major, one example per row: inputs [batch, InputSize], outputs
/// [batch, OutputSize], targets [batch, TargetSize]. Targets are the regression targets (Gaussian, TargetSize =
/// OutputSize), the 0/1 label (Bernoulli, TargetSize = 1) or the class index stored as a number (categorical,
/// TargetSize = 1). Parameters are one flat vector in PyTorch's order (see <see cref="Layout"/>).
/// </remarks>
/// <typeparam name="TSelf">The generated network record.</typeparam>
/// <typeparam name="T">The element type the network computes in (float or double).</typeparam>
public interface INetwork<TSelf, T>
    where TSelf : INetwork<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The record's name.</summary>
    static abstract string Name { get; }

    /// <summary>Input features per example.</summary>
    static abstract int InputSize { get; }

    /// <summary>Network outputs per example (K).</summary>
    static abstract int OutputSize { get; }

    /// <summary>Target values per example (see the remarks on <see cref="INetwork{TSelf,T}"/>).</summary>
    static abstract int TargetSize { get; }

    /// <summary>The number of parameters P.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>The parameter tensors in PyTorch's order and layout: per layer the weight [out, in] row-major, then the bias.</summary>
    static abstract ParameterLayout Layout { get; }

    /// <summary>The declared likelihood.</summary>
    static abstract Likelihood Likelihood { get; }

    /// <summary>The declared prior.</summary>
    static abstract Prior Prior { get; }

    /// <summary>
    /// Fills <paramref name="parameters"/> with PyTorch's default initialisation for <c>nn.Linear</c>
    /// (weights and biases uniform in ±1/√fan_in), from a seeded generator so runs are reproducible.
    /// </summary>
    static abstract void InitializeParameters(Span<T> parameters, int seed);

    /// <summary>Computes the outputs of <paramref name="batch"/> examples.</summary>
    static abstract void Forward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, Span<T> outputs, int batch);

    /// <summary>
    /// Returns <paramref name="scale"/> · Σₙ ℓ(yₙ, f(xₙ)) (the negative log-likelihood summed over the batch) and
    /// overwrites <paramref name="gradient"/> with its gradient with respect to all parameters, by reverse mode.
    /// The prior is not included (see <see cref="PriorPenalty"/> and <see cref="AddPriorGradient"/>).
    /// </summary>
    static abstract double LossAndGradient(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
        int batch, Span<T> gradient, T scale);

    /// <summary>
    /// <see cref="LossAndGradient"/> in training mode: every dropout layer drops each unit of each example with its
    /// probability p (and scales the kept ones by 1/(1−p)), with masks drawn from <paramref name="seed"/> and the example's
    /// row in the batch (reproducible, independent of how the batch is split across cores). Every other pass
    /// (<see cref="Forward"/>, <see cref="Loss"/>, <see cref="LossAndGradient"/>, all curvature) is in evaluation mode,
    /// where dropout is the identity. Networks without dropout layers do not override this: it is LossAndGradient.
    /// </summary>
    static virtual double TrainingLossAndGradient(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
        int batch, Span<T> gradient, T scale, ulong seed) =>
        TSelf.LossAndGradient(parameters, inputs, targets, batch, gradient, scale);

    /// <summary>Returns Σₙ ℓ(yₙ, f(xₙ)) without a gradient.</summary>
    static abstract double Loss(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch);

    /// <summary>Per-example output residual r = ∂ℓ/∂f, [batch, OutputSize], from the network outputs.</summary>
    static abstract void OutputResidual(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> residuals, int batch);

    /// <summary>Per-example output Hessian Λ = ∂²ℓ/∂f², [batch, OutputSize, OutputSize] (full K×K for softmax).</summary>
    static abstract void OutputHessian(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> hessians, int batch);

    /// <summary>The prior's negative log-density up to its normalising constant: ½ Σ δᵢ wᵢ².</summary>
    static abstract double PriorPenalty(ReadOnlySpan<T> parameters);

    /// <summary>Adds <paramref name="scale"/> · ∇(½ Σ δᵢ wᵢ²) = scale · δᵢ wᵢ to <paramref name="gradient"/>.</summary>
    static abstract void AddPriorGradient(ReadOnlySpan<T> parameters, Span<T> gradient, T scale);

    /// <summary>Writes the prior's Hessian diagonal δᵢ into <paramref name="diagonal"/>.</summary>
    static abstract void PriorHessianDiagonal(Span<T> diagonal);

    /// <summary>The parametrised layers in forward order: where their parameters live and their per-example sizes.</summary>
    static abstract LayerTable Layers { get; }

    /// <summary>
    /// The shared core of every curvature quantity, on one chunk of examples (serial; <see cref="Curvature.Curvature{TNet,T}"/>
    /// splits batches across cores): runs the forward pass on <paramref name="n"/> inputs, asks <paramref name="seed"/>
    /// for c seed vectors per example from the outputs (and <paramref name="targets"/>, which may be empty), propagates
    /// all c of them back through the network at once, and hands each parametrised layer's input activations and
    /// factors to <paramref name="visitor"/>, last layer first. <paramref name="start"/> is the chunk's first row in the
    /// caller's batch (passed on to the seed and the visitor). Nothing proportional to n·c·P is ever formed here.
    /// </summary>
    static abstract void BackpropagateFactors<TSeed, TVisitor>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> targets, int start, int n, ref TSeed seed, ref TVisitor visitor)
        where TSeed : struct, IOutputSeed<T>
        where TVisitor : struct, IFactorVisitor<T>;

    /// <summary>
    /// Forward mode on one chunk (serial): writes the outputs f(x) [n, K] (unless <paramref name="outputs"/> is empty)
    /// and the directional derivatives J(x) v [n, K] along the parameter tangent <paramref name="tangent"/> [P].
    /// </summary>
    static abstract void ForwardTangent(ReadOnlySpan<T> parameters, ReadOnlySpan<T> tangent, ReadOnlySpan<T> inputs,
        Span<T> outputs, Span<T> tangentOutputs, int n);
}
