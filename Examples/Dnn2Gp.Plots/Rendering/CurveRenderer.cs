using System;
using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Dnn2Gp.Plots.Rendering;

/// <summary>Builds the ScottPlot plot of a <see cref="CurvePanel"/>.</summary>
internal static class CurveRenderer
{
    /// <summary>Checks a panel completely (lengths, finite values, positive x on a log axis, colours), before any drawing.</summary>
    public static void Validate(CurvePanel panel, string where)
    {
        ArgumentNullException.ThrowIfNull(panel, where);
        if (panel.Series is null || panel.Series.Count == 0)
            throw new ArgumentException($"{where} ('{panel.Title}') has no series.");
        for (int s = 0; s < panel.Series.Count; s++)
        {
            LineSeries series = panel.Series[s] ?? throw new ArgumentException($"{where}: series {s} is null.");
            string name = $"{where}, series {s} ('{series.Label}')";
            if (series.X is null || series.Y is null)
                throw new ArgumentException($"{name}: X and Y are required.");
            if (series.X.Length != series.Y.Length)
                throw new ArgumentException($"{name}: {series.X.Length} x values but {series.Y.Length} y values.");
            if (series.X.Length == 0)
                throw new ArgumentException($"{name} has no points.");
            CheckFinite(series.X, name, "x");
            CheckFinite(series.Y, name, "y");
            if (panel.LogX)
            {
                for (int i = 0; i < series.X.Length; i++)
                {
                    if (series.X[i] <= 0)
                        throw new ArgumentException($"{name}: x[{i}] = {series.X[i]} cannot be drawn on a log-x axis; every x must be positive.");
                }
            }
            if ((series.BandLower is null) != (series.BandUpper is null))
                throw new ArgumentException($"{name}: a band needs both BandLower and BandUpper.");
            if (series.BandLower is not null)
            {
                if (series.BandLower.Length != series.X.Length || series.BandUpper!.Length != series.X.Length)
                    throw new ArgumentException(
                        $"{name}: {series.X.Length} points but a band of {series.BandLower.Length} lower and {series.BandUpper!.Length} upper values.");
                CheckFinite(series.BandLower, name, "band lower");
                CheckFinite(series.BandUpper, name, "band upper");
                if (!(series.BandOpacity > 0 && series.BandOpacity <= 1))
                    throw new ArgumentException($"{name}: the band opacity {series.BandOpacity} is not in (0, 1].");
            }
            if (series.Color is not null)
                Palette.Parse(series.Color, name);
            if (!(series.LineWidth >= 0) || !(series.MarkerSize >= 0))
                throw new ArgumentException($"{name}: line width and marker size must be non-negative.");
        }
        CheckRange(panel.XRange, where, "x", panel.LogX);
        CheckRange(panel.YRange, where, "y", log: false);
    }

    public static Plot Build(CurvePanel panel)
    {
        var plot = new Plot();
        for (int s = 0; s < panel.Series.Count; s++)
        {
            LineSeries series = panel.Series[s];
            Color color = series.Color is null ? Palette.Series(s) : Palette.Parse(series.Color, "series");
            double[] xs = panel.LogX ? Log10(series.X) : series.X;
            if (series.BandLower is not null)
            {
                var band = plot.Add.FillY(xs, series.BandLower, series.BandUpper!);
                band.FillColor = color.WithOpacity(series.BandOpacity);
                band.LineWidth = 0;
                band.MarkerSize = 0;
                band.LegendText = series.BandLabel ?? "";
            }
        }
        for (int s = 0; s < panel.Series.Count; s++)
        {
            LineSeries series = panel.Series[s];
            Color color = series.Color is null ? Palette.Series(s) : Palette.Parse(series.Color, "series");
            double[] xs = panel.LogX ? Log10(series.X) : series.X;
            var scatter = plot.Add.Scatter(xs, series.Y, color);
            scatter.LineWidth = series.Kind == LineKind.Markers ? 0 : series.LineWidth;
            scatter.MarkerSize = series.Kind == LineKind.Line ? 0 : series.MarkerSize;
            if (series.Dashed)
                scatter.LinePattern = LinePattern.Dashed;
            scatter.LegendText = series.Label ?? "";
        }

        plot.Title(panel.Title ?? "");
        plot.XLabel(panel.XLabel ?? "");
        plot.YLabel(panel.YLabel ?? "");
        if (panel.LogX)
            UseLogTicks(plot, panel);
        if (panel.XRange is { } x)
            plot.Axes.SetLimitsX(panel.LogX ? Math.Log10(x.Min) : x.Min, panel.LogX ? Math.Log10(x.Max) : x.Max);
        if (panel.YRange is { } y)
            plot.Axes.SetLimitsY(y.Min, y.Max);
        if (panel.ShowLegend && HasLegendEntries(panel))
            plot.ShowLegend(Alignment.UpperRight);
        else
            plot.HideLegend();
        return plot;
    }

    /// <summary>Decade ticks labelled in data units ("0.01", "1", "100", "1e+05"), log-spaced minor ticks.</summary>
    private static void UseLogTicks(Plot plot, CurvePanel panel)
    {
        double lo = double.MaxValue, hi = double.MinValue;
        foreach (LineSeries s in panel.Series)
        {
            foreach (double x in s.X)
            {
                lo = Math.Min(lo, x);
                hi = Math.Max(hi, x);
            }
        }
        if (panel.XRange is { } r)
            (lo, hi) = (r.Min, r.Max);
        bool decades = Math.Log10(hi) - Math.Log10(lo) >= 1;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = decades,
            MinorTickGenerator = decades ? new LogMinorTickGenerator() : new EvenlySpacedMinorTickGenerator(5),
            LabelFormatter = v => FormatPower(v, decades),
        };
    }

    private static string FormatPower(double exponent, bool decades)
    {
        double value = Math.Pow(10, exponent);
        if (!decades)
            return value.ToString("G3", CultureInfo.InvariantCulture);
        int e = (int)Math.Round(exponent);
        return e is >= -4 and <= 4
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("0e+0", CultureInfo.InvariantCulture);
    }

    private static bool HasLegendEntries(CurvePanel panel)
    {
        foreach (LineSeries s in panel.Series)
        {
            if (!string.IsNullOrEmpty(s.Label) || !string.IsNullOrEmpty(s.BandLabel))
                return true;
        }
        return false;
    }

    private static double[] Log10(double[] x)
    {
        var l = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            l[i] = Math.Log10(x[i]);
        return l;
    }

    private static void CheckFinite(double[] values, string name, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}: {what}[{i}] is {values[i]}; every value must be finite.");
        }
    }

    private static void CheckRange(AxisRange? range, string where, string axis, bool log)
    {
        if (range is not { } r)
            return;
        if (!(double.IsFinite(r.Min) && double.IsFinite(r.Max) && r.Min < r.Max))
            throw new ArgumentException($"{where}: the {axis} range [{r.Min}, {r.Max}] must be finite with Min < Max.");
        if (log && r.Min <= 0)
            throw new ArgumentException($"{where}: the x range [{r.Min}, {r.Max}] of a log-x axis must be positive.");
    }
}
