using System;
using System.Collections.Generic;
using ScottPlot;
using SkiaSharp;

namespace Dnn2Gp.Plots.Rendering;

/// <summary>Draws a grid of grey images with captions directly with Skia (crisp nearest-neighbour scaling).</summary>
internal static class ImageGridRenderer
{
    public static void Validate(IReadOnlyList<GreyImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
            throw new ArgumentException("An image grid needs at least one image.", nameof(images));
        for (int n = 0; n < images.Count; n++)
        {
            GreyImage image = images[n] ?? throw new ArgumentException($"Image {n} is null.", nameof(images));
            if (image.Rows <= 0 || image.Columns <= 0)
                throw new ArgumentException($"Image {n} ('{image.Caption}') is {image.Rows}×{image.Columns}; both sizes must be positive.", nameof(images));
            if (image.Pixels is null || image.Pixels.Length != image.Rows * image.Columns)
                throw new ArgumentException(
                    $"Image {n} ('{image.Caption}') is {image.Rows}×{image.Columns} = {image.Rows * image.Columns} pixels, but has {image.Pixels?.Length ?? 0} values.", nameof(images));
            for (int k = 0; k < image.Pixels.Length; k++)
            {
                float v = image.Pixels[k];
                if (!(v >= 0 && v <= 1))
                    throw new ArgumentException($"Image {n} ('{image.Caption}'): pixel {k} is {v}; pixel values must be in [0, 1].", nameof(images));
            }
        }
    }

    public static void Draw(SKCanvas canvas, GreyImage image, PixelRect cell)
    {
        float pad = Math.Max(2, cell.Width * 0.04f);
        float captionHeight = string.IsNullOrEmpty(image.Caption) ? 0 : Math.Clamp(cell.Height * 0.16f, 10, 22);
        float availableWidth = cell.Width - 2 * pad, availableHeight = cell.Height - 2 * pad - captionHeight;
        float scale = Math.Max(0.01f, Math.Min(availableWidth / image.Columns, availableHeight / image.Rows));
        float w = image.Columns * scale, h = image.Rows * scale;
        float left = cell.Left + (cell.Width - w) / 2, top = cell.Top + pad + (availableHeight - h) / 2;

        var bytes = new byte[image.Pixels.Length];
        for (int k = 0; k < bytes.Length; k++)
            bytes[k] = (byte)Math.Round(image.Pixels[k] * 255);
        var info = new SKImageInfo(image.Columns, image.Rows, SKColorType.Gray8, SKAlphaType.Opaque);
        using SKImage bitmap = SKImage.FromPixelCopy(info, bytes) ?? throw new InvalidOperationException("Skia could not make an image from the pixels.");
        var dest = new SKRect(left, top, left + w, top + h);
        canvas.DrawImage(bitmap, dest, new SKSamplingOptions(SKFilterMode.Nearest));
        using (var frame = new SKPaint { Color = new SKColor(0x99, 0x99, 0x99), IsStroke = true, StrokeWidth = 1 })
            canvas.DrawRect(dest, frame);

        if (captionHeight > 0)
            FigureCanvas.DrawText(canvas, image.Caption, cell.HorizontalCenter, top + h + captionHeight * 0.85f, captionHeight * 0.8f, bold: false, SKColors.Black, maxWidth: cell.Width - 2);
    }
}
