using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Runtime;

namespace Dnn2Gp.Cli;

/// <summary>A built-in network, seen through the generic generated interface.</summary>
internal interface IBuiltInNetwork
{
    string Key { get; }

    string TypeName { get; }

    string Description { get; }

    int ParameterCount { get; }

    /// <summary>Adam's learning rate when <c>--lr</c> is not given (the peak of the cosine schedule).</summary>
    double LearningRate { get; }

    /// <summary>The learning-rate schedule when <c>--schedule</c> is not given.</summary>
    LearningRateSchedule Schedule { get; }

    ParameterLayout Layout { get; }

    int Train(TrainOptions options);

    double BenchmarkEpoch(int batchSize, int repeats, int seed);
}

internal sealed class BuiltInNetwork<TNet>(string key, string description, double learningRate = 1e-3,
    LearningRateSchedule schedule = LearningRateSchedule.Constant) : IBuiltInNetwork
    where TNet : INetwork<TNet, float>
{
    public string Key => key;

    public string TypeName => TNet.Name;

    public string Description => description;

    public int ParameterCount => TNet.ParameterCount;

    public double LearningRate => learningRate;

    public LearningRateSchedule Schedule => schedule;

    public ParameterLayout Layout => TNet.Layout;

    public int Train(TrainOptions options) => TrainCommand.Run<TNet>(options);

    public double BenchmarkEpoch(int batchSize, int repeats, int seed) => Benchmarks.BenchmarkTiming.Median(Benchmarks.TrainMlpBenchmark.TimeEpochs<TNet>(batchSize, repeats, seed));
}

internal static class BuiltInNetworks
{
    public static IReadOnlyList<IBuiltInNetwork> All { get; } =
    [
        new BuiltInNetwork<MnistMlp>("mnist-mlp", "784-100-100-10 ReLU MLP, softmax likelihood (the default)"),
        new BuiltInNetwork<MnistMlpTanh>("mnist-mlp-tanh", "784-100-100-10 tanh MLP, softmax likelihood, Gaussian prior δ = 1e-4"),
        new BuiltInNetwork<LeNet5>("lenet5", "LeNet-5 for MNIST (1x28x28, conv 6-16, 256-120-84-10), softmax likelihood, δ = 1e-4; Adam lr 2e-3 with cosine decay", 2e-3, LearningRateSchedule.Cosine),
        new BuiltInNetwork<LeNet5Cifar>("lenet5-cifar", "LeNet-5 for CIFAR-10 (3x32x32, conv 6-16, 400-120-84-10), softmax likelihood, δ = 1e-2 (needs --data with CIFAR-10)"),
        new BuiltInNetwork<CifarNet>("cifar-net", "FROMP's CifarNet (3x32x32, conv 32-32-64-64, dropout, 2304-512-60), δ = 1e-4 (needs --data with CIFAR-10)"),
    ];

    public static IBuiltInNetwork? Find(string name) =>
        All.FirstOrDefault(n => string.Equals(n.Key, name, StringComparison.OrdinalIgnoreCase) || string.Equals(n.TypeName, name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(n => n.Key));
}
