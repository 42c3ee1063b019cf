using System.Diagnostics;
using Dnn2Gp.Examples.Inputs;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;
using Xunit;
using Xunit.Abstractions;

namespace Dnn2Gp.Integration.Tests;

/// <summary>End to end on real data: the generated LeNet-5 (convolutions, max pooling, flatten) learns MNIST from 2,000 images.</summary>
public class LeNetTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void LeNet5_trained_on_2000_mnist_images_reaches_90_percent_test_accuracy()
    {
        string folder = DataPaths.FindShared("mnist")
            ?? throw new Xunit.Sdk.XunitException($"MNIST not found: put {string.Join(", ", Mnist.FileNames)} in shared/data/mnist beside the repository (or set {DataPaths.EnvironmentVariable}).");
        var train = Mnist.Load(folder, MnistSplit.Train).Take(2000);
        var test = Mnist.Load(folder, MnistSplit.Test).Take(2000);

        var parameters = new float[LeNet5.ParameterCount];
        LeNet5.InitializeParameters(parameters, seed: 0);
        var before = MinibatchTrainer<LeNet5>.Evaluate(parameters, test);
        var trainer = new MinibatchTrainer<LeNet5>(train, new Adam<float>(LeNet5.ParameterCount, learningRate: 2e-3), batchSize: 32, seed: 0);
        var clock = Stopwatch.StartNew();
        double firstLoss = 0, lastLoss = 0;
        for (int epoch = 0; epoch < 6; epoch++)
        {
            var report = trainer.TrainEpoch(parameters);
            if (epoch == 0) firstLoss = report.MeanLoss;
            lastLoss = report.MeanLoss;
        }
        var after = MinibatchTrainer<LeNet5>.Evaluate(parameters, test);
        output.WriteLine($"6 epochs in {clock.Elapsed.TotalSeconds:F2} s; loss {firstLoss:F4} -> {lastLoss:F4}; test accuracy {before.Accuracy:P2} -> {after.Accuracy:P2}");

        Assert.InRange(before.Accuracy, 0.0, 0.2);
        Assert.True(lastLoss < 0.3 * firstLoss, $"training loss went from {firstLoss:F4} to {lastLoss:F4}");
        Assert.True(after.Accuracy >= 0.90, $"test accuracy {after.Accuracy:P2} after 6 epochs on 2,000 images (expected at least 90%)");

        // The trained network's curvature: the exact diagonal GGN of 256 training images is finite and non-negative.
        var diagonal = new double[LeNet5.ParameterCount];
        Curvature<LeNet5, float>.GgnDiagonal(parameters, train.Inputs.Slice(0, 256 * LeNet5.InputSize), 256, diagonal);
        Assert.All(diagonal, v => Assert.True(v >= 0 && double.IsFinite(v)));
    }
}
