using System;
using System.IO;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

/// <summary>
/// The CIFAR binary reader on small files the tests write in the exact format (1 or 2 label bytes, then the R, G and B
/// planes of 32 × 32 pixels): layout, labels, scaling, folders, and every malformed file refused with a clear message.
/// </summary>
public sealed class CifarTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The pixel byte of (record, channel, y, x): distinct enough to catch any transposition.</summary>
    private static byte Pixel(int record, int channel, int y, int x) => (byte)((record * 37 + channel * 101 + y * 7 + x * 3) % 256);

    /// <summary>Writes records with the given label bytes each and the pattern <see cref="Pixel"/>.</summary>
    private string Write(string name, byte[][] labels, int extraBytes = 0, int missingBytes = 0)
    {
        using var stream = new MemoryStream();
        for (int r = 0; r < labels.Length; r++)
        {
            stream.Write(labels[r]);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++) stream.WriteByte(Pixel(r, c, y, x));
        }
        for (int i = 0; i < extraBytes; i++) stream.WriteByte(7);
        byte[] bytes = stream.ToArray();
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - missingBytes).ToArray());
        return path;
    }

    private static byte[][] Labels(params int[] labels) => Array.ConvertAll(labels, l => new[] { (byte)l });

    [Fact]
    public void Cifar10_records_become_nchw_images_scaled_to_the_unit_interval()
    {
        string path = Write("data_batch_1.bin", Labels(3, 0, 9));
        var data = Cifar.ReadCifar10(path);

        Assert.Equal(3, data.Count);
        Assert.Equal(3 * 32 * 32, data.InputSize);
        Assert.Equal(10, data.Classes);
        Assert.Equal(new[] { 3f, 0f, 9f }, data.Targets.ToArray());
        for (int r = 0; r < 3; r++)
        {
            var image = data.Input(r);
            foreach (var (c, y, x) in new[] { (0, 0, 0), (0, 31, 31), (1, 5, 17), (2, 30, 2), (2, 0, 31) })
                Assert.Equal(Pixel(r, c, y, x) / 255f, image[(c * 32 + y) * 32 + x]);
        }
    }

    [Fact]
    public void Cifar100_records_have_a_coarse_then_a_fine_label()
    {
        string path = Write("train.bin", new[] { new byte[] { 19, 99 }, new byte[] { 4, 30 } });
        var fine = Cifar.ReadCifar100(path);
        var coarse = Cifar.ReadCifar100(path, Cifar100Label.Coarse);

        Assert.Equal(new[] { 99f, 30f }, fine.Targets.ToArray());
        Assert.Equal(100, fine.Classes);
        Assert.Equal(new[] { 19f, 4f }, coarse.Targets.ToArray());
        Assert.Equal(20, coarse.Classes);
        Assert.Equal(Pixel(1, 2, 3, 4) / 255f, fine.Input(1)[(2 * 32 + 3) * 32 + 4]);
    }

    [Fact]
    public void Folders_concatenate_the_five_training_batches_in_order_and_find_the_archive_subfolder()
    {
        string nested = Path.Combine(_temp.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(nested);
        for (int b = 1; b <= 5; b++) File.Move(Write($"batch{b}", Labels(b, b + 1)), Path.Combine(nested, $"data_batch_{b}.bin"));
        File.Move(Write("test", Labels(8)), Path.Combine(nested, "test_batch.bin"));

        var train = Cifar.LoadCifar10(_temp.Path, CifarSplit.Train);
        var test = Cifar.LoadCifar10(_temp.Path, CifarSplit.Test);

        Assert.Equal(new[] { 1f, 2f, 2f, 3f, 3f, 4f, 4f, 5f, 5f, 6f }, train.Targets.ToArray());
        Assert.Equal("cifar10-train", train.Name);
        Assert.Equal(new[] { 8f }, test.Targets.ToArray());

        string hundred = Path.Combine(_temp.Path, "c100");
        Directory.CreateDirectory(hundred);
        File.Move(Write("t100", new[] { new byte[] { 1, 2 } }), Path.Combine(hundred, "test.bin"));
        Assert.Equal(2f, Cifar.LoadCifar100(hundred, CifarSplit.Test).Targets[0]);
    }

    [Theory]
    [InlineData(3, 0, 1, "has 9,218 bytes: 2 whole 3,073-byte records and 3,072 bytes more")]
    [InlineData(3, 5, 0, "has 9,224 bytes: 3 whole 3,073-byte records and 5 bytes more")]
    [InlineData(3, 0, 6145, "has 3,074 bytes: 1 whole 3,073-byte record and 1 byte more")]
    [InlineData(1, 0, 100, "has 2,973 bytes: shorter than one 3,073-byte record")]
    public void Truncated_and_oversized_files_are_refused_with_their_size(int records, int extra, int missing, string expected)
    {
        var labels = new int[records];
        string path = Write("bad.bin", Labels(labels), extraBytes: extra, missingBytes: missing);
        var error = Assert.Throws<InvalidDataException>(() => Cifar.ReadCifar10(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated or has extra bytes", error.Message);
    }

    [Fact]
    public void A_cifar100_file_read_as_cifar10_is_refused_not_misread()
    {
        // Two CIFAR-100 records are 6,148 bytes, not a multiple of 3,073.
        string path = Write("train.bin", new[] { new byte[] { 1, 2 }, new byte[] { 3, 4 } });
        var error = Assert.Throws<InvalidDataException>(() => Cifar.ReadCifar10(path));
        Assert.Contains("6,148 bytes", error.Message);
    }

    [Fact]
    public void Labels_out_of_range_empty_and_missing_files_are_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => Cifar.ReadCifar10(Write("labels.bin", Labels(2, 10))));
        Assert.Contains("record 1 has label 10, but the labels are 0–9", error.Message);
        error = Assert.Throws<InvalidDataException>(() => Cifar.ReadCifar100(Write("coarse.bin", new[] { new byte[] { 20, 5 } }), Cifar100Label.Coarse));
        Assert.Contains("label 20, but the labels are 0–19 (coarse label byte)", error.Message);
        File.WriteAllBytes(_temp.File("empty.bin"), []);
        error = Assert.Throws<InvalidDataException>(() => Cifar.ReadCifar10(_temp.File("empty.bin")));
        Assert.Contains("is empty", error.Message);
        Assert.Throws<FileNotFoundException>(() => Cifar.ReadCifar10(_temp.File("absent.bin")));
        var missing = Assert.Throws<FileNotFoundException>(() => Cifar.LoadCifar10(_temp.Path, CifarSplit.Train));
        Assert.Contains("data_batch_1.bin is missing", missing.Message);
        Assert.Throws<FileNotFoundException>(() => Cifar.LoadCifar10(Path.Combine(_temp.Path, "nowhere"), CifarSplit.Test));
    }
}
