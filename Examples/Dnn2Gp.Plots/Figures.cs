using System;
using System.Collections.Generic;
using System.Globalization;
using Dnn2Gp.Plots.Rendering;
using Dnn2Gp.Runtime.Continual;

namespace Dnn2Gp.Plots;

/// <summary>
/// Writes the figures of the DNN2GP and FROMP examples as PNG files of an exact pixel size. Every method checks all
/// of its input first (lengths, finite values, ranges; the message names the panel, series and index) and writes the
/// file only after the whole figure rendered; missing folders are created. Rendering is headless (ScottPlot on
/// SkiaSharp; no display needed). Each method returns the file's full path.
/// </summary>
/// <example>
/// <code>
/// // Snelson (E1): data points, the network's mean and a ±2 std band.
/// Figures.Curves("out/snelson.png", new CurvePanel("DNN2GP-Laplace", "x", "y",
/// [
///     new LineSeries("data", trainX, trainY) { Kind = LineKind.Markers, Color = "#000000", MarkerSize = 4 },
///     LineSeries.WithBand("mean", gridX, mean, twoStd, bandLabel: "± 2 std"),
/// ]) { YRange = new AxisRange(-2.7, 2) });
/// </code>
/// </example>
public static class Figures
{
    /// <summary>One panel of curves (lines, markers, shaded bands) as a <paramref name="width"/> × <paramref name="height"/> PNG.</summary>
    /// <exception cref="ArgumentException">The panel is invalid; nothing is written.</exception>
    public static string Curves(string path, CurvePanel panel, int width = 800, int height = 500) =>
        CurvePanels(path, [panel], width, height);

    /// <summary>
    /// Several curve panels side by side (<paramref name="columns"/> per row; 0 = all in one row), e.g. a δ sweep:
    /// −log marginal likelihood and test MSE against δ on log-x axes, ours and the published curves.
    /// </summary>
    /// <exception cref="ArgumentException">A panel is invalid; nothing is written.</exception>
    public static string CurvePanels(string path, IReadOnlyList<CurvePanel> panels, int width = 1200, int height = 500, string? title = null, int columns = 0)
    {
        string full = FigureCanvas.CheckOutput(path, width, height);
        ArgumentNullException.ThrowIfNull(panels);
        FigureCanvas.Layout(panels.Count, columns);
        for (int p = 0; p < panels.Count; p++)
            CurveRenderer.Validate(panels[p], $"Panel {p}");
        return FigureCanvas.Save(full, width, height, title, panels.Count, columns, (canvas, p, rect) =>
        {
            using var plot = CurveRenderer.Build(panels[p]);
            FigureCanvas.Render(plot, canvas, rect);
        });
    }

    /// <summary>
    /// A matrix as a heat map with a colour bar (row 0 on top), optionally with each value written in its cell —
    /// e.g. a 300×300 kernel sorted by class, or a task × task accuracy matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is invalid; nothing is written.</exception>
    public static string HeatMap(string path, MatrixPlot map, int width = 700, int height = 600)
    {
        string full = FigureCanvas.CheckOutput(path, width, height);
        MatrixRenderer.Validate(map);
        float cellPixels = Math.Min((width - 160f) / map.Columns, (height - 110f) / map.Rows);
        return FigureCanvas.Save(full, width, height, title: null, panels: 1, columns: 1, (canvas, _, rect) =>
        {
            using var plot = MatrixRenderer.Build(map, cellPixels);
            FigureCanvas.Render(plot, canvas, rect);
        });
    }

    /// <summary>
    /// An <see cref="AccuracyMatrix"/> as a heat map in percent with the numbers in the cells: rows "after task t",
    /// columns "task s"; cells not measured are grey.
    /// </summary>
    public static string AccuracyHeatMap(string path, AccuracyMatrix accuracies, string title, int width = 700, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(accuracies);
        int n = accuracies.Tasks;
        double[] values = accuracies.ToArray();
        for (int i = 0; i < values.Length; i++)
            values[i] *= 100;
        var rows = new string[n];
        var cols = new string[n];
        for (int t = 0; t < n; t++)
        {
            rows[t] = (t + 1).ToString(CultureInfo.InvariantCulture);
            cols[t] = rows[t];
        }
        return HeatMap(path, new MatrixPlot(values, n, n)
        {
            Title = title,
            XLabel = "task tested",
            YLabel = "after training task",
            ColorMap = ColorMap.Blues,
            Min = Math.Max(0, Math.Floor((MinOrDefault(values) - 5) / 5) * 5), // 5 points below the lowest, on a multiple of 5
            Max = 100,
            ShowValues = true,
            ValueFormat = "0.0",
            RowLabels = rows,
            ColumnLabels = cols,
            ColorBarLabel = "test accuracy (%)",
        }, width, height);
    }

    /// <summary>
    /// A grid of grey images with captions (<paramref name="columns"/> per row; 0 = all in one row), each scaled up
    /// with nearest-neighbour sampling to fill its cell — e.g. the most and least memorable MNIST images.
    /// </summary>
    /// <exception cref="ArgumentException">An image is invalid; nothing is written.</exception>
    public static string ImageGrid(string path, IReadOnlyList<GreyImage> images, int columns, int width, int height, string? title = null)
    {
        string full = FigureCanvas.CheckOutput(path, width, height);
        ImageGridRenderer.Validate(images);
        FigureCanvas.Layout(images.Count, columns);
        return FigureCanvas.Save(full, width, height, title, images.Count, columns,
            (canvas, p, rect) => ImageGridRenderer.Draw(canvas, images[p], rect));
    }

    /// <summary>
    /// Decision-boundary panels side by side (<paramref name="columns"/> per row; 0 = all in one row): each a
    /// probability field with its p = 0.5 contour and the points coloured by class — e.g. the FROMP toy after each
    /// task, or FROMP against fine-tuning.
    /// </summary>
    /// <exception cref="ArgumentException">A panel is invalid; nothing is written.</exception>
    public static string DecisionBoundaries(string path, IReadOnlyList<DecisionPanel> panels, int width = 1500, int height = 340, string? title = null, int columns = 0)
    {
        string full = FigureCanvas.CheckOutput(path, width, height);
        ArgumentNullException.ThrowIfNull(panels);
        FigureCanvas.Layout(panels.Count, columns);
        for (int p = 0; p < panels.Count; p++)
            DecisionRenderer.Validate(panels[p], $"Panel {p}");
        return FigureCanvas.Save(full, width, height, title, panels.Count, columns, (canvas, p, rect) =>
        {
            using var plot = DecisionRenderer.Build(panels[p]);
            FigureCanvas.Render(plot, canvas, rect);
        });
    }

    private static double MinOrDefault(double[] values)
    {
        double min = double.MaxValue;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
                min = Math.Min(min, v);
        }
        return min == double.MaxValue ? 0 : min;
    }
}
