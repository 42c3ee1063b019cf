using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Optimizers;

/// <summary>
/// Stochastic gradient descent with exactly the semantics of PyTorch's <c>torch.optim.SGD</c> (dampening 0, no
/// Nesterov): g ← ∇ + λ·p; with momentum μ &gt; 0 the buffer b is g on the first step and μ·b + g afterwards, and g ← b;
/// then p ← p − lr·g. One vectorised pass over the parameters.
/// </summary>
public sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _buffer;
    private double _learningRate;

    /// <param name="parameterCount">The length of the parameter vector.</param>
    /// <param name="learningRate">lr; positive and finite.</param>
    /// <param name="momentum">μ in [0, 1); 0 for plain SGD.</param>
    /// <param name="weightDecay">λ ≥ 0: L2 penalty added to the gradient.</param>
    public Sgd(int parameterCount, double learningRate, double momentum = 0, double weightDecay = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        _learningRate = OptimizerChecks.LearningRate(learningRate);
        Momentum = OptimizerChecks.UnitInterval(momentum, nameof(momentum), "The momentum");
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay), "The weight decay");
        ParameterCount = parameterCount;
        _buffer = Momentum != 0 ? new T[parameterCount] : [];
    }

    /// <summary>The length of the parameter vector.</summary>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.LearningRate(value, nameof(value));
    }

    public double Momentum { get; }
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <summary>The momentum buffer (empty without momentum).</summary>
    public ReadOnlySpan<T> MomentumBuffer => _buffer;

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_buffer);
        StepCount = 0;
    }

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        OptimizerChecks.Lengths("SGD", ParameterCount, parameters.Length, gradient.Length);
        bool first = StepCount == 0;
        StepCount++;
        T negLr = T.CreateTruncating(-_learningRate);
        T decay = T.CreateTruncating(WeightDecay);
        T mu = T.CreateTruncating(Momentum);
        bool decays = WeightDecay != 0, momentum = Momentum != 0;

        Span<T> b = _buffer;
        int n = parameters.Length, i = 0;
        if (OptimizerChecks.Vectorised<T>())
        {
            int width = Vector<T>.Count;
            var vNegLr = new Vector<T>(negLr);
            var vDecay = new Vector<T>(decay);
            var vMu = new Vector<T>(mu);
            for (; i <= n - width; i += width)
            {
                var p = new Vector<T>(parameters[i..]);
                var g = new Vector<T>(gradient[i..]);
                if (decays)
                    g += vDecay * p;
                if (momentum)
                {
                    if (!first)
                        g = new Vector<T>(b[i..]) * vMu + g;
                    g.CopyTo(b[i..]);
                }
                p += vNegLr * g;
                p.CopyTo(parameters[i..]);
            }
        }
        for (; i < n; i++)
        {
            T p = parameters[i], g = gradient[i];
            if (decays)
                g += decay * p;
            if (momentum)
            {
                if (!first)
                    g = b[i] * mu + g;
                b[i] = g;
            }
            parameters[i] = p + negLr * g;
        }
    }
}
