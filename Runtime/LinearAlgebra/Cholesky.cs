using System;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Cholesky factorisation A (+ ε·I) = L·Lᵀ of a symmetric positive-definite n×n row-major matrix, with the jitter
/// ladder of <see cref="JitterPolicy"/> and a <see cref="NotPositiveDefiniteException"/> when even that fails.
/// </summary>
/// <remarks>
/// Only the lower triangle of A (diagonal included) is read. It is written by hand, blocked right-looking on the
/// project's GEMM (see <see cref="CholeskyKernel"/>): the managed libraries available (MathNet.Numerics' managed
/// provider) factor column by column and are many times slower at the orders of a GGN or a GP kernel (thousands).
/// </remarks>
public static unsafe class Cholesky
{
    /// <summary>
    /// Factors A into a new <see cref="CholeskyFactor"/>, adding jitter as <paramref name="policy"/> allows
    /// (<see cref="JitterPolicy.Default"/> if not given). <paramref name="matrixName"/> names A in error messages, e.g.
    /// "posterior precision (P×P)".
    /// </summary>
    /// <exception cref="ArgumentException">A is too short for n×n or holds a NaN or infinity in its lower triangle.</exception>
    /// <exception cref="NotPositiveDefiniteException">A + ε·I did not factor for any ε of the ladder.</exception>
    public static CholeskyFactor Factor(ReadOnlySpan<double> a, int n, JitterPolicy? policy = null, string matrixName = "matrix")
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        var lower = new double[(long)n * n];
        CholeskyReport report = FactorInto(a, n, lower, policy, matrixName);
        return new CholeskyFactor(lower, n, report);
    }

    /// <summary>
    /// Factors A into the caller's <paramref name="lower"/> (n×n row-major: L in the lower triangle, zeros above), adding
    /// jitter as <paramref name="policy"/> allows (<see cref="JitterPolicy.Default"/> if not given), and reports what it needed.
    /// <paramref name="lower"/> may be the same memory as <paramref name="a"/> only when jitter is forbidden
    /// (a retry re-reads A).
    /// </summary>
    /// <exception cref="ArgumentException">A or L is too short for n×n, or A holds a NaN or infinity in its lower triangle.</exception>
    /// <exception cref="NotPositiveDefiniteException">A + ε·I did not factor for any ε of the ladder.</exception>
    public static CholeskyReport FactorInto(ReadOnlySpan<double> a, int n, Span<double> lower, JitterPolicy? policy = null,
        string matrixName = "matrix")
        => FactorInto(a, n, lower, policy, matrixName, CholeskyKernel.BlockSize);

    /// <summary>FactorInto with a chosen top-level block size (tests use small ones to cover many block steps).</summary>
    internal static CholeskyReport FactorInto(ReadOnlySpan<double> a, int n, Span<double> lower, JitterPolicy? policy,
        string matrixName, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(matrixName);
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        MatrixArguments.Square(nameof(lower), n, lower.Length, n);
        JitterPolicy ladder = policy ?? JitterPolicy.Default;
        if (ladder.AllowsJitter && a.Overlaps(lower))
        {
            throw new ArgumentException(
                "lower overlaps a: with jitter allowed a failed attempt re-reads A, so the factor needs its own memory (or pass JitterPolicy.None).",
                nameof(lower));
        }
        MatrixArguments.FiniteLower(nameof(a), a, n, n, $"The {matrixName}");
        if (n == 0)
        {
            return new CholeskyReport(0, 0, 1, double.PositiveInfinity);
        }

        double sum = 0, max = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            double d = a[(i * n) + i];
            sum += d;
            max = Math.Max(max, d);
        }
        double mean = sum / n;
        // A positive-definite matrix has a positive diagonal; without one the ladder has no scale.
        int attempts = mean > 0 ? ladder.MaximumAttempts : 1;

        var stats = default(CholeskyKernel.PivotStats);
        int failedAt = -1;
        double jitter = 0, relative = 0;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            relative = ladder.RelativeJitter(attempt);
            jitter = relative * mean;
            CopyLower(a, n, lower, jitter);
            double floor = n * Math.ScaleB(1.0, -52) * Math.Max(max + jitter, 0);
            stats = new CholeskyKernel.PivotStats { Smallest = double.PositiveInfinity, Failed = double.NaN };
            fixed (double* l = lower)
            {
                failedAt = CholeskyKernel.Factor(l, n, n, floor, ref stats, parallel: true, blockSize);
                if (failedAt < 0)
                {
                    SymmetricMatrix.ClearUpperCore(l, n, n);
                    return new CholeskyReport(jitter, relative, attempt, stats.Smallest);
                }
            }
        }
        throw new NotPositiveDefiniteException(matrixName, n, failedAt, stats.Failed, stats.Smallest, jitter, relative,
            attempts, mean > 0 ? null : $"Its diagonal has mean {mean}, so it cannot be positive definite and no jitter was tried.");
    }

    /// <summary>
    /// Solves A·X = B for symmetric positive-definite A (n×n) and B, X n×<paramref name="columns"/> row-major (X may be
    /// the same memory as B), factoring A with the jitter ladder of <paramref name="policy"/>, and reports the jitter used.
    /// </summary>
    /// <exception cref="NotPositiveDefiniteException">A + ε·I did not factor for any ε of the ladder.</exception>
    public static CholeskyReport Solve(ReadOnlySpan<double> a, int n, ReadOnlySpan<double> b, Span<double> x, int columns = 1,
        JitterPolicy? policy = null, string matrixName = "matrix")
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        if (columns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns must be non-negative, but is {columns}.");
        }
        MatrixArguments.Rectangle(nameof(b), n, columns, b.Length, columns);
        MatrixArguments.Rectangle(nameof(x), n, columns, x.Length, columns);
        MatrixArguments.Finite(nameof(b), b, n, columns, columns, "The right-hand side");
        CholeskyFactor factor = Factor(a, n, policy, matrixName);
        if (columns == 1)
        {
            factor.Solve(b, x);
        }
        else
        {
            factor.Solve(b, x, columns);
        }
        return factor.Report;
    }

    /// <summary>lower = lower triangle of A + jitter·I (strict upper part left as is: the kernel never reads it).</summary>
    private static void CopyLower(ReadOnlySpan<double> a, int n, Span<double> lower, double jitter)
    {
        for (int i = 0; i < n; i++)
        {
            a.Slice(i * n, i + 1).CopyTo(lower.Slice(i * n, i + 1));
            lower[(i * n) + i] += jitter;
        }
    }
}
