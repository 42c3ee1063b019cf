using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Data;

public sealed class RealMarglikToyTests
{
    private static readonly Lazy<MarglikToyData> Toy = new(() => MarglikToy.Load(TestData.Folder(MarglikToy.FolderName)));

    [Fact]
    public void HoldsTenDeltaSetsAndFiveWidthSets()
    {
        MarglikToyData toy = Toy.Value;
        Assert.Equal(10, toy.DeltaTrain.Count);
        Assert.Equal(10, toy.DeltaTest.Count);
        Assert.Equal(5, toy.WidthTrain.Count);
        Assert.Equal(5, toy.WidthTest.Count);
        Assert.All(toy.DeltaTrain.Concat(toy.WidthTrain), s => Assert.Equal(MarglikToy.TrainCount, s.Count));
        Assert.All(toy.DeltaTest.Concat(toy.WidthTest), s => Assert.Equal(MarglikToy.TestCount, s.Count));
        Assert.All(toy.DeltaTrain, s => Assert.Equal(2, s.InputSize));
        Assert.Equal([-2.669514416310647, 1.0], toy.DeltaTrain[0].Input(0).ToArray());
        Assert.Equal(-0.5530223068596631, toy.DeltaTrain[0].Target(0));
        Assert.Equal("toy_train[3]", toy.DeltaTrain[3].Name);
    }

    [Fact]
    public void BiasColumnIsOneEverywhere()
    {
        foreach (RegressionSet set in Toy.Value.DeltaTrain.Concat(Toy.Value.DeltaTest))
            Assert.All(set.InputColumn(1), b => Assert.Equal(1.0, b));
    }

    [Fact]
    public void GridIsLinspaceOverMinus35To35WithSin()
    {
        MarglikToyData toy = Toy.Value;
        Assert.Equal(200, toy.GridX.Length);
        double[] expected = Grids.Linspace(-3.5, 3.5, 200);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(expected[i], toy.GridX[i], 12);
            Assert.Equal(Math.Sin(toy.GridX[i]), toy.GridSinX[i], 12);
        }
        double[] inputs = MarglikToy.GridInputs();
        Assert.Equal(toy.GridX[17], inputs[34], 12);
        Assert.Equal(1.0, inputs[35]);
    }

    [Fact]
    public void GeneratorMatchesTheSharedDataStatistics()
    {
        // The shipped 10 × 2000 test points and 20000 generated points: cluster shares and noise levels agree.
        var real = Stats(Toy.Value.DeltaTest);
        var ours = Stats([MarglikToy.Generate(20000, seed: 7)]);
        for (int c = 0; c < 3; c++)
        {
            Assert.InRange(real.Share[c], MarglikToy.ClusterProbabilities[c] - 0.015, MarglikToy.ClusterProbabilities[c] + 0.015);
            Assert.InRange(ours.Share[c], MarglikToy.ClusterProbabilities[c] - 0.015, MarglikToy.ClusterProbabilities[c] + 0.015);
        }
        foreach (var s in new[] { real, ours })
        {
            Assert.InRange(s.NoiseStd[0], 0.095, 0.105);
            Assert.InRange(s.NoiseStd[1], 0.93, 1.07);
            Assert.InRange(s.NoiseStd[2], 0.095, 0.105);
            Assert.Equal(0, s.Outside);
        }
    }

    /// <summary>Cluster shares and the std of y − sin x per cluster; Outside counts points in no cluster.</summary>
    private static (double[] Share, double[] NoiseStd, int Outside) Stats(IEnumerable<RegressionSet> sets)
    {
        var residuals = new List<double>[] { [], [], [] };
        int outside = 0, total = 0;
        foreach (RegressionSet set in sets)
        {
            for (int i = 0; i < set.Count; i++)
            {
                double x = set.Input(i)[0];
                int c = x >= -3.5 && x <= -1.5 ? 0 : x >= -1 && x <= 1 ? 1 : x >= 1.5 && x <= 3.5 ? 2 : -1;
                total++;
                if (c < 0)
                {
                    outside++;
                    continue;
                }
                residuals[c].Add(set.Target(i) - Math.Sin(x));
            }
        }
        return (residuals.Select(r => (double)r.Count / total).ToArray(),
                residuals.Select(r => Math.Sqrt(r.Select(e => e * e).Average())).ToArray(), outside);
    }
}

public sealed class MarglikToyGeneratorTests
{
    [Fact]
    public void SameSeedSameDataDifferentSeedDifferentData()
    {
        RegressionSet a = MarglikToy.Generate(50, seed: 3), b = MarglikToy.Generate(50, seed: 3), c = MarglikToy.Generate(50, seed: 4);
        Assert.Equal(a.Inputs.ToArray(), b.Inputs.ToArray());
        Assert.Equal(a.Targets.ToArray(), b.Targets.ToArray());
        Assert.NotEqual(a.Targets.ToArray(), c.Targets.ToArray());
    }

    [Fact]
    public void DatasetSplitsOneStreamIntoTrainThenTest()
    {
        var (train, test) = MarglikToy.GenerateDataset(seed: 11, trainCount: 100, testCount: 2000);
        RegressionSet all = MarglikToy.Generate(2100, seed: 11);
        Assert.Equal(100, train.Count);
        Assert.Equal(2000, test.Count);
        Assert.Equal(all.Target(0), train.Target(0));
        Assert.Equal(all.Target(100), test.Target(0));
        Assert.Equal(all.Target(2099), test.Target(1999));
    }
}

public sealed class MarglikToyFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string text)
    {
        File.WriteAllText(_temp.File(name), text);
        return _temp.File(name);
    }

    [Fact]
    public void SetsComeInBlocks()
    {
        var sets = MarglikToy.LoadSets(Write("t.csv", "dataset,x,bias,y\n0,1,1,2\n0,3,1,4\n1,5,1,6\n"));
        Assert.Equal(2, sets.Count);
        Assert.Equal([1.0, 1, 3, 1], sets[0].Inputs.ToArray());
        Assert.Equal([6.0], sets[1].Targets.ToArray());
    }

    [Fact]
    public void OutOfOrderDataSetIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => MarglikToy.LoadSets(Write("t.csv", "dataset,x,bias,y\n0,1,1,2\n2,3,1,4\n")));
        Assert.Contains("data row 2: data set 2 where data set 1 was expected", e.Message);
    }

    [Fact]
    public void MissingColumnIsNamed()
    {
        var e = Assert.Throws<InvalidDataException>(() => MarglikToy.LoadSets(Write("t.csv", "dataset,x,y\n0,1,2\n")));
        Assert.Contains("no column 'bias'", e.Message);
    }

    [Fact]
    public void TrainAndTestWithDifferentSetCountsNameBothCounts()
    {
        const string header = "dataset,x,bias,y\n";
        Write("toy_train.csv", header + "0,1,1,1\n1,1,1,1\n");
        Write("toy_test.csv", header + "0,1,1,1\n");
        Write("toy_width_train.csv", header + "0,1,1,1\n");
        Write("toy_width_test.csv", header + "0,1,1,1\n");
        Write("toy_grid.csv", "x,bias,sin_x\n0,1,0\n");
        var e = Assert.Throws<InvalidDataException>(() => MarglikToy.Load(_temp.Path));
        Assert.Contains("holds 2 data sets", e.Message);
        Assert.Contains("holds 1", e.Message);
    }

    [Fact]
    public void MissingFileSaysWhatTheFolderHolds()
    {
        var e = Assert.Throws<FileNotFoundException>(() => MarglikToy.Load(_temp.Path));
        Assert.Contains("toy_train.csv is missing", e.Message);
        Assert.Contains("dnn2gp-marglik-toy/ holds toy_train.csv, toy_test.csv", e.Message);
    }
}
