using System;
using System.IO;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class DataPathsTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _name = "set-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _temp.Dispose();

    private string Make(params string[] parts) => Directory.CreateDirectory(Path.Combine([_temp.Path, .. parts])).FullName;

    [Fact]
    public void FindsSharedDataInsideAnAncestor()
    {
        string data = Make("repo", "shared", "data", _name);
        string start = Make("repo", "bin", "Debug", "net10.0");
        Assert.Equal(data, DataPaths.FindShared(_name, start, dataRoot: null));
    }

    [Fact]
    public void FindsSharedDataBesideTheRepository()
    {
        string data = Make("shared", "data", _name);
        string start = Make("work", "repo");
        Assert.Equal(data, DataPaths.FindShared(_name, start, dataRoot: null));
    }

    [Fact]
    public void EnvironmentVariableWins()
    {
        Make("repo", "shared", "data", _name);
        string start = Make("repo", "src");
        string elsewhere = Make("elsewhere", _name);
        Assert.Equal(elsewhere, DataPaths.FindShared(_name, start, dataRoot: Path.Combine(_temp.Path, "elsewhere")));
        Assert.Null(DataPaths.FindShared(_name, start, dataRoot: Path.Combine(_temp.Path, "empty")));
    }

    [Fact]
    public void ReturnsNullWhenAbsent()
    {
        Assert.Null(DataPaths.FindShared(_name, Make("a", "b"), dataRoot: null));
    }

    [Fact]
    public void RejectsPathsAsNames()
    {
        Assert.Throws<ArgumentException>(() => DataPaths.FindShared("a/b", _temp.Path, null));
        Assert.Throws<ArgumentException>(() => DataPaths.FindShared("..", _temp.Path, null));
    }

    [Fact]
    public void FindsTheSharedMnistFolder()
    {
        string folder = TestData.MnistFolder;
        Assert.True(Directory.Exists(folder));
        Assert.Equal("mnist", Path.GetFileName(folder));
    }
}
