using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>Which half of CIFAR-10 or CIFAR-100 to load.</summary>
public enum CifarSplit
{
    /// <summary>The 50 000 training images (CIFAR-10: data_batch_1.bin … data_batch_5.bin; CIFAR-100: train.bin).</summary>
    Train,

    /// <summary>The 10 000 test images (CIFAR-10: test_batch.bin; CIFAR-100: test.bin).</summary>
    Test,
}

/// <summary>Which of CIFAR-100's two labels becomes the target.</summary>
public enum Cifar100Label
{
    /// <summary>The fine label, 0–99 (the 100 classes).</summary>
    Fine,

    /// <summary>The coarse label, 0–19 (the 20 superclasses).</summary>
    Coarse,
}

/// <summary>
/// Reads CIFAR-10 and CIFAR-100 in their binary format as <see cref="Dataset"/>s of images in NCHW layout: each
/// record is the label byte(s) then 3072 pixel bytes, the red, green and blue planes of 32 × 32 pixels, row-major.
/// That is already the [3, 32, 32] order a <c>[Network(3, 32, 32)]</c> takes, so the inputs are the pixels divided by
/// 255 (floats in [0, 1], PyTorch's ToTensor) in file order. CIFAR-10 records have one label byte (0–9); CIFAR-100
/// records have a coarse (0–19) and then a fine (0–99) label byte.
/// </summary>
/// <remarks>
/// A file is checked before anything is read from it: its length must be a positive whole number of records, so a
/// truncated or oversized file is refused with its byte count and what it should be, and nothing is read past the end;
/// a label out of range is refused with the file, the record and the value.
/// </remarks>
public static class Cifar
{
    /// <summary>Colour channels per image.</summary>
    public const int Channels = 3;

    /// <summary>Image height and width.</summary>
    public const int Size = 32;

    /// <summary>Values per image: 3 · 32 · 32.</summary>
    public const int ImageSize = Channels * Size * Size;

    /// <summary>The CIFAR-10 training files, in the order they are concatenated.</summary>
    public static IReadOnlyList<string> Cifar10TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The CIFAR-10 test file.</summary>
    public const string Cifar10TestFile = "test_batch.bin";

    /// <summary>The CIFAR-100 training and test files.</summary>
    public static IReadOnlyList<string> Cifar100Files { get; } = ["train.bin", "test.bin"];

    /// <summary>
    /// Loads a CIFAR-10 split from <paramref name="folder"/> (or from its <c>cifar-10-batches-bin</c> subfolder, the layout
    /// the official archive extracts to): 10 classes, the label as the target.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file of the split is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is not a whole number of CIFAR-10 records, or a label is above 9.</exception>
    public static Dataset LoadCifar10(string folder, CifarSplit split)
    {
        string splitName = Name(split);
        string root = Root(folder, "cifar-10-batches-bin", Cifar10TestFile);
        IReadOnlyList<string> files = split == CifarSplit.Train ? Cifar10TrainFiles : [Cifar10TestFile];
        var paths = new List<string>();
        foreach (string file in files) paths.Add(Require(root, file, "CIFAR-10"));
        return Read(paths, labelBytes: 1, labelIndex: 0, classes: 10, $"cifar10-{splitName}");
    }

    /// <summary>
    /// Loads a CIFAR-100 split from <paramref name="folder"/> (or its <c>cifar-100-binary</c> subfolder) with the
    /// <paramref name="label"/> label as the target: 100 fine classes or 20 coarse ones.
    /// </summary>
    public static Dataset LoadCifar100(string folder, CifarSplit split, Cifar100Label label = Cifar100Label.Fine)
    {
        string splitName = Name(split);
        string root = Root(folder, "cifar-100-binary", Cifar100Files[1]);
        string path = Require(root, split == CifarSplit.Train ? Cifar100Files[0] : Cifar100Files[1], "CIFAR-100");
        return ReadCifar100(path, label, $"cifar100-{splitName}");
    }

    /// <summary>
    /// Checks, without reading them, that <paramref name="folder"/> (or its archive subfolders) holds every file of
    /// CIFAR-10 and, when <paramref name="cifar100"/>, of CIFAR-100: a run can fail before its first task, not after it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder or one of the files is missing; the message names it.</exception>
    public static void RequireFiles(string folder, bool cifar100)
    {
        string root10 = Root(folder, "cifar-10-batches-bin", Cifar10TestFile);
        foreach (string file in Cifar10TrainFiles) Require(root10, file, "CIFAR-10");
        Require(root10, Cifar10TestFile, "CIFAR-10");
        if (!cifar100) return;
        string root100 = Root(folder, "cifar-100-binary", Cifar100Files[1]);
        foreach (string file in Cifar100Files) Require(root100, file, "CIFAR-100");
    }

    /// <summary>Reads one CIFAR-10 binary file (any whole number of records).</summary>
    public static Dataset ReadCifar10(string path, string? name = null) =>
        Read([path], labelBytes: 1, labelIndex: 0, classes: 10, name ?? Path.GetFileNameWithoutExtension(path));

    /// <summary>Reads one CIFAR-100 binary file (any whole number of records) with the chosen label as the target.</summary>
    public static Dataset ReadCifar100(string path, Cifar100Label label = Cifar100Label.Fine, string? name = null)
    {
        if (!Enum.IsDefined(label)) throw new ArgumentOutOfRangeException(nameof(label), label, "Expected Cifar100Label.Fine or Cifar100Label.Coarse.");
        return Read([path], labelBytes: 2, labelIndex: label == Cifar100Label.Coarse ? 0 : 1, classes: label == Cifar100Label.Coarse ? 20 : 100,
            name ?? Path.GetFileNameWithoutExtension(path));
    }

    private static Dataset Read(IReadOnlyList<string> paths, int labelBytes, int labelIndex, int classes, string name)
    {
        int record = labelBytes + ImageSize;
        string format = labelBytes == 1 ? "CIFAR-10" : "CIFAR-100";
        // Every file is checked before any is read: sizes first, so nothing is half-loaded.
        var counts = new int[paths.Count];
        long total = 0;
        for (int f = 0; f < paths.Count; f++)
        {
            string path = paths[f];
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (!File.Exists(path)) throw new FileNotFoundException($"{format} file '{path}' does not exist.", path);
            long length = new FileInfo(path).Length;
            if (length == 0)
                throw new InvalidDataException($"{format} file '{path}' is empty; a {format} file is a sequence of {record}-byte records ({labelBytes} label byte{(labelBytes == 1 ? "" : "s")}, then 3072 pixel bytes).");
            if (length % record != 0)
            {
                long whole = length / record, rest = length % record;
                string what = whole == 0
                    ? $"shorter than one {record:N0}-byte record"
                    : $"{whole:N0} whole {record:N0}-byte record{(whole == 1 ? "" : "s")} and {rest:N0} byte{(rest == 1 ? "" : "s")} more";
                throw new InvalidDataException(
                    $"{format} file '{path}' has {length:N0} bytes: {what}. It is truncated or has extra bytes; a {format} file holds whole records of {record} bytes " +
                    $"({labelBytes} label byte{(labelBytes == 1 ? "" : "s")}, then 3072 pixel bytes), e.g. {10_000L * record:N0} bytes for 10,000 images.");
            }
            if (length / record > int.MaxValue / ImageSize)
                throw new InvalidDataException($"{format} file '{path}' holds {length / record:N0} records, more than one data set can hold.");
            counts[f] = (int)(length / record);
            total += counts[f];
        }
        if (total * ImageSize > Array.MaxLength)
            throw new InvalidDataException($"The {format} files hold {total:N0} images, more than one data set can hold.");

        var inputs = new float[total * ImageSize];
        var targets = new float[total];
        Span<float> scale = stackalloc float[256];
        for (int v = 0; v < 256; v++) scale[v] = v / 255f;
        int at = 0;
        var buffer = new byte[record];
        for (int f = 0; f < paths.Count; f++)
        {
            using var stream = new FileStream(paths[f], FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            if (stream.Length != (long)counts[f] * record)
                throw new InvalidDataException($"{format} file '{paths[f]}' changed size while it was being read.");
            for (int r = 0; r < counts[f]; r++, at++)
            {
                stream.ReadExactly(buffer);
                int label = buffer[labelIndex];
                if (label >= classes)
                    throw new InvalidDataException($"{format} file '{paths[f]}': record {r} has label {label}, but the labels are 0–{classes - 1}" +
                        (labelBytes == 2 ? $" ({(labelIndex == 0 ? "coarse" : "fine")} label byte)." : "."));
                targets[at] = label;
                Span<float> image = inputs.AsSpan(at * ImageSize, ImageSize);
                for (int i = 0; i < ImageSize; i++) image[i] = scale[buffer[labelBytes + i]];
            }
        }
        return new Dataset(name, inputs, ImageSize, targets, 1, classes);
    }

    private static string Name(CifarSplit split) => split switch
    {
        CifarSplit.Train => "train",
        CifarSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Expected CifarSplit.Train or CifarSplit.Test."),
    };

    /// <summary>The folder itself, or its archive subfolder when the folder holds that instead of the files.</summary>
    private static string Root(string folder, string archiveFolder, string probe)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new FileNotFoundException($"The CIFAR folder '{full}' does not exist.", full);
        string nested = Path.Combine(full, archiveFolder);
        return !File.Exists(Path.Combine(full, probe)) && Directory.Exists(nested) ? nested : full;
    }

    private static string Require(string folder, string file, string format)
    {
        string path = Path.Combine(folder, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{format} file {file} is missing from '{folder}' (the binary version of the data set, e.g. from the cifar-10-binary.tar.gz archive).", path);
        return path;
    }
}
