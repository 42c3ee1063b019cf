using System;
using System.Buffers.Binary;
using System.IO;

namespace Dnn2Gp.Plots;

/// <summary>Reads the pixel size of a PNG file from its header (the IHDR chunk), without decoding the image.</summary>
public static class PngHeader
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The width and height in pixels of the PNG file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file does not start with a PNG signature and an IHDR chunk.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"PNG file '{path}' does not exist.", path);
        Span<byte> header = stackalloc byte[24];
        int read;
        using (var file = File.OpenRead(path))
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length)
            throw new InvalidDataException($"'{path}' has {read} bytes; a PNG file starts with a 24-byte signature and header.");
        if (!header[..8].SequenceEqual(Signature))
            throw new InvalidDataException($"'{path}' does not start with the PNG signature.");
        if (!header.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException($"'{path}': the first PNG chunk is not IHDR.");
        return (BinaryPrimitives.ReadInt32BigEndian(header.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(header.Slice(20, 4)));
    }
}
