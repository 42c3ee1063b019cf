using System;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// A shape-specialised loss-and-gradient kernel in two phases, run by
/// <see cref="BatchParallel.LossAndGradient{TKernel,T}"/>. The row phase (forward pass, likelihood residual and the
/// backward pass of the deltas ∂ℓ/∂z) is independent per example, so each worker runs it on its own rows. The weight
/// phase (∂ℓ/∂W = Σₙ δₙ aₙᵀ and the bias sums) then runs once over the whole batch, each worker computing its own
/// columns of every layer's gradient: no worker needs a gradient buffer of its own, no partial gradients are added,
/// and the GEMMs see the whole batch as their inner dimension.
/// </summary>
/// <remarks>
/// The workspace holds every per-example value of the batch, value by value: value v of example n at
/// <c>batch · offset(v) + n · width(v)</c>, so that each value is one row-major [batch, width] matrix that the weight
/// phase reads whole. The row phase writes the rows of its examples; the weight phase only reads.
/// </remarks>
public interface IGradientKernel<T> where T : unmanaged
{
    /// <summary>Elements of workspace per example.</summary>
    static abstract int Workspace { get; }

    /// <summary>
    /// Forward, residual and deltas for the examples [start, start + count) of the batch (whole <paramref name="inputs"/>
    /// and <paramref name="targets"/>, and the whole batch's <paramref name="workspace"/>); returns scale · Σ ℓ over them.
    /// </summary>
    static abstract double Rows(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
        Span<T> workspace, int batch, int start, int count, T scale);

    /// <summary>
    /// Writes part <paramref name="part"/> of <paramref name="parts"/> of the gradient (the columns
    /// <see cref="BatchParallel.Columns"/> gives it, of every layer) from the whole batch's workspace.
    /// </summary>
    static abstract void Weights(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> workspace,
        Span<T> gradient, int batch, int part, int parts);
}
