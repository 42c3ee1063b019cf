using System;
using System.IO;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime.Data;
using SkiaSharp;
using Xunit;

namespace Dnn2Gp.Plots.Tests;

/// <summary>
/// A temporary folder for the figures a test writes, deleted on dispose. Set the environment variable
/// DNN2GP_KEEP_FIGURES to a folder to keep a copy of every figure there (to look at them).
/// </summary>
internal sealed class FigureFolder : IDisposable
{
    public FigureFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dnn2gp-figures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Checks that <paramref name="path"/> is a non-empty PNG of the given size whose pixels are not all one colour; keeps a copy when asked.</summary>
    public static void AssertPng(string path, int width, int height)
    {
        Assert.True(System.IO.File.Exists(path), $"'{path}' was not written.");
        Assert.True(new FileInfo(path).Length > 1000, $"'{path}' is only {new FileInfo(path).Length} bytes.");
        Assert.Equal((width, height), PngHeader.ReadSize(path));
        using SKBitmap bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        Assert.True(DistinctColours(bitmap) > 8, $"'{path}' is (nearly) blank.");
        if (Environment.GetEnvironmentVariable("DNN2GP_KEEP_FIGURES") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            System.IO.File.Copy(path, System.IO.Path.Combine(keep, System.IO.Path.GetFileName(path)), overwrite: true);
        }
    }

    /// <summary>The number of distinct colours on a coarse sample of the image.</summary>
    public static int DistinctColours(SKBitmap bitmap)
    {
        var seen = new System.Collections.Generic.HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                seen.Add((uint)bitmap.GetPixel(x, y));
        return seen.Count;
    }

    /// <summary>The number of dark pixels (luminance below a half) in a rectangle.</summary>
    public static int DarkPixels(string path, int left, int top, int right, int bottom)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path);
        int dark = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = left; x < right; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue < 128)
                    dark++;
            }
        }
        return dark;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The shared data folders, for figures drawn from real data; fails the test, saying where to put the files, when absent.</summary>
internal static class SharedData
{
    public static string Folder(string name)
    {
        string? folder = DataPaths.FindShared(name);
        if (folder is null)
            Assert.Fail($"The '{name}' data folder was not found. The folder {name}/ holds {SharedDataFolders.FilesOf(name)}; " +
                        $"put it at shared/data/{name} beside the repository, or set {DataPaths.EnvironmentVariable}.");
        return folder;
    }
}
