using System;
using System.Linq;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Data;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Continual;

public sealed class ContinualSettingsTests
{
    [Fact]
    public void Presets_are_the_official_scripts_hyperparameters()
    {
        var split = ContinualSettings.SplitMnist;
        Assert.Equal((1e-4, 15, 128, 40, 10.0, 1e-3, 0.1, 1e-6, 42), (split.LearningRate, split.Epochs, split.BatchSize, split.MemoryPerTask, split.Tau, split.PriorPrecision, split.GradientClip, split.KernelJitter, split.Seed));
        var permuted = ContinualSettings.PermutedMnist;
        Assert.Equal((1e-3, 10, 128, 200, 0.5, 1e-5, 0.01, 1e-5, 43), (permuted.LearningRate, permuted.Epochs, permuted.BatchSize, permuted.MemoryPerTask, permuted.Tau, permuted.PriorPrecision, permuted.GradientClip, permuted.KernelJitter, permuted.Seed));
        var cifar = ContinualSettings.SplitCifar;
        Assert.Equal((1e-3, 80, 256, 200, 10.0, 1e-4, 100.0, 1e-6, 42), (cifar.LearningRate, cifar.Epochs, cifar.BatchSize, cifar.MemoryPerTask, cifar.Tau, cifar.PriorPrecision, cifar.GradientClip, cifar.KernelJitter, cifar.Seed));
        var toy = ContinualSettings.Toy;
        Assert.Equal((0.01, 50, 20, 20, 1.0, 1e-4, (double?)null, 1e-3, 123), (toy.LearningRate, toy.Epochs, toy.BatchSize, toy.MemoryPerTask, toy.Tau, toy.PriorPrecision, toy.GradientClip, toy.KernelJitter, toy.Seed));
    }

    [Fact]
    public void Methods_are_combinations_of_selection_kernel_and_regulariser()
    {
        var p = ContinualSettings.PermutedMnist;
        Assert.Equal((ContinualRegulariser.Functional, MemorySelection.LambdaDescending, FunctionalKernel.Gp), Parts(p.WithMethod(ContinualMethod.Fromp)));
        Assert.Equal((ContinualRegulariser.Functional, MemorySelection.LambdaDescending, FunctionalKernel.Identity), Parts(p.WithMethod(ContinualMethod.FrompL2)));
        Assert.Equal((ContinualRegulariser.Functional, MemorySelection.Random, FunctionalKernel.Gp), Parts(p.WithMethod(ContinualMethod.Frorp)));
        Assert.Equal((ContinualRegulariser.Functional, MemorySelection.Random, FunctionalKernel.Identity), Parts(p.WithMethod(ContinualMethod.FrorpL2)));
        Assert.Equal(ContinualRegulariser.WeightSpace, p.WithMethod(ContinualMethod.Ewc).Regulariser);
        Assert.Equal(ContinualRegulariser.None, p.WithMethod(ContinualMethod.FineTuning).Regulariser);
        // τ and clipping belong to FROMP's objective only; the optimiser settings stay.
        Assert.Equal((2.0, 0.01), (p.WithMethod(ContinualMethod.Fromp).DataScale, p.WithMethod(ContinualMethod.Fromp).AppliedClip!.Value));
        Assert.Equal((1.0, (double?)null), (p.WithMethod(ContinualMethod.Ewc).DataScale, p.WithMethod(ContinualMethod.Ewc).AppliedClip));
        Assert.All(Enum.GetValues<ContinualMethod>(), m => Assert.Equal(p.LearningRate, p.WithMethod(m).LearningRate));
    }

    private static (ContinualRegulariser, MemorySelection, FunctionalKernel) Parts(ContinualSettings s) => (s.Regulariser, s.Selection, s.Kernel);

    [Fact]
    public void Out_of_range_settings_are_refused_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (ContinualSettings.SplitMnist with { Tau = 0 }).Validate());
        Assert.Equal("Tau", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => (ContinualSettings.SplitMnist with { MemoryPerTask = 0 }).Validate());
        Assert.Equal("MemoryPerTask", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => (ContinualSettings.SplitMnist with { GradientClip = -1 }).Validate());
        Assert.Equal("GradientClip", e.ParamName);
    }
}

public sealed class SplitCifarTests
{
    private static Dataset Fake(int classes, int perClass, int seed, string name)
    {
        var random = new Random(seed);
        int n = classes * perClass, d = 12;
        var inputs = new float[n * d];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
        var targets = Enumerable.Range(0, n).Select(i => (float)((i * 7) % classes)).ToArray();
        return new Dataset(name, inputs, d, targets, 1, classes);
    }

    [Fact]
    public void Cifar10_then_five_cifar100_blocks_on_their_own_heads()
    {
        Dataset c10 = Fake(10, 3, 1, "c10"), c100 = Fake(100, 2, 2, "c100");
        int made = 0;
        TaskSequence tasks = SplitCifar.Create(() => c10, () => c10, () => { made++; return c100; }, () => c100);
        Assert.Equal(6, tasks.Count);
        Assert.Equal(60, tasks.OutputSize);
        Assert.True(tasks.IsMultiHead);
        Assert.Equal(0, made);
        Assert.Equal(30, tasks[0].Train.Count);
        for (int t = 1; t < 6; t++)
        {
            ContinualTask task = tasks[t];
            Assert.Equal(10 * t, task.HeadStart);
            Assert.Equal(10, task.Classes);
            Dataset train = task.Train;
            Assert.Equal(20, train.Count);
            // Relabelled 0…9 from CIFAR-100 classes 10(t−1)…10t−1, in the original order, inputs unchanged.
            int k = 0;
            for (int i = 0; i < c100.Count; i++)
            {
                int label = c100.Label(i);
                if (label < 10 * (t - 1) || label >= 10 * t) continue;
                Assert.Equal(label - 10 * (t - 1), train.Label(k));
                Assert.Equal(c100.Input(i).ToArray(), train.Input(k).ToArray());
                k++;
            }
        }
        Assert.Equal(1, made);
    }

    [Fact]
    public void Loading_from_files_reads_cifar10_then_cifar100_class_blocks()
    {
        using var temp = new TempFolder();
        // CIFAR-10: one record per training batch (labels 0…4) and one test record; CIFAR-100: fine labels 3 and 12.
        for (int b = 1; b <= 5; b++) WriteCifar(temp.File($"data_batch_{b}.bin"), [[(byte)(b - 1)]]);
        WriteCifar(temp.File("test_batch.bin"), [[7]]);
        WriteCifar(temp.File("train.bin"), [[0, 3], [1, 12]]);
        WriteCifar(temp.File("test.bin"), [[0, 12]]);

        TaskSequence tasks = SplitCifar.Load(temp.Path, cifar100Tasks: 2);

        Assert.Equal(3, tasks.Count);
        Assert.Equal(30, tasks.OutputSize);
        Assert.Equal(new[] { 0f, 1f, 2f, 3f, 4f }, tasks[0].Train.Targets.ToArray());
        Assert.Equal(new[] { 7f }, tasks[0].Test.Targets.ToArray());
        Assert.Equal(new[] { 3f }, tasks[1].Train.Targets.ToArray());       // class 3 of block 0–9
        Assert.Equal(new[] { 2f }, tasks[2].Train.Targets.ToArray());       // class 12 of block 10–19, relabelled
        Assert.Equal(new[] { 2f }, tasks[2].Test.Targets.ToArray());
        Assert.Equal(20, tasks[2].HeadStart);
    }

    [Fact]
    public void Loading_from_a_folder_without_cifar100_fails_before_any_task_naming_the_file()
    {
        using var temp = new TempFolder();
        for (int b = 1; b <= 5; b++) WriteCifar(temp.File($"data_batch_{b}.bin"), [[0]]);
        WriteCifar(temp.File("test_batch.bin"), [[0]]);

        var e = Assert.Throws<System.IO.FileNotFoundException>(() => SplitCifar.Load(temp.Path));
        Assert.Contains("train.bin", e.Message);
        Assert.Contains("CIFAR-100", e.Message);
        Assert.Throws<System.IO.FileNotFoundException>(() => SplitCifar.Load(System.IO.Path.Combine(temp.Path, "missing")));
    }

    /// <summary>Writes CIFAR binary records (the given label bytes, then 3 × 32 × 32 pixel bytes).</summary>
    private static void WriteCifar(string path, byte[][] labels)
    {
        using var stream = System.IO.File.Create(path);
        foreach (byte[] label in labels)
        {
            stream.Write(label);
            stream.Write(new byte[3 * 32 * 32]);
        }
    }

    [Fact]
    public void A_factory_with_the_wrong_number_of_classes_is_reported()
    {
        Dataset c10 = Fake(10, 2, 1, "c10");
        TaskSequence tasks = SplitCifar.Create(() => c10, () => c10, () => c10, () => c10);
        var e = Assert.Throws<InvalidOperationException>(() => tasks[1].Train);
        Assert.Contains("100-class", e.Message);
    }
}
