using System.Threading;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The dense GGN of a full or last-layer posterior (d × d, at the declared likelihood), shared by every posterior rebuilt
/// from it with other hyperparameters, with its eigendecomposition computed on first use: then log det(s·GGN + δI) and
/// tr (s·GGN + δI)⁻¹ cost O(d) per (δ, s).
/// </summary>
internal sealed class DenseCurvature(double[] ggn, int dimension)
{
    private EigenSystem? _eigen;

    /// <summary>The GGN, d × d row-major, symmetric.</summary>
    public double[] Ggn { get; } = ggn;

    /// <summary>d.</summary>
    public int Dimension { get; } = dimension;

    /// <summary>GGN = Q diag(λ) Qᵀ (computed once, thread-safe).</summary>
    public EigenSystem Eigen => LazyInitializer.EnsureInitialized(ref _eigen, () => EigenSystem.Compute(Ggn, Dimension, $"GGN ({Dimension}×{Dimension})"));

    /// <summary>Whether the eigendecomposition has been computed.</summary>
    public bool HasEigen => _eigen is not null;
}
