using System;
using System.IO;
using System.Linq;
using Dnn2Gp.Plots;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Plots.Tests;

/// <summary>Each figure kind written headless as a PNG of the requested size, on the data the examples will draw.</summary>
public sealed class FiguresTests : IDisposable
{
    private readonly FigureFolder _out = new();

    public void Dispose() => _out.Dispose();

    [Fact]
    public void LinePlotWithBand_Snelson()
    {
        RegressionSet train = Snelson.LoadTrainWithGap(SharedData.Folder(Snelson.FolderName));
        double[] grid = Snelson.PredictionGrid();
        double[] mean = grid.Select(x => Math.Sin(x) * Math.Exp(-0.05 * x * x)).ToArray();
        double[] twoStd = grid.Select(x => 2 * (0.3 + 0.1 * Math.Abs(x - 2.25))).ToArray();
        string path = Figures.Curves(_out.File("snelson.png"), new CurvePanel("DNN2GP-Laplace (stand-in curve)", "x", "y",
        [
            new LineSeries("data", train.InputColumn(0), train.Targets.ToArray()) { Kind = LineKind.Markers, Color = "#000000", MarkerSize = 4 },
            LineSeries.WithBand("mean", grid, mean, twoStd, bandLabel: "± 2 std"),
        ])
        { XRange = new AxisRange(-4, 10), YRange = new AxisRange(-2.7, 2) }, width: 800, height: 450);

        Assert.Equal(_out.File("snelson.png"), path);
        FigureFolder.AssertPng(path, 800, 450);
    }

    [Fact]
    public void TwoPanelLogXCurves_DeltaSweep()
    {
        string folder = SharedData.Folder(SharedDataFolders.MarglikToy);
        PublishedSweep sweep = PublishedSweep.Load(folder, "delta_sweep_raw.csv", SharedDataFolders.MarglikToy);
        SweepCurve laplace = sweep.Curve("mlh", negate: true), vi = sweep.Curve("convimlh", negate: true);
        SweepCurve mseMap = sweep.Curve("test_loss_map"), mseVi = sweep.Curve("test_loss_vi");
        static LineSeries Line(string label, SweepCurve c, bool dashed = false) =>
            LineSeries.WithBand(label, c.Parameters, c.Mean, c.StandardError) with { Kind = LineKind.LineAndMarkers, Dashed = dashed };

        string path = Figures.CurvePanels(_out.File("delta-sweep.png"),
        [
            new CurvePanel("−log marginal likelihood", "δ", "−log p(D | δ)", [Line("Laplace (published)", laplace), Line("VI (published)", vi, dashed: true)]) { LogX = true },
            new CurvePanel("test MSE", "δ", "MSE", [Line("MAP (published)", mseMap), Line("VI (published)", mseVi, dashed: true)]) { LogX = true, YRange = new AxisRange(0.05, 0.6) },
        ], width: 1100, height: 420, title: "Toy δ sweep (10 data sets)");

        FigureFolder.AssertPng(path, 1100, 420);
    }

    [Fact]
    public void HeatMap_KernelSortedByClass()
    {
        // A 300×300 linear kernel of 30 synthetic digits per class, sorted by class: block structure.
        Dataset data = SyntheticMnist.Create(1500, seed: 5);
        int[] picked = Enumerable.Range(0, 10).SelectMany(c => Enumerable.Range(0, data.Count).Where(i => data.Label(i) == c).Take(30)).ToArray();
        Assert.Equal(300, picked.Length);
        var kernel = new double[300 * 300];
        for (int i = 0; i < 300; i++)
            for (int j = 0; j < 300; j++)
                kernel[i * 300 + j] = System.Numerics.Tensors.TensorPrimitives.Dot(data.Input(picked[i]), data.Input(picked[j]));
        string path = Figures.HeatMap(_out.File("kernel.png"), new MatrixPlot(kernel, 300, 300)
        {
            Title = "Kernel (30 examples per class, sorted by class)",
            Separators = Enumerable.Range(1, 9).Select(c => 30 * c).ToArray(),
            ColorBarLabel = "k(x, x′)",
        }, width: 640, height: 560);

        FigureFolder.AssertPng(path, 640, 560);
    }

    [Fact]
    public void HeatMap_AccuracyMatrixWithNumbers()
    {
        var accuracy = new AccuracyMatrix(5);
        for (int t = 0; t < 5; t++)
            for (int s = 0; s <= t; s++)
                accuracy[t, s] = 1.0 - 0.02 * (t - s) - 0.003 * s;
        string path = Figures.AccuracyHeatMap(_out.File("accuracy.png"), accuracy, "Split MNIST (stand-in numbers)", width: 600, height: 520);
        FigureFolder.AssertPng(path, 600, 520);
    }

    [Fact]
    public void ImageGrid_MnistWithCaptions()
    {
        Dataset test = Mnist.Load(SharedData.Folder(SharedDataFolders.Mnist), MnistSplit.Test);
        GreyImage[] images = Enumerable.Range(0, 20)
            .Select(i => GreyImage.Mnist(test.Input(i).ToArray(), $"{test.Label(i)} ({0.99 - 0.01 * i:0.00})"))
            .ToArray();
        string path = Figures.ImageGrid(_out.File("memorable.png"), images, columns: 10, width: 900, height: 260, title: "Most memorable (stand-in scores)");
        FigureFolder.AssertPng(path, 900, 260);
    }

    [Fact]
    public void DecisionBoundaries_FrompToyAfterEachTask()
    {
        Dataset[] tasks = FrompToy.Generate(seed: 123, pointsPerBlob: 200);
        float[] all = tasks.SelectMany(t => t.Inputs.ToArray()).ToArray();
        Grid2D grid = Grid2D.Around(all, margin: 0.2, step: 0.025);
        float[] points = grid.Points();
        var panels = new DecisionPanel[5];
        for (int t = 0; t < 5; t++)
        {
            // A stand-in field: a boundary that tilts a little more after every task.
            double[] p = Enumerable.Range(0, grid.Count)
                .Select(k => 1 / (1 + Math.Exp(-12 * (0.25 - points[2 * k + 1] - 0.1 * t * (points[2 * k] - 1)))))
                .ToArray();
            Dataset seen = tasks[t];
            panels[t] = new DecisionPanel($"after task {t + 1}", grid, p, seen.Inputs.ToArray(),
                Enumerable.Range(0, seen.Count).Select(seen.Label).ToArray())
            { Highlighted = seen.Inputs[..40].ToArray() };
        }
        string path = Figures.DecisionBoundaries(_out.File("fromp-toy.png"), panels, width: 1500, height: 340, title: "FROMP toy (stand-in fields)");
        FigureFolder.AssertPng(path, 1500, 340);
    }

    [Fact]
    public void PanelsWrapIntoRows()
    {
        var panel = new CurvePanel("p", "x", "y", [new LineSeries("a", [1, 2, 3], [1, 4, 9])]);
        string path = Figures.CurvePanels(_out.File("grid.png"), [panel, panel, panel], width: 700, height: 640, columns: 2);
        FigureFolder.AssertPng(path, 700, 640);
    }

    [Fact]
    public void TextIsRenderedHeadless()
    {
        // A figure whose only ink in the top band is its title: if no font could be loaded, the band stays white.
        var panel = new CurvePanel("", "", "", [new LineSeries("", [0, 1], [0, 1])]) { ShowLegend = false };
        string path = Figures.CurvePanels(_out.File("title.png"), [panel], width: 400, height: 300, title: "WWWWWWWW");
        Assert.True(PlotFonts.HasSystemFonts || Environment.GetEnvironmentVariable(PlotFonts.EnvironmentVariable) is { Length: > 0 },
            $"No system fonts: install a font package (Debian: fonts-dejavu-core) or set {PlotFonts.EnvironmentVariable} to a .ttf file.");
        Assert.True(FigureFolder.DarkPixels(path, 0, 0, 400, 20) > 50, "The title was not drawn: no usable font.");
    }
}

public sealed class FigureValidationTests : IDisposable
{
    private readonly FigureFolder _out = new();

    public void Dispose() => _out.Dispose();

    private static CurvePanel Panel(params LineSeries[] series) => new("t", "x", "y", series);

    private void AssertRejected(string fragment, string file, Action<string> write)
    {
        string path = _out.File(file);
        var e = Assert.ThrowsAny<ArgumentException>(() => write(path));
        Assert.Contains(fragment, e.Message);
        Assert.False(File.Exists(path), "Nothing may be written for invalid input.");
    }

    [Fact]
    public void CurveInputIsCheckedBeforeAnythingIsWritten()
    {
        AssertRejected("series 0 ('a'): 3 x values but 2 y values", "a.png", p => Figures.Curves(p, Panel(new LineSeries("a", [1, 2, 3], [1, 2]))));
        AssertRejected("y[1] is NaN", "b.png", p => Figures.Curves(p, Panel(new LineSeries("a", [1, 2], [1, double.NaN]))));
        AssertRejected("x[0] = 0 cannot be drawn on a log-x axis", "c.png", p => Figures.Curves(p, Panel(new LineSeries("a", [0, 1], [1, 2])) with { LogX = true }));
        AssertRejected("a band of 1 lower and 2 upper values", "d.png",
            p => Figures.Curves(p, Panel(new LineSeries("a", [1, 2], [1, 2]) { BandLower = [0], BandUpper = [2, 3] })));
        AssertRejected("colour 'red' is not of the form #RRGGBB", "e.png", p => Figures.Curves(p, Panel(new LineSeries("a", [1, 2], [1, 2]) { Color = "red" })));
        AssertRejected("has no series", "f.png", p => Figures.Curves(p, Panel()));
        AssertRejected("Panel 1", "g.png", p => Figures.CurvePanels(p, [Panel(new LineSeries("a", [1], [1])), Panel(new LineSeries("b", [], []))]));
    }

    [Fact]
    public void SizesAreChecked()
    {
        var panel = Panel(new LineSeries("a", [1, 2], [1, 2]));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Figures.Curves(_out.File("s.png"), panel, width: 10, height: 300));
        Assert.Contains("width must be 64..16384", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Figures.Curves(_out.File("s.png"), panel, width: 300, height: 100000));
    }

    [Fact]
    public void MatrixInputIsChecked()
    {
        AssertRejected("2×3 needs 6 values, got 5", "m.png", p => Figures.HeatMap(p, new MatrixPlot(new double[5], 2, 3)));
        AssertRejected("3 rows but 2 row labels", "n.png", p => Figures.HeatMap(p, new MatrixPlot(new double[9], 3, 3) { RowLabels = ["a", "b"] }));
        AssertRejected("every value is NaN", "o.png", p => Figures.HeatMap(p, new MatrixPlot([double.NaN], 1, 1)));
        AssertRejected("separator 3 is not between", "q.png", p => Figures.HeatMap(p, new MatrixPlot(new double[9], 3, 3) { Separators = [3] }));
    }

    [Fact]
    public void ImageAndDecisionInputIsChecked()
    {
        AssertRejected("is 28×28 = 784 pixels, but has 10 values", "i.png",
            p => Figures.ImageGrid(p, [new GreyImage(new float[10], 28, 28, "x")], 1, 200, 200));
        AssertRejected("pixel 3 is 2; pixel values must be in [0, 1]", "j.png",
            p => Figures.ImageGrid(p, [new GreyImage([0, 0, 0, 2], 2, 2, "x")], 1, 200, 200));
        var grid = new Grid2D(0, 1, 0, 1, 3, 3);
        AssertRejected("needs 9 probabilities, got 8", "k.png",
            p => Figures.DecisionBoundaries(p, [new DecisionPanel("t", grid, new double[8], [0f, 0f], [0])]));
        AssertRejected("probability 4 is 1.5", "l.png",
            p => Figures.DecisionBoundaries(p, [new DecisionPanel("t", grid, [0, 0, 0, 0, 1.5, 0, 0, 0, 0], [0f, 0f], [0])]));
        AssertRejected("1 points but 2 labels", "m.png",
            p => Figures.DecisionBoundaries(p, [new DecisionPanel("t", grid, new double[9], [0f, 0f], [0, 1])]));
    }
}

public sealed class PngHeaderAndFontTests : IDisposable
{
    private readonly FigureFolder _out = new();

    public void Dispose() => _out.Dispose();

    [Fact]
    public void NonPngFilesAreRejected()
    {
        string path = _out.File("fake.png");
        File.WriteAllText(path, "this is not a PNG file at all, no");
        Assert.Contains("does not start with the PNG signature", Assert.Throws<InvalidDataException>(() => PngHeader.ReadSize(path)).Message);
        File.WriteAllBytes(path, [0x89, (byte)'P']);
        Assert.Contains("has 2 bytes", Assert.Throws<InvalidDataException>(() => PngHeader.ReadSize(path)).Message);
        Assert.Throws<FileNotFoundException>(() => PngHeader.ReadSize(_out.File("none.png")));
    }

    [Fact]
    public void FontFileMustExistAndBeAFont()
    {
        Assert.Throws<FileNotFoundException>(() => PlotFonts.UseFontFile(_out.File("none.ttf")));
        string path = _out.File("not-a-font.ttf");
        File.WriteAllText(path, "plain text");
        Assert.Contains("is not a font file", Assert.Throws<InvalidDataException>(() => PlotFonts.UseFontFile(path)).Message);
    }
}
