using System.Collections.Generic;

namespace Dnn2Gp.Plots;

/// <summary>One panel of curves: several <see cref="LineSeries"/> on shared axes, optionally with a log-scaled x axis.</summary>
/// <param name="Title">The panel's title (may be empty).</param>
/// <param name="XLabel">The x-axis label.</param>
/// <param name="YLabel">The y-axis label.</param>
/// <param name="Series">The series, drawn in order (later ones on top); at least one.</param>
public sealed record CurvePanel(string Title, string XLabel, string YLabel, IReadOnlyList<LineSeries> Series)
{
    /// <summary>Log-scale the x axis (base 10; ticks at the decades, labelled in data units). Every x must be positive.</summary>
    public bool LogX { get; init; }

    /// <summary>Fixed x limits in data units; null fits the data.</summary>
    public AxisRange? XRange { get; init; }

    /// <summary>Fixed y limits; null fits the data.</summary>
    public AxisRange? YRange { get; init; }

    /// <summary>Show a legend of the labelled series.</summary>
    public bool ShowLegend { get; init; } = true;
}
