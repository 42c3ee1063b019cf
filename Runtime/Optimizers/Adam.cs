using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Optimizers;

/// <summary>
/// Adam with exactly the semantics of PyTorch's <c>torch.optim.Adam</c> (amsgrad off, coupled L2 weight decay):
/// at step t, g ← ∇ + λ·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ);
/// p ← p − lr·m̂/(√v̂ + ε). As in PyTorch it is computed as p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε), with the
/// scalar factors in double and the elementwise work in <typeparamref name="T"/>, in one vectorised pass.
/// </summary>
public sealed class Adam<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m;
    private readonly T[] _v;
    private double _learningRate;

    /// <param name="parameterCount">The length of the parameter vector.</param>
    /// <param name="learningRate">lr; positive and finite.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε; positive.</param>
    /// <param name="weightDecay">λ ≥ 0: L2 penalty added to the gradient (not AdamW's decoupled decay).</param>
    public Adam(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        _learningRate = OptimizerChecks.LearningRate(learningRate);
        Beta1 = OptimizerChecks.UnitInterval(beta1, nameof(beta1), "Adam's β₁");
        Beta2 = OptimizerChecks.UnitInterval(beta2, nameof(beta2), "Adam's β₂");
        Epsilon = OptimizerChecks.Positive(epsilon, nameof(epsilon), "Adam's ε");
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay), "The weight decay");
        ParameterCount = parameterCount;
        _m = new T[parameterCount];
        _v = new T[parameterCount];
    }

    /// <summary>The length of the parameter vector.</summary>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.LearningRate(value, nameof(value));
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <summary>The first-moment estimate m (not bias-corrected).</summary>
    public ReadOnlySpan<T> FirstMoment => _m;

    /// <summary>The second-moment estimate v (not bias-corrected).</summary>
    public ReadOnlySpan<T> SecondMoment => _v;

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_m);
        Array.Clear(_v);
        StepCount = 0;
    }

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        OptimizerChecks.Lengths("Adam", ParameterCount, parameters.Length, gradient.Length);
        long t = ++StepCount;
        double bias1 = 1 - Math.Pow(Beta1, t);
        double bias2 = 1 - Math.Pow(Beta2, t);

        // m ← lerp(m, g, 1−β₁), written the way PyTorch's lerp is for accuracy on either side of ½.
        T w1 = T.CreateTruncating(1 - Beta1);
        T oneMinusW1 = T.One - w1;
        bool smallWeight = Math.Abs(1 - Beta1) < 0.5;
        T beta2 = T.CreateTruncating(Beta2);
        T w2 = T.CreateTruncating(1 - Beta2);
        T bias2Sqrt = T.CreateTruncating(Math.Sqrt(bias2));
        T eps = T.CreateTruncating(Epsilon);
        T negStep = T.CreateTruncating(-(_learningRate / bias1));
        T decay = T.CreateTruncating(WeightDecay);
        bool decays = WeightDecay != 0;

        Span<T> m = _m, v = _v;
        int n = parameters.Length, i = 0;
        if (OptimizerChecks.Vectorised<T>())
        {
            int width = Vector<T>.Count;
            var vW1 = new Vector<T>(w1);
            var vOneMinusW1 = new Vector<T>(oneMinusW1);
            var vBeta2 = new Vector<T>(beta2);
            var vW2 = new Vector<T>(w2);
            var vBias2Sqrt = new Vector<T>(bias2Sqrt);
            var vEps = new Vector<T>(eps);
            var vNegStep = new Vector<T>(negStep);
            var vDecay = new Vector<T>(decay);
            for (; i <= n - width; i += width)
            {
                var p = new Vector<T>(parameters[i..]);
                var g = new Vector<T>(gradient[i..]);
                if (decays)
                    g += vDecay * p;
                var mi = new Vector<T>(m[i..]);
                mi = smallWeight ? mi + vW1 * (g - mi) : g - (g - mi) * vOneMinusW1;
                var vi = new Vector<T>(v[i..]) * vBeta2 + vW2 * g * g;
                var denom = Vector.SquareRoot(vi) / vBias2Sqrt + vEps;
                p += vNegStep * mi / denom;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                p.CopyTo(parameters[i..]);
            }
        }
        for (; i < n; i++)
        {
            T p = parameters[i], g = gradient[i];
            if (decays)
                g += decay * p;
            T mi = smallWeight ? m[i] + w1 * (g - m[i]) : g - (g - m[i]) * oneMinusW1;
            T vi = v[i] * beta2 + w2 * g * g;
            T denom = T.Sqrt(vi) / bias2Sqrt + eps;
            m[i] = mi;
            v[i] = vi;
            parameters[i] = p + negStep * mi / denom;
        }
    }
}
