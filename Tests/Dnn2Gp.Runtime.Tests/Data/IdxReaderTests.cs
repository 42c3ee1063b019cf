using System;
using System.IO;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false, "images.idx")]
    [InlineData(true, "images.idx")] // gzip detected from the magic bytes, not the name
    [InlineData(false, "images.gz")] // a raw file with a .gz name is still read raw
    [InlineData(true, "images.gz")]
    public void ReadsImages(bool gzip, string name)
    {
        byte[] pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(250 - i)).ToArray();
        string path = IdxWriter.Write(_temp.File(name), IdxWriter.Images(3, 2, 4, pixels), gzip);

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal(3, images.Count);
        Assert.Equal(2, images.Rows);
        Assert.Equal(4, images.Cols);
        Assert.Equal(8, images.PixelsPerImage);
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(pixels.Skip(8).Take(8).ToArray(), images.Image(1).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsLabels(bool gzip)
    {
        byte[] labels = [5, 0, 4, 1, 9];
        string path = IdxWriter.Write(_temp.File("labels"), IdxWriter.Labels(labels), gzip);
        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void ReadsEmptyFiles()
    {
        Assert.Equal(0, IdxReader.ReadImages(IdxWriter.Write(_temp.File("i"), IdxWriter.Images(0, 28, 28))).Count);
        Assert.Empty(IdxReader.ReadLabels(IdxWriter.Write(_temp.File("l"), IdxWriter.Labels([]))));
    }

    [Fact]
    public void ReadsALargeGzippedFileAcrossBufferGrowth()
    {
        // Larger than the reader's first 1 MiB chunk, so the buffer has to grow.
        byte[] pixels = Enumerable.Range(0, 2000 * 28 * 28).Select(i => (byte)(i * 31 % 251)).ToArray();
        string path = IdxWriter.Write(_temp.File("big.gz"), IdxWriter.Images(2000, 28, 28, pixels), gzip: true);
        Assert.Equal(pixels, IdxReader.ReadImages(path).Pixels);
    }

    [Fact]
    public void LabelFileReadAsImagesSaysWhatItIs()
    {
        string path = IdxWriter.Write(_temp.File("train-labels"), IdxWriter.Labels([1, 2, 3]));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("is a label file (magic 0x00000801), expected an image file (magic 0x00000803)", e.Message);
    }

    [Fact]
    public void ImageFileReadAsLabelsSaysWhatItIs()
    {
        string path = IdxWriter.Write(_temp.File("train-images"), IdxWriter.Images(1, 2, 2), gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("is an image file (magic 0x00000803), expected a label file (magic 0x00000801)", e.Message);
    }

    [Theory]
    [InlineData(0x12345678, "has magic number 0x12345678, which is not an IDX magic number")]
    [InlineData(0x00000D02, "is an IDX file of 32-bit floats with 2 dimensions (magic 0x00000D02)")]
    public void OtherMagicNumbersAreDescribed(int magic, string expected)
    {
        string path = IdxWriter.Write(_temp.File("odd"), IdxWriter.Header(magic, 1, 1, 1).Concat(new byte[1]).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains("expected an image file", e.Message);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(3, false)]
    [InlineData(10, false)]
    [InlineData(10, true)]
    public void TruncatedHeaderIsReported(int length, bool gzip)
    {
        byte[] header = IdxWriter.Header(0x00000803, 60000, 28, 28)[..length];
        string path = IdxWriter.Write(_temp.File("short"), header, gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains($"the header needs 16 bytes, the {(gzip ? "decompressed data" : "file")} has only {length}", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedImageDataIsReported(bool gzip)
    {
        byte[] data = IdxWriter.Images(10, 28, 28)[..(16 + 100)];
        string path = IdxWriter.Write(_temp.File("images"), data, gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("header says 10 images of 28×28 = 7840 bytes", e.Message);
        Assert.Contains("has only 100 bytes after the header", e.Message);
    }

    [Fact]
    public void TruncatedLabelDataIsReported()
    {
        byte[] data = IdxWriter.Labels([1, 2, 3, 4])[..10];
        string path = IdxWriter.Write(_temp.File("labels"), data);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("header says 4 labels = 4 bytes", e.Message);
        Assert.Contains("has only 2 bytes", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExtraBytesAreReported(bool gzip)
    {
        byte[] data = IdxWriter.Images(2, 3, 3).Concat(new byte[5]).ToArray();
        string path = IdxWriter.Write(_temp.File("images"), data, gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("has 5 extra bytes after the data", e.Message);
    }

    [Fact]
    public void InvalidGzipIsReported()
    {
        byte[] data = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff, 0x12, 0x34, 0x56];
        string path = IdxWriter.Write(_temp.File("broken.gz"), data);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not valid gzip", e.Message);
    }

    [Fact]
    public void CutGzipStreamIsReported()
    {
        byte[] gz = IdxWriter.Gzip(IdxWriter.Images(20, 28, 28));
        string path = IdxWriter.Write(_temp.File("cut.gz"), gz[..(gz.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = _temp.File("nothing-here-idx3-ubyte");
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void ZeroSizedImagesAreRejected()
    {
        string path = IdxWriter.Write(_temp.File("flat"), IdxWriter.Images(3, 0, 28));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains("0×28", e.Message);
    }
}
