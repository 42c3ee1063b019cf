using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Dnn2Gp.Runtime.Data;

/// <summary>The contents of an IDX image file: <see cref="Count"/> images of <see cref="Rows"/>×<see cref="Cols"/> bytes.</summary>
public sealed class IdxImages
{
    /// <summary>Wraps (does not copy) <paramref name="pixels"/>, which must hold exactly count·rows·cols bytes, image after image, row-major.</summary>
    public IdxImages(int count, int rows, int cols, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        long expected = (long)count * rows * cols;
        if (pixels.LongLength != expected)
            throw new ArgumentException(
                $"{count} images of {rows}×{cols} need {expected} pixel bytes, got {pixels.LongLength}.", nameof(pixels));
        Count = count;
        Rows = rows;
        Cols = cols;
        Pixels = pixels;
    }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>Rows per image.</summary>
    public int Rows { get; }

    /// <summary>Columns per image.</summary>
    public int Cols { get; }

    /// <summary>Rows · Cols.</summary>
    public int PixelsPerImage => Rows * Cols;

    /// <summary>All pixels, image after image, each image row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {Count} images.");
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or raw: compression is detected from the
/// gzip magic bytes 1f 8b, not from the file name. Every problem (missing file, wrong magic number, truncated header or
/// data, extra bytes after the data, invalid gzip) throws an exception whose message names the file; nothing is
/// returned half-filled.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImageMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelMagic = 0x00000801;

    private const int ChunkSize = 1 << 20;

    /// <summary>Reads an IDX image file (magic 0x00000803).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid, complete IDX image file.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, ImageMagic, dimensions: 3);
        long count = header[0], rows = header[1], cols = header[2];
        if (rows == 0 || cols == 0)
            throw new InvalidDataException($"IDX file '{path}' declares images of {rows}×{cols} pixels; both must be positive.");
        long expected = count * rows * cols;
        string what = $"{count} images of {rows}×{cols} = {expected} bytes";
        byte[] pixels = ReadBody(stream, path, expected, what);
        return new IdxImages((int)count, (int)rows, (int)cols, pixels);
    }

    /// <summary>Reads an IDX label file (magic 0x00000801).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid, complete IDX label file.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var stream = Open(path);
        var header = ReadHeader(stream, path, LabelMagic, dimensions: 1);
        long count = header[0];
        return ReadBody(stream, path, count, $"{count} labels = {count} bytes");
    }

    private static Stream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> start = stackalloc byte[2];
            int n = ReadFully(file, start, path, gzip: false);
            file.Position = 0;
            if (n == 2 && start[0] == 0x1f && start[1] == 0x8b)
                return new GzipReader(new GZipStream(file, CompressionMode.Decompress, leaveOpen: false));
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the magic number and the dimension sizes; checks the magic.</summary>
    private static long[] ReadHeader(Stream stream, string path, int expectedMagic, int dimensions)
    {
        bool gzip = stream is GzipReader;
        int headerBytes = 4 + 4 * dimensions;
        Span<byte> header = stackalloc byte[headerBytes];
        int read = ReadFully(stream, header[..4], path, gzip);
        if (read < 4)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: the header needs {headerBytes} bytes, the {Source(gzip)} has only {read}.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
            throw new InvalidDataException(
                $"IDX file '{path}' {DescribeFound(magic)}, expected {Describe(expectedMagic)}.");
        read += ReadFully(stream, header[4..], path, gzip);
        if (read < headerBytes)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: the header needs {headerBytes} bytes, the {Source(gzip)} has only {read}.");
        var sizes = new long[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4 + 4 * d, 4));
            if (sizes[d] > int.MaxValue)
                throw new InvalidDataException($"IDX file '{path}' declares dimension {d} of size {sizes[d]}, more than this reader supports ({int.MaxValue}).");
        }
        return sizes;
    }

    /// <summary>Reads exactly <paramref name="expected"/> bytes, then checks that nothing follows.</summary>
    private static byte[] ReadBody(Stream stream, string path, long expected, string what)
    {
        bool gzip = stream is GzipReader;
        if (expected > Array.MaxLength)
            throw new InvalidDataException($"IDX file '{path}': header says {what}, more than one array can hold.");

        // Grow the buffer as data arrives, so a corrupt header cannot make us allocate memory the file cannot fill.
        var data = new byte[(int)Math.Min(expected, ChunkSize)];
        long filled = 0;
        while (filled < expected)
        {
            if (filled == data.Length)
                Array.Resize(ref data, (int)Math.Min(expected, 2L * data.Length));
            int n = ReadFully(stream, data.AsSpan((int)filled), path, gzip);
            filled += n;
            if (filled < data.Length)
                break; // end of data before the buffer was full
        }
        if (filled < expected)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: header says {what}, the {Source(gzip)} has only {filled} bytes after the header.");

        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        int m;
        while ((m = ReadFully(stream, scratch, path, gzip)) > 0)
            extra += m;
        if (extra > 0)
            throw new InvalidDataException(
                $"IDX file '{path}' has {extra} extra bytes after the data (header says {what}).");
        return data;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; wraps gzip errors with the file name.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer, string path, bool gzip)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer[total..]);
                if (n == 0)
                    break;
                total += n;
            }
        }
        catch (InvalidDataException e) when (gzip)
        {
            throw new InvalidDataException($"IDX file '{path}' starts like a gzip file (1f 8b) but is not valid gzip: {e.Message}", e);
        }
        return total;
    }

    private static string Source(bool gzip) => gzip ? "decompressed data" : "file";

    private static string DescribeFound(int magic) =>
        Describe(magic) is { } kind ? $"is {kind}" : $"has magic number 0x{magic:X8}, which is not an IDX magic number";

    /// <summary>"an image file (magic 0x00000803)" and the like, or null when <paramref name="magic"/> is not an IDX magic number.</summary>
    private static string? Describe(int magic)
    {
        string hex = $"0x{magic:X8}";
        if (magic == ImageMagic)
            return $"an image file (magic {hex})";
        if (magic == LabelMagic)
            return $"a label file (magic {hex})";
        int zero = (magic >> 16) & 0xFFFF, type = (magic >> 8) & 0xFF, dims = magic & 0xFF;
        string? typeName = type switch
        {
            0x08 => "unsigned bytes",
            0x09 => "signed bytes",
            0x0B => "16-bit integers",
            0x0C => "32-bit integers",
            0x0D => "32-bit floats",
            0x0E => "64-bit floats",
            _ => null,
        };
        return zero == 0 && typeName is not null
            ? $"an IDX file of {typeName} with {dims} dimension{(dims == 1 ? "" : "s")} (magic {hex})"
            : null;
    }

    /// <summary>Marks a decompressing stream so messages can say "decompressed data".</summary>
    private sealed class GzipReader(GZipStream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
