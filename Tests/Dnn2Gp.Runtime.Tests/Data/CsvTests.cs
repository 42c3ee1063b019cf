using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class CsvTableTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string text)
    {
        string path = _temp.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsColumnsByNameAndPosition()
    {
        string path = Write("t.csv", "a,b , c\n1,2.5,-3e-2\n\n4, 5 ,6\n");
        CsvTable table = CsvTable.Read(path, "a", "c");
        Assert.Equal(["a", "b", "c"], table.ColumnNames);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([1.0, 4.0], table.Column("a").ToArray());
        Assert.Equal([2.5, 5.0], table.Column(1).ToArray());
        Assert.Equal([-0.03, 6.0], table.Column("c").ToArray());
        Assert.True(table.HasColumn("b"));
        Assert.False(table.HasColumn("B"));
    }

    [Fact]
    public void MalformedNumberNamesFileLineColumnAndText()
    {
        string path = Write("bad.csv", "x,y\n1,2\n3,abc\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("column 'y'", e.Message);
        Assert.Contains("'abc' is not a number", e.Message);
    }

    [Fact]
    public void NonFiniteNumberIsRejected()
    {
        string path = Write("nan.csv", "x\nNaN\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(path));
        Assert.Contains("'NaN' is not a finite number", e.Message);
    }

    [Theory]
    [InlineData("x,y\n1,2,3\n", "line 2 has 3 cells, but the header has 2 columns")]
    [InlineData("x,y\n1\n", "line 2 has 1 cells, but the header has 2 columns")]
    public void WrongCellCountNamesBothCounts(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(Write("n.csv", text)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingRequiredColumnListsTheHeader()
    {
        string path = Write("h.csv", "dataset,x,y\n0,1,2\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(path, "dataset", "x", "bias", "y"));
        Assert.Contains("no column 'bias'", e.Message);
        Assert.Contains("'dataset,x,y'", e.Message);
    }

    [Fact]
    public void UnknownColumnListsTheColumns()
    {
        CsvTable table = CsvTable.Read(Write("c.csv", "p,q\n1,2\n"));
        var e = Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => table.Column("r"));
        Assert.Contains("its columns are p, q", e.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a,,b\n", "header column 2 has no name")]
    [InlineData("a,b,a\n", "names column 'a' twice")]
    public void BadHeadersAreRejected(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(Write("e.csv", text)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = _temp.File("none.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvTable.Read(path));
        Assert.Contains(path, e.Message);
    }
}

public sealed class CsvWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RoundTripsDoublesExactlyInAnyCulture()
    {
        CultureInfo saved = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // decimal comma
        try
        {
            double[] values = [0.1, 1.0 / 3.0, -2.5e-300, 123456789.125, Math.PI];
            string path = Path.Combine(_temp.Path, "sub", "r.csv"); // the folder is created
            using (var csv = new CsvWriter(path, "a", "b", "c", "d", "e"))
            {
                csv.WriteRow(values);
                csv.WriteRow(1, 2, 3, 4, 5);
                Assert.Equal(2, csv.RowsWritten);
            }
            string[] lines = File.ReadAllLines(path);
            Assert.Equal("a,b,c,d,e", lines[0]);
            Assert.StartsWith("0.1,", lines[1]);
            CsvTable table = CsvTable.Read(path);
            for (int c = 0; c < values.Length; c++)
                Assert.Equal(values[c], table.Column(c)[0]);
            Assert.Equal(5.0, table.Column("e")[1]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void WrongRowLengthIsRejectedBeforeWriting()
    {
        string path = _temp.File("w.csv");
        using (var csv = new CsvWriter(path, "a", "b"))
        {
            var e = Assert.Throws<ArgumentException>(() => csv.WriteRow(1.0, 2.0, 3.0));
            Assert.Contains("needs 2 cells", e.Message);
            Assert.Contains("got 3", e.Message);
            Assert.Equal(0, csv.RowsWritten);
        }
        Assert.Equal(["a,b"], File.ReadAllLines(path));
    }

    [Fact]
    public void WriteAllChecksEveryRowBeforeCreatingTheFile()
    {
        string path = _temp.File("all.csv");
        var e = Assert.Throws<ArgumentException>(() => CsvWriter.WriteAll(path, ["x", "y"], [[1, 2], [3]]));
        Assert.Contains("Row 1 has 1 values", e.Message);
        Assert.False(File.Exists(path));

        CsvWriter.WriteAll(path, ["x", "y"], [[1, 2], [3, 4]]);
        Assert.Equal(["x,y", "1,2", "3,4"], File.ReadAllLines(path));
    }

    [Fact]
    public void TextCellsAreQuotedWhenNeeded()
    {
        string path = _temp.File("q.csv");
        using (var csv = new CsvWriter(path, "name", "note"))
            csv.WriteRow(["plain", "a, \"b\""]);
        Assert.Equal("plain,\"a, \"\"b\"\"\"", File.ReadAllLines(path)[1]);
    }

    [Fact]
    public void EmptyHeaderIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new CsvWriter(_temp.File("h.csv")));
        Assert.Throws<ArgumentException>(() => new CsvWriter(_temp.File("h.csv"), "a", " "));
    }

    [Fact]
    public void FormatIsInvariantRoundTrip()
    {
        Assert.Equal("0.1", CsvWriter.Format(0.1));
        Assert.Equal("1E-05", CsvWriter.Format(1e-5));
        Assert.Equal("NaN", CsvWriter.Format(double.NaN));
    }
}
