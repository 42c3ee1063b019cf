using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// Parses the plain-text number files of the shared data (one number per line, or whitespace-separated tables) with
/// the invariant culture. Every problem throws an <see cref="InvalidDataException"/> naming the file, the 1-based
/// line and the offending text; blank lines are skipped (line numbers still count them); nothing half-read is returned.
/// </summary>
internal static class TextNumbers
{
    /// <summary>Opens <paramref name="path"/> for reading line by line; a missing file names itself.</summary>
    public static IEnumerable<string> Lines(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"File '{path}' does not exist.", path);
        return File.ReadLines(path);
    }

    /// <summary>One finite double per non-blank line.</summary>
    public static double[] ReadColumn(string path)
    {
        var values = new List<double>();
        int line = 0;
        foreach (string text in Lines(path))
        {
            line++;
            ReadOnlySpan<char> t = text.AsSpan().Trim();
            if (t.IsEmpty)
                continue;
            if (t.IndexOfAny(' ', '\t') >= 0)
                throw new InvalidDataException(
                    $"'{path}' line {line}: expected one number per line, found '{text.Trim()}'.");
            values.Add(ParseDouble(t, path, line));
        }
        return values.ToArray();
    }

    /// <summary>One non-negative integer per non-blank line.</summary>
    public static int[] ReadIntegerColumn(string path)
    {
        var values = new List<int>();
        int line = 0;
        foreach (string text in Lines(path))
        {
            line++;
            ReadOnlySpan<char> t = text.AsSpan().Trim();
            if (t.IsEmpty)
                continue;
            values.Add(ParseIndex(t, path, line));
        }
        return values.ToArray();
    }

    /// <summary>
    /// One row index per non-blank line, each below <paramref name="rows"/> (the row count of
    /// <paramref name="tableName"/>), no index twice.
    /// </summary>
    public static int[] ReadIndexColumn(string path, int rows, string tableName)
    {
        var values = new List<int>();
        var lines = new Dictionary<int, int>();
        int line = 0;
        foreach (string text in Lines(path))
        {
            line++;
            ReadOnlySpan<char> t = text.AsSpan().Trim();
            if (t.IsEmpty)
                continue;
            int index = ParseIndex(t, path, line);
            if (index >= rows)
                throw new InvalidDataException(
                    $"'{path}' line {line}: row index {index} is past the end of {tableName}, which has {rows} rows (valid indices 0..{rows - 1}).");
            if (!lines.TryAdd(index, line))
                throw new InvalidDataException($"'{path}' line {line}: row index {index} already appears on line {lines[index]}.");
            values.Add(index);
        }
        return values.ToArray();
    }

    /// <summary>
    /// A whitespace-separated table of finite doubles, row-major; every non-blank line must have as many values as
    /// the first.
    /// </summary>
    public static double[] ReadTable(string path, out int rows, out int columns)
    {
        var values = new List<double>();
        int line = 0, firstLine = 0;
        columns = -1;
        rows = 0;
        foreach (string text in Lines(path))
        {
            line++;
            ReadOnlySpan<char> rest = text.AsSpan().Trim();
            if (rest.IsEmpty)
                continue;
            int count = 0;
            while (!rest.IsEmpty)
            {
                int end = rest.IndexOfAny(' ', '\t');
                ReadOnlySpan<char> token = end < 0 ? rest : rest[..end];
                values.Add(ParseDouble(token, path, line));
                count++;
                rest = end < 0 ? [] : rest[end..].TrimStart();
            }
            if (columns < 0)
            {
                columns = count;
                firstLine = line;
            }
            else if (count != columns)
            {
                throw new InvalidDataException(
                    $"'{path}' line {line} has {count} values, but line {firstLine} has {columns}; every row needs the same number of columns.");
            }
            rows++;
        }
        if (columns < 0)
            throw new InvalidDataException($"'{path}' holds no numbers.");
        return values.ToArray();
    }

    /// <summary>Parses one finite double (invariant culture) or throws naming the file, line and text.</summary>
    public static double ParseDouble(ReadOnlySpan<char> text, string path, int line, string? column = null)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new InvalidDataException($"'{path}' line {line}{Column(column)}: '{text.ToString()}' is not a number.");
        if (!double.IsFinite(value))
            throw new InvalidDataException($"'{path}' line {line}{Column(column)}: '{text.ToString()}' is not a finite number.");
        return value;
    }

    /// <summary>Parses one non-negative integer or throws naming the file, line and text.</summary>
    public static int ParseIndex(ReadOnlySpan<char> text, string path, int line)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw new InvalidDataException($"'{path}' line {line}: '{text.ToString()}' is not a non-negative integer.");
        return value;
    }

    private static string Column(string? column) => column is null ? "" : $", column '{column}'";
}
