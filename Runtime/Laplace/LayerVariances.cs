namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// One layer's parameter covariance in the form the per-example functional covariance contracts: variances S
/// [WeightRows, AugmentedColumns] over the bias-augmented weight [W | b], in the basis given by the optional rotations
/// (a KFAC eigenbasis: Σₗ = (Q_G ⊗ Q_A) diag(S) (Q_G ⊗ Q_A)ᵀ), or one variance shared by the whole layer.
/// </summary>
internal sealed class LayerVariances
{
    private LayerVariances(double[]? variances, double shared, double[]? left, double[]? right)
    {
        Variances = variances;
        Shared = shared;
        Left = left;
        Right = right;
    }

    /// <summary>S [rows, columns] row-major, or null when <see cref="Shared"/> applies to every parameter.</summary>
    public double[]? Variances { get; }

    /// <summary>The one variance of the layer when <see cref="Variances"/> is null.</summary>
    public double Shared { get; }

    /// <summary>Q_G (rows × rows, eigenvectors in columns), or null for the identity.</summary>
    public double[]? Left { get; }

    /// <summary>Q_A (columns × columns, eigenvectors in columns), or null for the identity.</summary>
    public double[]? Right { get; }

    public static LayerVariances Isotropic(double variance) => new(null, variance, null, null);

    public static LayerVariances Diagonal(double[] variances) => new(variances, 0, null, null);

    public static LayerVariances Eigenbasis(double[] left, double[] right, double[] variances) => new(variances, 0, left, right);
}
