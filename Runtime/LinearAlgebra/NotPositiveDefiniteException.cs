using System;
using System.Globalization;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// A symmetric matrix did not have a Cholesky factor, even after the jitter its <see cref="JitterPolicy"/> allowed.
/// The message names the matrix, its size, where the factorisation broke down and what to do about it.
/// </summary>
public sealed class NotPositiveDefiniteException : ArithmeticException
{
    /// <summary>Creates the exception from the facts of the last failed attempt.</summary>
    public NotPositiveDefiniteException(string matrixName, int order, int pivotIndex, double pivot, double smallestPivot,
        double largestJitter, double largestRelativeJitter, int attempts, string? detail = null)
        : base(Describe(matrixName, order, pivotIndex, pivot, smallestPivot, largestJitter, largestRelativeJitter, attempts, detail))
    {
        MatrixName = matrixName;
        Order = order;
        PivotIndex = pivotIndex;
        Pivot = pivot;
        SmallestPivot = smallestPivot;
        LargestJitter = largestJitter;
        Attempts = attempts;
    }

    /// <summary>The caller's name for the matrix, e.g. "posterior precision (P×P)".</summary>
    public string MatrixName { get; }

    /// <summary>The order n of the n×n matrix.</summary>
    public int Order { get; }

    /// <summary>The 0-based pivot (row) at which the last attempt failed.</summary>
    public int PivotIndex { get; }

    /// <summary>The value of the failed pivot in the last attempt (the would-be Lᵢᵢ², zero, negative or NaN).</summary>
    public double Pivot { get; }

    /// <summary>The smallest pivot value seen in the last attempt.</summary>
    public double SmallestPivot { get; }

    /// <summary>The largest jitter ε added to the diagonal (0 when jitter was forbidden).</summary>
    public double LargestJitter { get; }

    /// <summary>How many factorisations were tried.</summary>
    public int Attempts { get; }

    private static string Describe(string name, int n, int pivotIndex, double pivot, double smallest, double jitter,
        double relative, int attempts, string? detail)
    {
        var c = CultureInfo.InvariantCulture;
        string tried = detail is not null ? detail
            : attempts <= 1 ? "No jitter was allowed (JitterPolicy.None)."
            : string.Create(c, $"{attempts} attempts were made, the last with jitter {jitter:G3}·I ({relative:G3} × the mean diagonal), the top of the jitter ladder.");
        return string.Create(c,
            $"The {name} ({n}×{n}) is not positive definite: its Cholesky factorisation failed at pivot {pivotIndex} " +
            $"(value {pivot:G6}; smallest pivot seen {smallest:G6}). {tried} ") +
            "Check the matrix for NaN or a sign error; if it is positive semi-definite by construction (a GGN, a kernel " +
            "Gram matrix), make it better conditioned: raise the prior precision or the noise/jitter added to its diagonal, " +
            "or allow a longer jitter ladder.";
    }
}
