using System;
using System.Linq;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>train-mlp: one Adam epoch of the 784-100-100-10 ReLU MLP over 60,000 MNIST-sized images at batch 256.</summary>
internal sealed class TrainMlpBenchmark : IBenchmark
{
    public string Name => "train-mlp";

    public string Description => "one Adam epoch of the 784-100-100-10 ReLU MLP, 60,000 MNIST-sized images, batch 256";

    public double[] Run(int repeats) => TimeEpochs<MnistMlp>(batchSize: 256, repeats, seed: 0);

    /// <summary>Seconds of each timed Adam epoch over 60,000 synthetic MNIST-sized examples (after one warm-up epoch).</summary>
    public static double[] TimeEpochs<TNet>(int batchSize, int repeats, int seed) where TNet : INetwork<TNet, float>
    {
        var data = SyntheticMnist.Create(60_000, seed: 1);
        var parameters = new float[TNet.ParameterCount];
        TNet.InitializeParameters(parameters, seed);
        var trainer = new MinibatchTrainer<TNet>(data, new Adam<float>(TNet.ParameterCount), batchSize, seed);
        var times = BenchmarkTiming.Repeat(repeats, () => trainer.TrainEpoch(parameters));
        Console.WriteLine($"# {TNet.Name}: one epoch of {data.Count:N0} examples at batch {batchSize}, {Environment.ProcessorCount} cores");
        return times;
    }
}
