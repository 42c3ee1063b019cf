using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>End to end on real data: generated code, Adam and the trainer learn MNIST from 1,000 images.</summary>
public class MnistTrainingTests
{
    [Fact]
    public void Mlp_trained_on_1000_mnist_images_reaches_80_percent_test_accuracy()
    {
        string folder = DataPaths.FindShared("mnist")
            ?? throw new Xunit.Sdk.XunitException($"MNIST not found: put {string.Join(", ", Mnist.FileNames)} in shared/data/mnist beside the repository (or set {DataPaths.EnvironmentVariable}).");
        var train = Mnist.Load(folder, MnistSplit.Train).Take(1000);
        var test = Mnist.Load(folder, MnistSplit.Test).Take(2000);

        var parameters = new float[MnistMlp784.ParameterCount];
        MnistMlp784.InitializeParameters(parameters, seed: 0);
        var before = MinibatchTrainer<MnistMlp784>.Evaluate(parameters, test);
        var trainer = new MinibatchTrainer<MnistMlp784>(train, new Adam<float>(MnistMlp784.ParameterCount, learningRate: 1e-3), batchSize: 32, seed: 0);
        double firstLoss = 0, lastLoss = 0;
        for (int epoch = 0; epoch < 15; epoch++)
        {
            var report = trainer.TrainEpoch(parameters);
            if (epoch == 0) firstLoss = report.MeanLoss;
            lastLoss = report.MeanLoss;
        }
        var after = MinibatchTrainer<MnistMlp784>.Evaluate(parameters, test);

        Assert.InRange(before.Accuracy, 0.0, 0.2);
        Assert.True(lastLoss < 0.2 * firstLoss, $"training loss went from {firstLoss:F4} to {lastLoss:F4}");
        Assert.True(after.Accuracy >= 0.80, $"test accuracy {after.Accuracy:P2} after 15 epochs on 1,000 images (expected at least 80%; 84% measured)");
    }
}
