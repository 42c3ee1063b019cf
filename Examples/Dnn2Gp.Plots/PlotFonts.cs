using System;
using System.IO;
using SkiaSharp;

namespace Dnn2Gp.Plots;

/// <summary>
/// The fonts the figures are drawn with. The native Skia library that ScottPlot brings (the NoDependencies Linux
/// build) needs neither fontconfig nor freetype: it reads the font files under the system font folder
/// (/usr/share/fonts on Linux). Where there are none, text would be silently missing, so the first figure warns on
/// standard error and says how to fix it: install a font package (e.g. Debian's fonts-dejavu-core) or point the
/// environment variable <see cref="EnvironmentVariable"/> at a .ttf/.otf file, or call <see cref="UseFontFile"/>.
/// </summary>
public static class PlotFonts
{
    /// <summary>The environment variable naming a font file to draw all text with.</summary>
    public const string EnvironmentVariable = "DNN2GP_FONT";

    private const string CustomFamily = "Dnn2Gp-Figure-Font";
    private static readonly object Gate = new();
    private static bool _checked;

    /// <summary>Whether the system offers a usable font (without any, Skia reports one empty family whose default typeface has no glyphs).</summary>
    public static bool HasSystemFonts => SKTypeface.Default.GlyphCount > 0;

    /// <summary>The font family all figure text uses.</summary>
    public static string Family => ScottPlot.Fonts.Default;

    /// <summary>Draws all later figure text with the font in <paramref name="path"/> (a TrueType or OpenType file).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a font Skia can read.</exception>
    public static void UseFontFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Font file '{full}' does not exist.", full);
        using (SKTypeface? face = SKTypeface.FromFile(full))
        {
            if (face is null)
                throw new InvalidDataException($"'{full}' is not a font file Skia can read (expected a .ttf or .otf file).");
        }
        lock (Gate)
        {
            ScottPlot.Fonts.AddFontFile(CustomFamily, full, bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(CustomFamily, full, bold: true, italic: false);
            ScottPlot.Fonts.Default = CustomFamily;
            _checked = true;
        }
    }

    /// <summary>Applies <see cref="EnvironmentVariable"/> and warns once when no font is available; called before every figure.</summary>
    internal static void EnsureChecked()
    {
        lock (Gate)
        {
            if (_checked)
                return;
            _checked = true;
        }
        string? file = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(file))
        {
            UseFontFile(file);
            return;
        }
        if (FirstInstalled(SansFamilies) is { } sans)
            ScottPlot.Fonts.Default = sans;
        if (!HasSystemFonts)
        {
            Console.Error.WriteLine(
                "warning: no fonts were found, so the figures will have no text. Install a font package " +
                $"(Debian: apt-get install fonts-dejavu-core) or set {EnvironmentVariable} to a .ttf file.");
        }
    }

    /// <summary>Sans-serif families preferred for figure text, in order (ScottPlot's own guess picks DejaVu Serif on Debian).</summary>
    private static readonly string[] SansFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    private static string? FirstInstalled(string[] families)
    {
        foreach (string family in families)
        {
            using SKTypeface? face = SKFontManager.Default.MatchFamily(family);
            if (face is not null && string.Equals(face.FamilyName, family, StringComparison.OrdinalIgnoreCase))
                return family;
        }
        return null;
    }

    /// <summary>The typeface of the figure font (bold or regular), for text drawn directly with Skia.</summary>
    internal static SKTypeface Typeface(bool bold) => ScottPlot.Fonts.GetTypeface(Family, bold, italic: false);
}
