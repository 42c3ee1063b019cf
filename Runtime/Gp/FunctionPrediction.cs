using System;

namespace Dnn2Gp.Runtime.Gp;

/// <summary>Which computation produced a prediction or a marginal likelihood.</summary>
public enum PredictiveForm
{
    /// <summary>Weight space: the Laplace posterior N(w*, Σ) pushed through the linearised network, J(x) Σ J(x)ᵀ (P × P algebra).</summary>
    WeightSpace,

    /// <summary>Function space: GP regression on the DNN2GP pseudo-targets with the kernel J S₀ Jᵀ (M × M algebra).</summary>
    FunctionSpace,
}

/// <summary>
/// A Gaussian predictive of the network outputs f at <see cref="Count"/> inputs: the mean [m, K] and the per-input
/// covariance [m, K, K], and for a Gaussian likelihood the noise variance σ² that turns it into the predictive of y.
/// </summary>
public sealed class FunctionPrediction
{
    private readonly double[] _mean;
    private readonly double[] _covariances;

    internal FunctionPrediction(int count, int outputs, double[] mean, double[] covariances, double? noiseVariance, PredictiveForm form)
    {
        Count = count;
        Outputs = outputs;
        _mean = mean;
        _covariances = covariances;
        NoiseVariance = noiseVariance;
        Form = form;
    }

    /// <summary>m, the inputs predicted.</summary>
    public int Count { get; }

    /// <summary>K, the outputs per input.</summary>
    public int Outputs { get; }

    /// <summary>The predictive mean of f [m, K].</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The covariance of f per input [m, K, K].</summary>
    public ReadOnlySpan<double> Covariances => _covariances;

    /// <summary>σ² of a Gaussian likelihood (null for classification).</summary>
    public double? NoiseVariance { get; }

    /// <summary>How it was computed.</summary>
    public PredictiveForm Form { get; }

    /// <summary>The mean of output <paramref name="output"/> at input <paramref name="index"/>.</summary>
    public double MeanOf(int index, int output) => _mean[Check(index, output) * Outputs + output];

    /// <summary>Var f (the epistemic variance) of output <paramref name="output"/> at input <paramref name="index"/>.</summary>
    public double VarianceOfF(int index, int output) => _covariances[(Check(index, output) * Outputs + output) * Outputs + output];

    /// <summary>Var y = Var f + σ² (Gaussian likelihood only).</summary>
    /// <exception cref="InvalidOperationException">The likelihood is not Gaussian.</exception>
    public double VarianceOfY(int index, int output) =>
        VarianceOfF(index, output) + (NoiseVariance ?? throw new InvalidOperationException("Var y = Var f + σ² needs a Gaussian likelihood; for classification use the link approximations."));

    /// <summary>Var f of every input and output [m, K].</summary>
    public double[] VariancesOfF()
    {
        var v = new double[Count * Outputs];
        for (int e = 0; e < Count; e++)
        {
            for (int k = 0; k < Outputs; k++) v[e * Outputs + k] = _covariances[(e * Outputs + k) * Outputs + k];
        }
        return v;
    }

    /// <summary>Var y = Var f + σ² of every input and output [m, K] (Gaussian likelihood only).</summary>
    public double[] VariancesOfY()
    {
        double noise = NoiseVariance ?? throw new InvalidOperationException("Var y = Var f + σ² needs a Gaussian likelihood.");
        var v = VariancesOfF();
        for (int i = 0; i < v.Length; i++) v[i] += noise;
        return v;
    }

    private int Check(int index, int output)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The prediction has {Count} inputs.");
        if ((uint)output >= (uint)Outputs) throw new ArgumentOutOfRangeException(nameof(output), output, $"The prediction has {Outputs} outputs.");
        return index;
    }
}
