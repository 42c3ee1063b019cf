using System;
using System.Globalization;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// How <see cref="Cholesky"/> may regularise a matrix that does not factor: the <em>jitter ladder</em>.
/// </summary>
/// <remarks>
/// <para>
/// The first attempt factors A as given. If a pivot fails, A + ε·I is tried with
/// ε = <see cref="InitialRelative"/>·mean(diag A), then ε is multiplied by <see cref="Growth"/> at each further attempt,
/// as long as ε ≤ <see cref="MaximumRelative"/>·mean(diag A). With <see cref="Default"/> the ladder is
/// 1e-10, 1e-9, …, 1e-2 times the mean diagonal: at most ten attempts. The jitter that was used is reported to the
/// caller (<see cref="CholeskyReport.Jitter"/>); a matrix that fails even at the top of the ladder raises
/// <see cref="NotPositiveDefiniteException"/>.
/// </para>
/// <para>
/// A pivot fails when it is NaN or not greater than n·2⁻⁵²·max(diag A) (LAPACK's rank tolerance for a pivoted
/// Cholesky): a singular positive semi-definite matrix therefore asks for jitter rather than returning a factor with a
/// pivot made of rounding errors, while any reasonably conditioned positive-definite matrix factors on the first try.
/// </para>
/// </remarks>
public readonly record struct JitterPolicy
{
    /// <summary>Creates a ladder from <paramref name="initialRelative"/> up to <paramref name="maximumRelative"/> (both times
    /// the mean diagonal), multiplying by <paramref name="growth"/> at each step.</summary>
    public JitterPolicy(double initialRelative, double growth, double maximumRelative)
    {
        if (!(initialRelative > 0) || !double.IsFinite(initialRelative))
        {
            throw new ArgumentOutOfRangeException(nameof(initialRelative), initialRelative,
                "The first jitter (relative to the mean diagonal) must be positive and finite; use JitterPolicy.None to forbid jitter.");
        }
        if (!(growth > 1) || !double.IsFinite(growth))
        {
            throw new ArgumentOutOfRangeException(nameof(growth), growth, "The growth factor of the jitter ladder must be finite and greater than 1.");
        }
        if (!(maximumRelative >= initialRelative) || !double.IsFinite(maximumRelative))
        {
            throw new ArgumentOutOfRangeException(nameof(maximumRelative), maximumRelative,
                string.Create(CultureInfo.InvariantCulture, $"The largest jitter must be finite and at least the first ({initialRelative}), but is {maximumRelative}."));
        }
        InitialRelative = initialRelative;
        Growth = growth;
        MaximumRelative = maximumRelative;
    }

    /// <summary>The default ladder: 1e-10 × mean(diag A), ×10 per step, up to 1e-2 × mean(diag A).</summary>
    public static JitterPolicy Default { get; } = new(1e-10, 10, 1e-2);

    /// <summary>No jitter: a matrix that does not factor as given raises <see cref="NotPositiveDefiniteException"/>.</summary>
    public static JitterPolicy None { get; }

    /// <summary>The first jitter, relative to the mean diagonal (0 when jitter is forbidden).</summary>
    public double InitialRelative { get; }

    /// <summary>The factor between successive jitters.</summary>
    public double Growth { get; }

    /// <summary>The largest jitter tried, relative to the mean diagonal (0 when jitter is forbidden).</summary>
    public double MaximumRelative { get; }

    /// <summary>Whether any jitter may be added.</summary>
    public bool AllowsJitter => InitialRelative > 0;

    /// <summary>The most attempts this ladder makes: the plain one and one per rung.</summary>
    public int MaximumAttempts
    {
        get
        {
            int attempts = 1;
            for (double r = InitialRelative; AllowsJitter && r <= MaximumRelative * (1 + 1e-9); r *= Growth)
            {
                attempts++;
            }
            return attempts;
        }
    }

    /// <summary>The relative jitter of attempt <paramref name="attempt"/> (1-based; attempt 1 has none).</summary>
    internal double RelativeJitter(int attempt) => attempt <= 1 ? 0 : InitialRelative * Math.Pow(Growth, attempt - 2);
}
