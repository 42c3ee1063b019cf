using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A comma-separated table of numbers with a header line (the format of the derived CSVs in the shared data and of
/// <see cref="CsvWriter"/>'s output), held column by column in double precision.
/// </summary>
/// <remarks>
/// Cells are parsed with the invariant culture and must be finite numbers; blank lines are skipped. A malformed cell
/// names the file, the 1-based line, the column and the text; a row with the wrong number of cells names both counts.
/// </remarks>
public sealed class CsvTable
{
    private readonly double[][] _columns;
    private readonly Dictionary<string, int> _index;

    private CsvTable(string path, string[] names, double[][] columns, int rows)
    {
        Path = path;
        ColumnNames = names;
        _columns = columns;
        RowCount = rows;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
            _index[names[c]] = c;
    }

    /// <summary>The file the table was read from.</summary>
    public string Path { get; }

    /// <summary>The header's column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>Whether the header has a column <paramref name="name"/> (ordinal comparison).</summary>
    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>The values of column <paramref name="name"/>, one per row.</summary>
    /// <exception cref="KeyNotFoundException">There is no such column; the message lists the columns there are.</exception>
    public ReadOnlySpan<double> Column(string name) => _columns[ColumnIndex(name)];

    /// <summary>The values of column <paramref name="index"/> (0-based, header order).</summary>
    public ReadOnlySpan<double> Column(int index)
    {
        if ((uint)index >= (uint)_columns.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"'{Path}' has {_columns.Length} columns.");
        return _columns[index];
    }

    /// <summary>The 0-based position of column <paramref name="name"/> in the header.</summary>
    /// <exception cref="KeyNotFoundException">There is no such column; the message lists the columns there are.</exception>
    public int ColumnIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_index.TryGetValue(name, out int c))
            return c;
        throw new KeyNotFoundException($"'{Path}' has no column '{name}'; its columns are {string.Join(", ", ColumnNames)}.");
    }

    /// <summary>Reads a CSV file whose first non-blank line is the header and whose other lines are numbers.</summary>
    /// <param name="path">The file.</param>
    /// <param name="requiredColumns">Columns that must be present (checked before the body is parsed).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">No header, an empty or repeated column name, a required column missing, a row with the wrong number of cells, or a cell that is not a finite number.</exception>
    public static CsvTable Read(string path, params string[] requiredColumns)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(requiredColumns);
        string[]? names = null;
        List<double>[]? columns = null;
        int line = 0, rows = 0;
        foreach (string text in TextNumbers.Lines(path))
        {
            line++;
            if (text.AsSpan().Trim().IsEmpty)
                continue;
            if (names is null)
            {
                names = ParseHeader(text, path, line, requiredColumns);
                columns = new List<double>[names.Length];
                for (int c = 0; c < names.Length; c++)
                    columns[c] = [];
                continue;
            }

            ReadOnlySpan<char> rest = text.AsSpan();
            int cell = 0;
            while (true)
            {
                int comma = rest.IndexOf(',');
                ReadOnlySpan<char> token = (comma < 0 ? rest : rest[..comma]).Trim();
                if (cell < names.Length)
                    columns![cell].Add(TextNumbers.ParseDouble(token, path, line, names[cell]));
                cell++;
                if (comma < 0)
                    break;
                rest = rest[(comma + 1)..];
            }
            if (cell != names.Length)
                throw new InvalidDataException(
                    $"'{path}' line {line} has {cell} cells, but the header has {names.Length} columns ({string.Join(",", names)}).");
            rows++;
        }
        if (names is null)
            throw new InvalidDataException($"'{path}' is empty; a CSV table needs a header line.");

        var arrays = new double[names.Length][];
        for (int c = 0; c < names.Length; c++)
            arrays[c] = columns![c].ToArray();
        return new CsvTable(path, names, arrays, rows);
    }

    private static string[] ParseHeader(string text, string path, int line, string[] required)
    {
        string[] names = text.Split(',');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = names[c].Trim();
            if (names[c].Length == 0)
                throw new InvalidDataException($"'{path}' line {line}: header column {c + 1} has no name (header: '{text.Trim()}').");
            if (!seen.Add(names[c]))
                throw new InvalidDataException($"'{path}' line {line}: the header names column '{names[c]}' twice.");
        }
        foreach (string r in required)
        {
            if (!seen.Contains(r))
                throw new InvalidDataException(
                    $"'{path}' has no column '{r}'; its header is '{text.Trim()}', expected the columns {string.Join(", ", required)}.");
        }
        return names;
    }
}
