using System.IO;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

/// <summary><see cref="Mnist.Load"/> on small files written by the test.</summary>
public sealed class MnistFileTests : System.IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private void WriteSplit(string prefix, int images, byte[] labels, bool gzip, int rows = 28)
    {
        string suffix = gzip ? ".gz" : "";
        IdxWriter.Write(_temp.File($"{prefix}-images-idx3-ubyte{suffix}"), IdxWriter.Images(images, rows, 28), gzip);
        IdxWriter.Write(_temp.File($"{prefix}-labels-idx1-ubyte{suffix}"), IdxWriter.Labels(labels), gzip);
    }

    [Theory]
    [InlineData(MnistSplit.Train, "train", true)]
    [InlineData(MnistSplit.Test, "t10k", false)]
    public void LoadsASplit(MnistSplit split, string prefix, bool gzip)
    {
        WriteSplit(prefix, 3, [7, 0, 9], gzip);

        Dataset data = Mnist.Load(_temp.Path, split);

        Assert.Equal(3, data.Count);
        Assert.Equal(784, data.InputSize);
        Assert.Equal(1, data.TargetSize);
        Assert.Equal(10, data.Classes);
        Assert.Equal([7f, 0f, 9f], data.Targets.ToArray());
        byte[] pixels = IdxWriter.Images(3, 28, 28)[16..];
        Assert.Equal(pixels.Select(b => b / 255f).ToArray(), data.Inputs.ToArray());
        Assert.EndsWith(split == MnistSplit.Train ? "-train" : "-test", data.Name);
    }

    [Fact]
    public void MixedCompressionIsFine()
    {
        IdxWriter.Write(_temp.File("train-images-idx3-ubyte"), IdxWriter.Images(2, 28, 28));
        IdxWriter.Write(_temp.File("train-labels-idx1-ubyte.gz"), IdxWriter.Labels([1, 2]), gzip: true);
        Assert.Equal(2, Mnist.Load(_temp.Path, MnistSplit.Train).Count);
    }

    [Fact]
    public void CountMismatchNamesBothFilesAndCounts()
    {
        WriteSplit("train", 5, [1, 2, 3, 4], gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(_temp.Path, MnistSplit.Train));
        Assert.Contains(_temp.File("train-images-idx3-ubyte.gz"), e.Message);
        Assert.Contains(_temp.File("train-labels-idx1-ubyte.gz"), e.Message);
        Assert.Contains("5 images", e.Message);
        Assert.Contains("4 labels", e.Message);
    }

    [Fact]
    public void MissingFileIsNamedWithWhereItLooked()
    {
        IdxWriter.Write(_temp.File("t10k-images-idx3-ubyte.gz"), IdxWriter.Images(2, 28, 28), gzip: true);
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(_temp.Path, MnistSplit.Test));
        Assert.Contains("t10k-labels-idx1-ubyte is missing", e.Message);
        Assert.Contains(_temp.File("t10k-labels-idx1-ubyte.gz"), e.Message);
        Assert.Contains(_temp.File("t10k-labels-idx1-ubyte"), e.Message);
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        string folder = _temp.File("no-such-folder");
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(folder, MnistSplit.Train));
        Assert.Contains(folder, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void LabelAboveNineIsRejected()
    {
        WriteSplit("train", 2, [3, 10], gzip: false);
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(_temp.Path, MnistSplit.Train));
        Assert.Contains("label 1 is 10", e.Message);
    }

    [Fact]
    public void WrongImageSizeIsRejected()
    {
        WriteSplit("train", 2, [3, 1], gzip: false, rows: 27);
        var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(_temp.Path, MnistSplit.Train));
        Assert.Contains("27×28", e.Message);
    }

    [Fact]
    public void FileNamesAreTheFourStandardOnes()
    {
        Assert.Equal(
            ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
            Mnist.FileNames);
    }
}

/// <summary>Loads the real MNIST and Fashion-MNIST once for the tests that read them.</summary>
public sealed class RealMnistFixture
{
    public Dataset Train { get; } = Mnist.Load(TestData.MnistFolder, MnistSplit.Train);
    public Dataset Test { get; } = Mnist.Load(TestData.MnistFolder, MnistSplit.Test);
}

public sealed class RealMnistTests(RealMnistFixture mnist) : IClassFixture<RealMnistFixture>
{
    [Fact]
    public void TrainingSetHasTheKnownShape()
    {
        Dataset train = mnist.Train;
        Assert.Equal(60000, train.Count);
        Assert.Equal(784, train.InputSize);
        Assert.Equal(1, train.TargetSize);
        Assert.Equal(10, train.Classes);
        Assert.Equal(5, train.Label(0));
        Assert.Equal([5f, 0f, 4f, 1f, 9f], train.Targets[..5].ToArray());
        Assert.Equal("mnist-train", train.Name);
    }

    [Fact]
    public void TestSetHasTheKnownShape()
    {
        Dataset test = mnist.Test;
        Assert.Equal(10000, test.Count);
        Assert.Equal(7, test.Label(0));
        Assert.Equal("mnist-test", test.Name);
    }

    [Fact]
    public void PixelsAreScaledToTheUnitInterval()
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (float x in mnist.Train.Inputs)
        {
            min = System.Math.Min(min, x);
            max = System.Math.Max(max, x);
        }
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
    }

    [Fact]
    public void EveryClassIsPresent()
    {
        int[] counts = mnist.Train.ClassCounts();
        Assert.Equal(60000, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 5000, 7000));
    }
}

public sealed class RealFashionMnistTests
{
    [Fact]
    public void FashionMnistLoads()
    {
        string folder = TestData.FashionMnistFolder;
        Dataset train = Mnist.Load(folder, MnistSplit.Train);
        Dataset test = Mnist.Load(folder, MnistSplit.Test);
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(9, train.Label(0)); // an ankle boot
        Assert.Equal("fashion-mnist-train", train.Name);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6000, c));
    }
}
