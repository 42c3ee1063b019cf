using System;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Gp;
using Dnn2Gp.Runtime.Laplace;
using Dnn2Gp.Runtime.Optimizers;
using Dnn2Gp.Runtime.Training;

namespace Dnn2Gp.Cli.Gp;

/// <summary>The training schedule of a DNN2GP regression experiment: full-batch Adam with ReduceLROnPlateau (min lr 1e-10).</summary>
internal sealed record TrainingSchedule(int Epochs, double LearningRate, double PlateauFactor);

/// <summary>One trained network of a sweep: its DNN2GP marginal likelihood (both forms) and its errors.</summary>
internal sealed record RegressionOutcome(double LogMarginalLikelihood, double WeightSpaceLogMarginalLikelihood, double TrainMse, double TestMse,
    double Objective, double[] Parameters);

/// <summary>
/// Trains one network as the official regression experiments do (METHODS E1/E3/E4: summed negative log joint,
/// full-batch Adam, ReduceLROnPlateau) and turns it into the DNN2GP GP: log marginal likelihood on the training set
/// (GP Cholesky form, as the paper reports it, and the weight-space form beside it) and the MAP network's MSEs.
/// </summary>
internal static class RegressionRuns
{
    public static RegressionOutcome Run<TNet>(RegressionSet train, RegressionSet test, double delta, double sigma, TrainingSchedule schedule,
        int seed, bool weightSpace = true)
        where TNet : INetwork<TNet, double>
    {
        var prior = PriorPrecision.Isotropic(delta);
        var parameters = new double[TNet.ParameterCount];
        TNet.InitializeParameters(parameters, seed);
        var trainer = new FullBatchTrainer<TNet, double>(train.Inputs, train.Targets, train.Count, prior, sigma);
        var adam = new Adam<double>(TNet.ParameterCount, schedule.LearningRate);
        var scheduler = new ReduceLROnPlateau<double>(adam, factor: schedule.PlateauFactor, minLearningRate: 1e-10);
        var report = trainer.Train(parameters, adam, schedule.Epochs, scheduler);
        var gp = NetworkGp<TNet, double>.Create(parameters, train.Inputs, train.Targets, train.Count, prior, sigma);
        double mlh = gp.LogMarginalLikelihood(PredictiveForm.FunctionSpace).Value;
        double weight = weightSpace ? gp.LogMarginalLikelihood(PredictiveForm.WeightSpace).Value : double.NaN;
        return new RegressionOutcome(mlh, weight, Mse<TNet>(parameters, train), Mse<TNet>(parameters, test), report.Objective, parameters);
    }

    /// <summary>Mean squared error of the network at <paramref name="parameters"/> on <paramref name="data"/> (its own units).</summary>
    public static double Mse<TNet>(ReadOnlySpan<double> parameters, RegressionSet data) where TNet : INetwork<TNet, double>
    {
        var f = new double[data.Count];
        TNet.Forward(parameters, data.Inputs, f, data.Count);
        double sum = 0;
        for (int i = 0; i < data.Count; i++) sum += (f[i] - data.Targets[i]) * (f[i] - data.Targets[i]);
        return sum / data.Count;
    }

    /// <summary>Mean and standard error (population std / √n, as marglik_plots.py) of <paramref name="values"/>.</summary>
    public static (double Mean, double StandardError) MeanAndError(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (double v in values) mean += v / values.Length;
        double squares = 0;
        foreach (double v in values) squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / values.Length) / Math.Sqrt(values.Length));
    }
}
