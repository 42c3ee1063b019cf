using System;
using System.CommandLine;
using Dnn2Gp.Cli;

// dnn2gp: the command-line tool of Dnn2Gp.Dsl. Each command lives in its own file; this file only wires them.
var data = new Option<string?>("--data") { Description = "Folder with the MNIST (or Fashion-MNIST) IDX files; default: shared/data/mnist when present, else built-in synthetic data" };
var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 10 };
var batch = new Option<int>("--batch") { Description = "Minibatch size", DefaultValueFactory = _ => 128 };
var learningRate = new Option<double?>("--lr") { Description = "Adam's learning rate (default: the network's, 1e-3 for the MLPs, 2e-3 for LeNet-5)" };
var seed = new Option<int>("--seed") { Description = "Seed of the initialisation and the shuffles", DefaultValueFactory = _ => 0 };
var network = new Option<string>("--network") { Description = $"Built-in network: {BuiltInNetworks.Names}", DefaultValueFactory = _ => "mnist-mlp" };
var limit = new Option<int?>("--train-limit") { Description = "Use only the first N training examples" };
var schedule = new Option<LearningRateSchedule?>("--schedule") { Description = "Learning rate per epoch: Constant, or Cosine (decay from --lr to a few % of it); default: the network's (Constant for the MLPs, Cosine for LeNet-5)" };

var train = new Command("train", "Train a built-in network with Adam and print its test accuracy") { data, epochs, batch, learningRate, seed, network, limit, schedule };
train.SetAction(result =>
{
    var chosen = BuiltInNetworks.Find(result.GetValue(network)!);
    if (chosen is null)
    {
        Console.Error.WriteLine($"Unknown network '{result.GetValue(network)}'. Built-in networks: {BuiltInNetworks.Names}.");
        return 2;
    }
    double rate = result.GetValue(learningRate) ?? chosen.LearningRate;
    if (result.GetValue(epochs) < 1 || result.GetValue(batch) < 1 || !(rate > 0) || !double.IsFinite(rate))
    {
        Console.Error.WriteLine($"--epochs and --batch must be at least 1 and --lr positive; got {result.GetValue(epochs)}, {result.GetValue(batch)} and {rate}.");
        return 2;
    }
    return chosen.Train(new TrainOptions(result.GetValue(data), result.GetValue(epochs), result.GetValue(batch),
        rate, result.GetValue(seed), result.GetValue(limit), result.GetValue(schedule) ?? chosen.Schedule));
});

var workload = new Argument<string>("workload") { Description = $"One of: {string.Join(", ", BenchCommand.Workloads)}" };
var repeats = new Option<int>("--repeats") { Description = "Timed runs after the warm-up (at least one run and 1.5 s); the median is printed", DefaultValueFactory = _ => 5 };
var bench = new Command("bench", "Time a standard workload; prints '<workload> <median_seconds> <peak_managed_MB>'") { workload, repeats };
bench.SetAction(result => BenchCommand.Run(result.GetValue(workload)!, result.GetValue(repeats)));

var inspected = new Argument<string>("network") { Description = $"Built-in network: {BuiltInNetworks.Names}" };
var layoutOnly = new Option<bool>("--layout-only") { Description = "Print only the parameter layout table" };
var inspect = new Command("inspect", "Print a built-in network's parameter layout and generated source") { inspected, layoutOnly };
inspect.SetAction(result => InspectCommand.Run(result.GetValue(inspected)!, result.GetValue(layoutOnly)));

var benchmark = new Argument<string>("benchmark") { Description = $"One of: {string.Join(", ", ContinualCommand.Benchmarks)}" };
var method = new Option<string>("--method") { Description = $"One of: {string.Join(", ", ContinualCommand.Methods.Keys)}", DefaultValueFactory = _ => "fromp" };
var seeds = new Option<int>("--seeds") { Description = "Runs with seeds s, s+1, … (s = the script's seed unless --seed is given)", DefaultValueFactory = _ => 1 };
var continualData = new Option<string?>("--data") { Description = "Folder with the MNIST or Fashion-MNIST IDX files (default: shared/data/mnist; split-cifar: the CIFAR-10 and CIFAR-100 binary files)" };
var output = new Option<string?>("--out") { Description = "Folder for the CSVs and figures (default: continual-results/<benchmark>-<method>)" };
var continualEpochs = new Option<int?>("--epochs") { Description = "Override the epochs per task" };
var tasks = new Option<int?>("--tasks") { Description = "Only the first N tasks" };
var continualLimit = new Option<int?>("--train-limit") { Description = "Only the first N training examples of each task" };
var continualLr = new Option<double?>("--lr") { Description = "Override Adam's learning rate" };
var tau = new Option<double?>("--tau") { Description = "Override τ (FROMP's code scale)" };
var memory = new Option<int?>("--memory") { Description = "Override the memorable points per task" };
var ewcLambda = new Option<double?>("--ewc-lambda") { Description = "EWC's λ on ½ Σ F̄ (w − μ)² (F̄: per-example GGN diagonal averaged over each task, summed over tasks)" };
var firstSeed = new Option<int?>("--seed") { Description = "The first seed (default: the official script's)" };
var continual = new Command("continual", "Continual learning: FROMP, FROMP-L2, FRORP, FRORP-L2, EWC or fine-tuning on Split/Permuted MNIST (or the 2-D toy)")
{
    benchmark, method, seeds, continualData, output, continualEpochs, tasks, continualLimit, continualLr, tau, memory, ewcLambda, firstSeed,
};
continual.SetAction(result =>
{
    if (!ContinualCommand.Methods.TryGetValue(result.GetValue(method)!, out var chosenMethod))
    {
        Console.Error.WriteLine($"Unknown method '{result.GetValue(method)}'. Methods: {string.Join(", ", ContinualCommand.Methods.Keys)}.");
        return 2;
    }
    if (result.GetValue(seeds) < 1)
    {
        Console.Error.WriteLine($"--seeds must be at least 1, got {result.GetValue(seeds)}.");
        return 2;
    }
    return ContinualCommand.Run(new ContinualOptions(result.GetValue(benchmark)!, chosenMethod, result.GetValue(seeds), result.GetValue(continualData), result.GetValue(output),
        result.GetValue(continualEpochs), result.GetValue(tasks), result.GetValue(continualLimit), result.GetValue(continualLr), result.GetValue(tau),
        result.GetValue(memory), result.GetValue(ewcLambda), result.GetValue(firstSeed)));
});

var gp = Dnn2Gp.Cli.Gp.GpCommand.Create();

var root = new RootCommand("dnn2gp: declare a network, get generated forward/gradient code, train it, turn it into a GP") { train, bench, inspect, gp, continual };
return root.Parse(args).Invoke();
