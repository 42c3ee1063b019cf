using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// Writes a results table as CSV in the invariant culture: a header line, then one line per row. Numbers are
/// written in round-trip form ("R": 0.1 stays 0.1, full double precision otherwise), so <see cref="CsvTable"/>
/// reads back exactly what was written; text cells that contain a comma, a quote or a line break are quoted.
/// </summary>
/// <remarks>
/// Rows are flushed as they are written, so a long sweep leaves its finished rows on disk. A row whose cell count
/// differs from the header is rejected before anything of it is written.
/// </remarks>
/// <example>
/// <code>
/// using var csv = new CsvWriter("results/delta_sweep.csv", "delta", "neg_log_marglik", "test_mse");
/// csv.WriteRow(delta, -logMarglik, testMse);
/// </code>
/// </example>
public sealed class CsvWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new();

    /// <summary>Creates (or overwrites) <paramref name="path"/>, creating its folder if needed, and writes the header.</summary>
    /// <exception cref="ArgumentException">The header is empty or has an empty column name.</exception>
    public CsvWriter(string path, params string[] header)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(header);
        if (header.Length == 0)
            throw new ArgumentException("A CSV table needs at least one column.", nameof(header));
        for (int c = 0; c < header.Length; c++)
        {
            if (string.IsNullOrWhiteSpace(header[c]))
                throw new ArgumentException($"Header column {c + 1} has no name.", nameof(header));
        }
        Path = System.IO.Path.GetFullPath(path);
        Columns = header.Length;
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        _writer = new StreamWriter(Path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        WriteCells(header);
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The number of columns of every row.</summary>
    public int Columns { get; }

    /// <summary>The number of data rows written so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Writes a row of numbers.</summary>
    /// <exception cref="ArgumentException">The row does not have <see cref="Columns"/> values.</exception>
    public void WriteRow(params ReadOnlySpan<double> values)
    {
        CheckCount(values.Length);
        _line.Clear();
        for (int c = 0; c < values.Length; c++)
        {
            if (c > 0)
                _line.Append(',');
            _line.Append(Format(values[c]));
        }
        Flush();
        RowsWritten++;
    }

    /// <summary>Writes a row of text cells (numbers formatted by the caller, e.g. with <see cref="Format(double)"/>).</summary>
    /// <exception cref="ArgumentException">The row does not have <see cref="Columns"/> cells.</exception>
    public void WriteRow(IReadOnlyList<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        CheckCount(cells.Count);
        WriteCells(cells);
        RowsWritten++;
    }

    private void WriteCells(IReadOnlyList<string> cells)
    {
        _line.Clear();
        for (int c = 0; c < cells.Count; c++)
        {
            if (c > 0)
                _line.Append(',');
            _line.Append(Quote(cells[c] ?? ""));
        }
        Flush();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>Writes a whole table at once: the header and every row (each with header.Length values).</summary>
    /// <exception cref="ArgumentException">A row has the wrong number of values; checked for all rows before the file is created.</exception>
    public static void WriteAll(string path, IReadOnlyList<string> header, IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r] is null || rows[r].Length != header.Count)
                throw new ArgumentException(
                    $"Row {r} has {rows[r]?.Length ?? 0} values, but the header has {header.Count} columns.", nameof(rows));
        }
        using var csv = new CsvWriter(path, [.. header]);
        foreach (double[] row in rows)
            csv.WriteRow(row);
    }

    /// <summary>A number in the invariant culture's round-trip form: "0.1", "1E-05", "NaN", "Infinity".</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void CheckCount(int count)
    {
        if (count != Columns)
            throw new ArgumentException($"'{Path}': a row needs {Columns} cells (one per header column), got {count}.");
    }

    private void Flush()
    {
        _writer.WriteLine(_line);
        _writer.Flush();
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
