using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Dnn2Gp.Runtime.Tests.Data;

/// <summary>Builds small IDX files for tests.</summary>
internal static class IdxWriter
{
    public static byte[] Images(int count, int rows, int cols, byte[]? pixels = null, int magic = 0x00000803)
    {
        pixels ??= Enumerable.Range(0, count * rows * cols).Select(i => (byte)(i * 7 % 256)).ToArray();
        return Header(magic, count, rows, cols).Concat(pixels).ToArray();
    }

    public static byte[] Labels(byte[] labels, int magic = 0x00000801) =>
        Header(magic, labels.Length).Concat(labels).ToArray();

    public static byte[] Header(int magic, params int[] sizes)
    {
        var header = new byte[4 + 4 * sizes.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < sizes.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), sizes[d]);
        return header;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/>, gzipped when <paramref name="gzip"/>.</summary>
    public static string Write(string path, byte[] data, bool gzip = false)
    {
        File.WriteAllBytes(path, gzip ? Gzip(data) : data);
        return path;
    }
}
