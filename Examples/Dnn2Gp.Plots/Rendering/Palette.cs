using System;
using System.Globalization;
using ScottPlot;

namespace Dnn2Gp.Plots.Rendering;

/// <summary>Series colours (matplotlib's tab10, so figures look like the papers'), class colours and colour maps.</summary>
internal static class Palette
{
    private static readonly string[] Tab10 =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Class colours: class 0 blue, class 1 red (matching the blue → red probability map), then tab10.</summary>
    private static readonly string[] Classes = ["#2166ac", "#b2182b", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static Color Series(int index) => Color.FromHex(Tab10[index % Tab10.Length]);

    public static Color Class(int label) => Color.FromHex(Classes[label % Classes.Length]);

    /// <summary>Parses "#RRGGBB" or "#RRGGBBAA"; <paramref name="owner"/> names the series for the message.</summary>
    public static Color Parse(string hex, string owner)
    {
        ReadOnlySpan<char> digits = hex.AsSpan().TrimStart('#');
        if (!hex.StartsWith('#') || (digits.Length != 6 && digits.Length != 8) ||
            !uint.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _))
            throw new ArgumentException($"{owner}: colour '{hex}' is not of the form #RRGGBB or #RRGGBBAA.");
        return Color.FromHex(hex);
    }

    public static IColormap Map(ColorMap map) => map switch
    {
        ColorMap.Viridis => new ScottPlot.Colormaps.Viridis(),
        ColorMap.Greys => new ScottPlot.Colormaps.Grayscale(),
        ColorMap.Blues => new Interpolated("Blues", [Color.FromHex("#f7fbff"), Color.FromHex("#6baed6"), Color.FromHex("#08306b")]),
        ColorMap.BlueWhiteRed => new Interpolated("BlueWhiteRed", [Color.FromHex("#2166ac"), Color.FromHex("#f7f7f7"), Color.FromHex("#b2182b")]),
        ColorMap.Inferno => new ScottPlot.Colormaps.Inferno(),
        _ => throw new ArgumentOutOfRangeException(nameof(map), map, "Unknown colour map."),
    };

    /// <summary>A colour map interpolating linearly (in RGB) between evenly spaced stops.</summary>
    private sealed class Interpolated(string name, Color[] stops) : IColormap
    {
        public string Name => name;

        public Color GetColor(double position)
        {
            if (double.IsNaN(position))
                return Colors.Transparent;
            double t = Math.Clamp(position, 0, 1) * (stops.Length - 1);
            int i = Math.Min((int)t, stops.Length - 2);
            return Color.InterpolateRgb(stops[i], stops[i + 1], t - i);
        }
    }
}
