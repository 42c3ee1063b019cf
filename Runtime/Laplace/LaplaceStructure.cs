namespace Dnn2Gp.Runtime.Laplace;

/// <summary>The structure of a Laplace posterior's precision (all of them from the exact GGN of the declared likelihood).</summary>
public enum LaplaceStructure
{
    /// <summary>The dense P × P precision GGN + P₀ (small networks; the plan refuses ones that cannot fit).</summary>
    Full,

    /// <summary>Its diagonal: diag(GGN) + P₀, exact with the full softmax Λ.</summary>
    Diagonal,

    /// <summary>Per layer (G ⊗ A)/N + δₗ I over the bias-augmented weight, kept as eigendecompositions of A and G.</summary>
    Kfac,

    /// <summary>The dense GGN of the last layer's parameters only (the rest fixed at w*).</summary>
    LastLayer,
}
