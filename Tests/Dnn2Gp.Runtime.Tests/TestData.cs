using System;
using System.IO;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests;

/// <summary>Finds the shared real data sets (never committed to the repository) for tests that need them, and makes seeded random test data.</summary>
internal static class TestData
{
    /// <summary>The MNIST folder.</summary>
    public static string MnistFolder => Folder("mnist");

    /// <summary><paramref name="n"/> seeded draws from U(−1, 1).</summary>
    public static double[] Uniform(int n, int seed)
    {
        var random = new Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 2 * random.NextDouble() - 1;
        return v;
    }

    /// <summary>The Fashion-MNIST folder.</summary>
    public static string FashionMnistFolder => Folder("fashion-mnist");

    /// <summary>The folder shared/data/<paramref name="name"/>; fails the test, saying where to put the files, when it is absent.</summary>
    public static string Folder(string name)
    {
        string? folder = DataPaths.FindShared(name);
        if (folder is null)
        {
            string files = SharedDataFolders.FilesOf(name) ?? $"its files";
            Assert.Fail(
                $"The '{name}' data set was not found. Put its files ({files}) into a folder shared/data/{name} beside the repository " +
                $"(<repository>/../shared/data/{name}) or inside it (<repository>/shared/data/{name}), " +
                $"or set {DataPaths.EnvironmentVariable} to a folder that contains {name}/. " +
                $"Searched upwards from '{AppContext.BaseDirectory}' and '{Environment.CurrentDirectory}'.");
        }
        return folder;
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dnn2gp-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
