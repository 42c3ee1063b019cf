using System;
using System.Collections.Generic;
using ScottPlot;
using ScottPlot.Plottables;

namespace Dnn2Gp.Plots.Rendering;

/// <summary>Builds the ScottPlot plot of a <see cref="DecisionPanel"/>.</summary>
internal static class DecisionRenderer
{
    public static void Validate(DecisionPanel panel, string where)
    {
        ArgumentNullException.ThrowIfNull(panel, where);
        if (panel.Grid is null)
            throw new ArgumentException($"{where} ('{panel.Title}') has no grid.");
        string name = $"{where} ('{panel.Title}')";
        if (panel.Probability is null || panel.Probability.Length != panel.Grid.Count)
            throw new ArgumentException(
                $"{name}: the {panel.Grid.Width}×{panel.Grid.Height} grid needs {panel.Grid.Count} probabilities, got {panel.Probability?.Length ?? 0}.");
        for (int i = 0; i < panel.Probability.Length; i++)
        {
            double p = panel.Probability[i];
            if (!(p >= 0 && p <= 1))
                throw new ArgumentException($"{name}: probability {i} is {p}, not in [0, 1].");
        }
        if (panel.Points is null || panel.Points.Length % 2 != 0)
            throw new ArgumentException($"{name}: the points must be [n, 2] row-major (an even number of values).");
        if (panel.Labels is null || panel.Labels.Length != panel.Points.Length / 2)
            throw new ArgumentException($"{name}: {panel.Points.Length / 2} points but {panel.Labels?.Length ?? 0} labels.");
        for (int i = 0; i < panel.Labels.Length; i++)
        {
            if (panel.Labels[i] < 0)
                throw new ArgumentException($"{name}: label {i} is {panel.Labels[i]}; classes are 0, 1, ….");
        }
        CheckFinite(panel.Points, name, "point");
        if (panel.Highlighted is not null)
        {
            if (panel.Highlighted.Length % 2 != 0)
                throw new ArgumentException($"{name}: the highlighted points must be [m, 2] row-major.");
            CheckFinite(panel.Highlighted, name, "highlighted point");
        }
        if (!(panel.MarkerSize > 0))
            throw new ArgumentException($"{name}: the marker size must be positive.");
    }

    public static Plot Build(DecisionPanel panel)
    {
        var grid = panel.Grid;
        int w = grid.Width, h = grid.Height;
        var plot = new Plot();

        // Field: image row 0 is drawn at the top, so it takes the largest y.
        var intensities = new double[h, w];
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++)
                intensities[h - 1 - j, i] = panel.Probability[j * w + i];
        double dx = (grid.Xs[^1] - grid.Xs[0]) / (w - 1), dy = (grid.Ys[^1] - grid.Ys[0]) / (h - 1);
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = Palette.Map(ColorMap.BlueWhiteRed);
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Opacity = 0.75;
        heatmap.Rectangle = new CoordinateRect(grid.Xs[0] - dx / 2, grid.Xs[^1] + dx / 2, grid.Ys[0] - dy / 2, grid.Ys[^1] + dy / 2);

        if (panel.ShowBoundary)
        {
            var contour = new ContourLines { ContourLineLevels = [0.5], LineColor = Colors.Black, LineWidth = 1.5f };
            contour.LabelStyle.IsVisible = false;
            var coordinates = new Coordinates3d[h, w];
            for (int j = 0; j < h; j++)
                for (int i = 0; i < w; i++)
                    coordinates[j, i] = new Coordinates3d(grid.Xs[i], grid.Ys[j], panel.Probability[j * w + i]);
            contour.Update(coordinates);
            plot.Add.Plottable(contour);
        }

        var byClass = new SortedDictionary<int, (List<double> X, List<double> Y)>();
        for (int k = 0; k < panel.Labels.Length; k++)
        {
            if (!byClass.TryGetValue(panel.Labels[k], out var list))
                byClass[panel.Labels[k]] = list = ([], []);
            list.X.Add(panel.Points[2 * k]);
            list.Y.Add(panel.Points[2 * k + 1]);
        }
        foreach (var (label, (xs, ys)) in byClass)
        {
            var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, panel.MarkerSize, Palette.Class(label));
            markers.LegendText = $"class {label}";
        }
        if (panel.Highlighted is { Length: > 0 } hl)
        {
            var xs = new double[hl.Length / 2];
            var ys = new double[hl.Length / 2];
            for (int k = 0; k < xs.Length; k++)
            {
                xs[k] = hl[2 * k];
                ys[k] = hl[2 * k + 1];
            }
            var memorable = plot.Add.Markers(xs, ys, MarkerShape.OpenCircle, Math.Max(8, 3 * panel.MarkerSize), Colors.Black);
            memorable.MarkerLineWidth = 1.5f;
            memorable.LegendText = "highlighted";
        }

        plot.Axes.SetLimits(grid.Xs[0], grid.Xs[^1], grid.Ys[0], grid.Ys[^1]);
        plot.Title(panel.Title ?? "");
        plot.Grid.IsVisible = false;
        plot.HideLegend();
        return plot;
    }

    private static void CheckFinite(float[] values, string name, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}: {what} {i / 2} has a coordinate {values[i]}; coordinates must be finite.");
        }
    }
}
