using System;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// Receives, from a generated network's <c>Backpropagate</c>, what every curvature quantity is built from: the network
/// outputs of a chunk of examples, then for each parametrised layer (last layer first) the layer's input activations
/// [n, <see cref="LayerInfo.InputSize"/>] and the back-propagated factors [n, c, <see cref="LayerInfo.OutputSize"/>]
/// of the c seeds per example (see <see cref="IOutputSeed{T}"/>).
/// </summary>
/// <remarks>
/// Implementations are structs passed by reference, so the JIT specialises the generated pass per visitor and the
/// calls are direct. Per-layer rules for each layer kind live in <c>DenseRules</c> (and <c>Conv2DRules</c>): one place
/// per primitive for all its curvature rules. The spans are valid only during the call.
/// </remarks>
public interface IFactorVisitor<T> where T : unmanaged
{
    /// <summary>
    /// Starts a chunk: examples <paramref name="start"/> … start+n−1 of the caller's batch, with their network outputs
    /// [n, K], after the forward pass and before any layer.
    /// </summary>
    void Begin(int start, int n, ReadOnlySpan<T> outputs);

    /// <summary>One parametrised layer of the chunk: its input activations [n, in] and factors [n, c, out].</summary>
    void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c);

    /// <summary>Ends the chunk, after its first layer (the last one visited).</summary>
    void End();
}

/// <summary>
/// What a generated backward pass propagates: c seed vectors per example, each a K-vector u such that the factors of a
/// layer are the derivatives of uᵀ f(x) with respect to its pre-activations. The identity seeds (c = K) give the
/// Jacobian; the columns of a square-root factor S of Λ = S Sᵀ give the exact GGN; the residual gives the gradient.
/// </summary>
public interface IOutputSeed<T> where T : unmanaged
{
    /// <summary>Seeds per example (c).</summary>
    int Count { get; }

    /// <summary>
    /// Writes the seeds of examples start … start+n−1 of the caller's batch into <paramref name="seeds"/> [n, c, K],
    /// given their network outputs [n, K] and targets [n, TargetSize] (empty when the pass was given none).
    /// </summary>
    void Fill(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int start, int n, Span<T> seeds);
}
