using System;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Cli.Benchmarks;

/// <summary>
/// The data of the Laplace benchmarks: real MNIST (60,000 training, 10,000 test images) from the shared data folder when
/// present, else the synthetic stand-in of the same shapes (said on a '#' line); the MLP's initial parameters (the cost
/// of every Laplace quantity does not depend on their values).
/// </summary>
internal static class LaplaceWorkload
{
    private static (Dataset Train, Dataset Test)? s_data;

    public static (Dataset Train, Dataset Test) Mnist()
    {
        if (s_data is { } cached) return cached;
        string? folder = DataPaths.FindShared(SharedDataFolders.Mnist);
        if (folder is null)
        {
            Console.WriteLine("# MNIST not found in shared/data/mnist: using 60,000 + 10,000 synthetic MNIST-sized images");
            s_data = (SyntheticMnist.Create(60_000, seed: 1), SyntheticMnist.Create(10_000, seed: 2));
        }
        else
        {
            Console.WriteLine($"# real MNIST from {SharedDataFolders.Mnist}/: 60,000 training, 10,000 test images");
            s_data = (Runtime.Data.Mnist.Load(folder, MnistSplit.Train), Runtime.Data.Mnist.Load(folder, MnistSplit.Test));
        }
        return s_data.Value;
    }

    public static float[] MlpParameters()
    {
        var parameters = new float[MnistMlp.ParameterCount];
        MnistMlp.InitializeParameters(parameters, 0);
        return parameters;
    }
}
