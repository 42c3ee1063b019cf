namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>What a successful Cholesky factorisation of A needed: A + <see cref="Jitter"/>·I = L·Lᵀ.</summary>
/// <param name="Jitter">The ε added to the diagonal (0 when A factored as given).</param>
/// <param name="RelativeJitter">ε / mean(diag A) (0 when A factored as given).</param>
/// <param name="Attempts">How many factorisations were tried: 1 when A factored as given.</param>
/// <param name="SmallestPivot">The smallest pivot Lᵢᵢ² of the factor that succeeded (a cheap hint of conditioning).</param>
public readonly record struct CholeskyReport(double Jitter, double RelativeJitter, int Attempts, double SmallestPivot)
{
    /// <summary>Whether jitter had to be added.</summary>
    public bool UsedJitter => Jitter > 0;
}
