using System;
using System.CommandLine;
using Dnn2Gp.Cli;

// dnn2gp: the command-line tool of Dnn2Gp.Dsl. Each command lives in its own file; this file only wires them.
var data = new Option<string?>("--data") { Description = "Folder with the MNIST (or Fashion-MNIST) IDX files; default: shared/data/mnist when present, else built-in synthetic data" };
var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 10 };
var batch = new Option<int>("--batch") { Description = "Minibatch size", DefaultValueFactory = _ => 128 };
var learningRate = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
var seed = new Option<int>("--seed") { Description = "Seed of the initialisation and the shuffles", DefaultValueFactory = _ => 0 };
var network = new Option<string>("--network") { Description = $"Built-in network: {BuiltInNetworks.Names}", DefaultValueFactory = _ => "mnist-mlp" };
var limit = new Option<int?>("--train-limit") { Description = "Use only the first N training examples" };

var train = new Command("train", "Train a built-in network with Adam and print its test accuracy") { data, epochs, batch, learningRate, seed, network, limit };
train.SetAction(result =>
{
    var chosen = BuiltInNetworks.Find(result.GetValue(network)!);
    if (chosen is null)
    {
        Console.Error.WriteLine($"Unknown network '{result.GetValue(network)}'. Built-in networks: {BuiltInNetworks.Names}.");
        return 2;
    }
    return chosen.Train(new TrainOptions(result.GetValue(data), result.GetValue(epochs), result.GetValue(batch),
        result.GetValue(learningRate), result.GetValue(seed), result.GetValue(limit)));
});

var workload = new Argument<string>("workload") { Description = $"One of: {string.Join(", ", BenchCommand.Workloads)}" };
var repeats = new Option<int>("--repeats") { Description = "Timed runs after one warm-up; the median is printed", DefaultValueFactory = _ => 5 };
var bench = new Command("bench", "Time a standard workload; prints '<workload> <median_seconds> <peak_managed_MB>'") { workload, repeats };
bench.SetAction(result => BenchCommand.Run(result.GetValue(workload)!, result.GetValue(repeats)));

var inspected = new Argument<string>("network") { Description = $"Built-in network: {BuiltInNetworks.Names}" };
var layoutOnly = new Option<bool>("--layout-only") { Description = "Print only the parameter layout table" };
var inspect = new Command("inspect", "Print a built-in network's parameter layout and generated source") { inspected, layoutOnly };
inspect.SetAction(result => InspectCommand.Run(result.GetValue(inspected)!, result.GetValue(layoutOnly)));

var gp = Dnn2Gp.Cli.Gp.GpCommand.Create();

var root = new RootCommand("dnn2gp: declare a network, get generated forward/gradient code, train it, turn it into a GP") { train, bench, inspect, gp };
return root.Parse(args).Invoke();
