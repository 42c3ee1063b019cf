using System;
using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Dnn2Gp.Plots.Rendering;

/// <summary>Builds the ScottPlot plot of a <see cref="MatrixPlot"/>: cell (r, c) centred at (c, Rows − 1 − r), so row 0 is on top.</summary>
internal static class MatrixRenderer
{
    public static void Validate(MatrixPlot map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Rows <= 0 || map.Columns <= 0)
            throw new ArgumentException($"Matrix '{map.Title}': {map.Rows}×{map.Columns} is not a matrix; both sizes must be positive.");
        if (map.Values is null || map.Values.Length != (long)map.Rows * map.Columns)
            throw new ArgumentException(
                $"Matrix '{map.Title}': {map.Rows}×{map.Columns} needs {(long)map.Rows * map.Columns} values, got {map.Values?.Length ?? 0}.");
        bool any = false;
        for (int i = 0; i < map.Values.Length; i++)
        {
            double v = map.Values[i];
            if (double.IsInfinity(v))
                throw new ArgumentException($"Matrix '{map.Title}': value {i} (row {i / map.Columns}, column {i % map.Columns}) is infinite.");
            any |= !double.IsNaN(v);
        }
        if (!any && (map.Min is null || map.Max is null))
            throw new ArgumentException($"Matrix '{map.Title}': every value is NaN, so there is no colour scale; give Min and Max.");
        if (map.Min is { } lo && map.Max is { } hi && !(lo < hi))
            throw new ArgumentException($"Matrix '{map.Title}': the colour scale [{lo}, {hi}] needs Min < Max.");
        if (map.RowLabels is not null && map.RowLabels.Count != map.Rows)
            throw new ArgumentException($"Matrix '{map.Title}': {map.Rows} rows but {map.RowLabels.Count} row labels.");
        if (map.ColumnLabels is not null && map.ColumnLabels.Count != map.Columns)
            throw new ArgumentException($"Matrix '{map.Title}': {map.Columns} columns but {map.ColumnLabels.Count} column labels.");
        if (map.Separators is not null)
        {
            foreach (int s in map.Separators)
            {
                if (s <= 0 || s >= Math.Max(map.Rows, map.Columns))
                    throw new ArgumentException($"Matrix '{map.Title}': separator {s} is not between two rows or columns.");
            }
        }
        if (map.ShowValues)
            _ = 1.0.ToString(map.ValueFormat, CultureInfo.InvariantCulture); // a bad format throws FormatException here
    }

    public static Plot Build(MatrixPlot map, float cellPixels)
    {
        int rows = map.Rows, cols = map.Columns;
        var intensities = new double[rows, cols];
        double lo = double.MaxValue, hi = double.MinValue;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double v = map.Values[r * cols + c];
                intensities[r, c] = v;
                if (!double.IsNaN(v))
                {
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
            }
        }
        lo = map.Min ?? lo;
        hi = map.Max ?? hi;
        if (!(hi > lo))
            (lo, hi) = (lo - 0.5, lo + 0.5); // a constant matrix: centre its one colour

        var plot = new Plot();
        IColormap colormap = Palette.Map(map.ColorMap);
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = new ScottPlot.Range(lo, hi);
        heatmap.NaNCellColor = Color.FromHex("#d9d9d9");
        heatmap.Rectangle = new CoordinateRect(-0.5, cols - 0.5, -0.5, rows - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = map.ColorBarLabel ?? "";

        if (map.ShowValues)
        {
            float size = Math.Clamp(cellPixels * 0.3f, 7, 18);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    double v = intensities[r, c];
                    if (double.IsNaN(v))
                        continue;
                    Color cell = colormap.GetColor(Math.Clamp((v - lo) / (hi - lo), 0, 1));
                    var text = plot.Add.Text(v.ToString(map.ValueFormat, CultureInfo.InvariantCulture), c, rows - 1 - r);
                    text.Alignment = Alignment.MiddleCenter;
                    text.LabelFontSize = size;
                    text.LabelFontColor = cell.Luminance > 0.55 ? Colors.Black : Colors.White;
                }
            }
        }
        if (map.Separators is not null)
        {
            foreach (int s in map.Separators)
            {
                if (s < cols)
                    plot.Add.VerticalLine(s - 0.5, 1, Colors.White);
                if (s < rows)
                    plot.Add.HorizontalLine(rows - 0.5 - s, 1, Colors.White);
            }
        }

        plot.Axes.Bottom.TickGenerator = Ticks(cols, map.ColumnLabels, i => i);
        plot.Axes.Left.TickGenerator = Ticks(rows, map.RowLabels, i => rows - 1 - i);
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
        plot.Title(map.Title ?? "");
        plot.XLabel(map.XLabel ?? "");
        plot.YLabel(map.YLabel ?? "");
        plot.Grid.IsVisible = false;
        return plot;
    }

    /// <summary>Manual ticks: every index with its label, or for long unlabelled axes every "nice" step.</summary>
    private static NumericManual Ticks(int count, System.Collections.Generic.IReadOnlyList<string>? labels, Func<int, double> position)
    {
        var ticks = new NumericManual();
        int step = labels is not null || count <= 20 ? 1 : NiceStep(count);
        for (int i = 0; i < count; i += step)
            ticks.AddMajor(position(i), labels?[i] ?? i.ToString(CultureInfo.InvariantCulture));
        return ticks;
    }

    private static int NiceStep(int count)
    {
        foreach (int step in new[] { 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000 })
        {
            if (count / step <= 10)
                return step;
        }
        return count / 10;
    }
}
