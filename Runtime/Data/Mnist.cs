using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>Which half of MNIST to load.</summary>
public enum MnistSplit
{
    /// <summary>The 60 000 training examples (train-*).</summary>
    Train,

    /// <summary>The 10 000 test examples (t10k-*).</summary>
    Test,
}

/// <summary>
/// Loads MNIST, or any data set in the same four-file IDX layout such as Fashion-MNIST, as a <see cref="Dataset"/>:
/// inputs are the pixels divided by 255 (floats in [0, 1], 784 per example), the target is the label (0–9) as a
/// number, <see cref="Dataset.Classes"/> = 10.
/// </summary>
public static class Mnist
{
    /// <summary>The image size, 28 × 28.</summary>
    public const int InputSize = 28 * 28;

    /// <summary>The number of classes.</summary>
    public const int Classes = 10;

    /// <summary>
    /// The four standard file names: training images, training labels, test images, test labels. Each may be
    /// present as is or gzip-compressed with ".gz" appended.
    /// </summary>
    public static IReadOnlyList<string> FileNames { get; } =
    [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ];

    /// <summary>Loads one split from <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder or one of the split's two files is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX, the images are not 28×28, the counts differ, or a label is above 9.</exception>
    public static Dataset Load(string folder, MnistSplit split)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Enum.IsDefined(split))
            throw new ArgumentOutOfRangeException(nameof(split), split, "Expected MnistSplit.Train or MnistSplit.Test.");
        string full = Path.GetFullPath(folder);
        int first = split == MnistSplit.Train ? 0 : 2;
        if (!Directory.Exists(full))
            throw new FileNotFoundException(
                $"The MNIST folder '{full}' does not exist; it should hold {FileNames[first]}(.gz) and {FileNames[first + 1]}(.gz).", full);

        string imagePath = Find(full, FileNames[first]);
        string labelPath = Find(full, FileNames[first + 1]);
        IdxImages images = IdxReader.ReadImages(imagePath);
        byte[] labels = IdxReader.ReadLabels(labelPath);

        if (images.Rows != 28 || images.Cols != 28)
            throw new InvalidDataException($"'{imagePath}' holds images of {images.Rows}×{images.Cols} pixels; MNIST images are 28×28.");
        if (images.Count != labels.Length)
            throw new InvalidDataException(
                $"MNIST files disagree: '{imagePath}' has {images.Count} images but '{labelPath}' has {labels.Length} labels.");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= Classes)
                throw new InvalidDataException($"'{labelPath}': label {i} is {labels[i]}; MNIST labels are 0–9.");
        }

        Span<float> scale = stackalloc float[256];
        for (int v = 0; v < 256; v++)
            scale[v] = v / 255f;
        byte[] pixels = images.Pixels;
        var inputs = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
            inputs[i] = scale[pixels[i]];
        var targets = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            targets[i] = labels[i];

        string name = $"{Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))}-{(split == MnistSplit.Train ? "train" : "test")}";
        return new Dataset(name, inputs, InputSize, targets, 1, Classes);
    }

    /// <summary>The path of <paramref name="standardName"/> or <paramref name="standardName"/>.gz in <paramref name="folder"/>.</summary>
    private static string Find(string folder, string standardName)
    {
        string raw = Path.Combine(folder, standardName);
        string gz = raw + ".gz";
        if (File.Exists(gz))
            return gz;
        if (File.Exists(raw))
            return raw;
        throw new FileNotFoundException(
            $"MNIST file {standardName} is missing: looked for '{gz}' and '{raw}'.", gz);
    }
}
