using System;
using System.IO;
using ScottPlot;
using SkiaSharp;

namespace Dnn2Gp.Plots.Rendering;

/// <summary>
/// Lays panels out in a grid on one white canvas of the requested size, with an optional title band, and writes the
/// result as a PNG file in one piece (the file is written only after everything rendered).
/// </summary>
internal static class FigureCanvas
{
    public const int MinSize = 64;
    public const int MaxSize = 16384;

    /// <summary>Checks the arguments every figure shares, before any work.</summary>
    public static string CheckOutput(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (width < MinSize || width > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"The figure width must be {MinSize}..{MaxSize} pixels.");
        if (height < MinSize || height > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"The figure height must be {MinSize}..{MaxSize} pixels.");
        return Path.GetFullPath(path);
    }

    /// <summary>Columns and rows of a grid of <paramref name="panels"/> panels, with <paramref name="columns"/> = 0 meaning one row.</summary>
    public static (int Columns, int Rows) Layout(int panels, int columns)
    {
        if (panels <= 0)
            throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        if (columns < 0)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "The number of columns must be 0 (one row) or positive.");
        int c = columns == 0 ? panels : Math.Min(columns, panels);
        return (c, (panels + c - 1) / c);
    }

    /// <summary>The title band's height for a figure of <paramref name="height"/> pixels.</summary>
    public static float TitleHeight(int height) => Math.Clamp(height * 0.08f, 28, 48);

    /// <summary>
    /// Renders <paramref name="panels"/> cells (each drawn by <paramref name="draw"/> into its pixel rectangle) and
    /// writes the PNG; returns the full path.
    /// </summary>
    public static string Save(string fullPath, int width, int height, string? title, int panels, int columns,
        Action<SKCanvas, int, PixelRect> draw)
    {
        PlotFonts.EnsureChecked();
        (int cols, int rows) = Layout(panels, columns);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"Skia could not create a {width}×{height} surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        float top = 0;
        if (!string.IsNullOrEmpty(title))
        {
            top = TitleHeight(height);
            DrawText(canvas, title, width / 2f, top * 0.72f, top * 0.6f, bold: true, SKColors.Black, maxWidth: width - 8);
        }
        float cellWidth = (float)width / cols, cellHeight = (height - top) / rows;
        for (int p = 0; p < panels; p++)
        {
            int r = p / cols, c = p % cols;
            float left = c * cellWidth, upper = top + r * cellHeight;
            var rect = new PixelRect(left, left + cellWidth, upper + cellHeight, upper);
            canvas.Save();
            canvas.ClipRect(rect.ToSKRect());
            draw(canvas, p, rect);
            canvas.Restore();
        }
        canvas.Flush();

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("Skia could not encode the figure as PNG.");
        byte[] bytes = png.ToArray();
        if (Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        File.WriteAllBytes(fullPath, bytes);
        return fullPath;
    }

    /// <summary>Renders a ScottPlot plot into a cell.</summary>
    public static void Render(Plot plot, SKCanvas canvas, PixelRect rect) => plot.Render(canvas, rect);

    /// <summary>Draws centred text with its baseline at <paramref name="baseline"/>, shrunk to fit <paramref name="maxWidth"/> when given.</summary>
    public static void DrawText(SKCanvas canvas, string text, float centreX, float baseline, float size, bool bold, SKColor color, float maxWidth = 0)
    {
        using var font = new SKFont(PlotFonts.Typeface(bold), size);
        if (maxWidth > 0 && font.MeasureText(text) is var measured && measured > maxWidth)
            font.Size = Math.Max(4, size * maxWidth / measured);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        canvas.DrawText(text, centreX, baseline, SKTextAlign.Center, font, paint);
    }
}
