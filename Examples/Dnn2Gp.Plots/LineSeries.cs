using System;

namespace Dnn2Gp.Plots;

/// <summary>How a <see cref="LineSeries"/> is drawn.</summary>
public enum LineKind
{
    /// <summary>A line through the points, in order.</summary>
    Line,

    /// <summary>Markers only (data points).</summary>
    Markers,

    /// <summary>A line with a marker on every point.</summary>
    LineAndMarkers,
}

/// <summary>A closed axis interval [Min, Max] in data units (for a log axis: in data units, not exponents).</summary>
public readonly record struct AxisRange(double Min, double Max);

/// <summary>
/// One series of a <see cref="CurvePanel"/>: points (X[i], Y[i]) drawn as a line and/or markers, optionally with a
/// shaded band between <see cref="BandLower"/> and <see cref="BandUpper"/> (e.g. mean ± 2 std, or mean ± standard
/// error over data sets).
/// </summary>
/// <param name="Label">The legend text; empty to leave the series out of the legend.</param>
/// <param name="X">The x values (positive on a log-x panel).</param>
/// <param name="Y">The y values, one per x; finite.</param>
public sealed record LineSeries(string Label, double[] X, double[] Y)
{
    /// <summary>Line, markers or both; a line by default.</summary>
    public LineKind Kind { get; init; } = LineKind.Line;

    /// <summary>The colour as "#RRGGBB" or "#RRGGBBAA"; null takes the next colour of the palette.</summary>
    public string? Color { get; init; }

    /// <summary>The line width in pixels.</summary>
    public float LineWidth { get; init; } = 2;

    /// <summary>Draw the line dashed (e.g. published curves beside ours).</summary>
    public bool Dashed { get; init; }

    /// <summary>The marker diameter in pixels.</summary>
    public float MarkerSize { get; init; } = 6;

    /// <summary>The lower edge of the shaded band, one value per x; null for no band.</summary>
    public double[]? BandLower { get; init; }

    /// <summary>The upper edge of the shaded band, one value per x; null for no band.</summary>
    public double[]? BandUpper { get; init; }

    /// <summary>The band's opacity in (0, 1].</summary>
    public double BandOpacity { get; init; } = 0.25;

    /// <summary>A legend entry for the band (e.g. "± 2 std"); null leaves the band out of the legend.</summary>
    public string? BandLabel { get; init; }

    /// <summary>A line with a band from mean − halfWidth to mean + halfWidth.</summary>
    public static LineSeries WithBand(string label, double[] x, double[] mean, double[] halfWidth, string? bandLabel = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(halfWidth);
        if (halfWidth.Length != mean.Length)
            throw new ArgumentException($"Series '{label}': {mean.Length} means but {halfWidth.Length} band half-widths.", nameof(halfWidth));
        var lower = new double[mean.Length];
        var upper = new double[mean.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            lower[i] = mean[i] - halfWidth[i];
            upper[i] = mean[i] + halfWidth[i];
        }
        return new LineSeries(label, x, mean) { BandLower = lower, BandUpper = upper, BandLabel = bandLabel };
    }
}
