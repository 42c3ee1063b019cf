using System.Collections.Generic;

namespace Dnn2Gp.Plots;

/// <summary>
/// A matrix drawn as a heat map with a colour bar: cell (r, c) is Values[r·Columns + c], row 0 at the top (as a
/// matrix is printed; e.g. a 300×300 kernel sorted by class, or a task × task accuracy matrix).
/// </summary>
/// <param name="Values">[Rows, Columns] row-major; NaN cells are drawn in light grey (e.g. accuracies not measured).</param>
/// <param name="Rows">The number of rows; positive.</param>
/// <param name="Columns">The number of columns; positive.</param>
public sealed record MatrixPlot(double[] Values, int Rows, int Columns)
{
    /// <summary>The title above the map.</summary>
    public string Title { get; init; } = "";

    /// <summary>The x-axis (column) label.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The y-axis (row) label.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>The colour map.</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Viridis;

    /// <summary>The value at the bottom of the colour scale; null for the smallest value.</summary>
    public double? Min { get; init; }

    /// <summary>The value at the top of the colour scale; null for the largest value.</summary>
    public double? Max { get; init; }

    /// <summary>The colour bar's label.</summary>
    public string ColorBarLabel { get; init; } = "";

    /// <summary>Write each cell's value in it (for small matrices, e.g. accuracies).</summary>
    public bool ShowValues { get; init; }

    /// <summary>The .NET format of the cell values (invariant culture), e.g. "0.00" or "P1".</summary>
    public string ValueFormat { get; init; } = "0.00";

    /// <summary>Tick labels for the rows, top to bottom (e.g. "after task 1"); null for numbers.</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }

    /// <summary>Tick labels for the columns, left to right; null for numbers.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; init; }

    /// <summary>
    /// Draw separating lines before these row/column indices (e.g. 30, 60, … between the classes of a kernel sorted
    /// by class); null for none.
    /// </summary>
    public IReadOnlyList<int>? Separators { get; init; }
}
