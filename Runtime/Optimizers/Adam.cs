using System;
using System.Numerics;
using Dnn2Gp.Runtime.Cpu;

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

    /// <summary>Below this many parameters a step runs on the calling thread (a fork would cost more than it saves).</summary>
    internal const int ParallelThreshold = 1 << 14;

    /// <summary>Whether large steps may run on the worker team (tests turn it off to get the serial reference).</summary>
    internal bool AllowParallel { get; set; } = true;

    /// <inheritdoc/>
    /// <remarks>Large vectors are updated by the worker team, each core over its own contiguous range; the elementwise
    /// arithmetic is the same, so the result is bit-for-bit that of the serial update.</remarks>
    public unsafe void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        OptimizerChecks.Lengths("Adam", ParameterCount, parameters.Length, gradient.Length);
        long t = ++StepCount;
        var update = new Update(this, t);
        int n = parameters.Length;
        int workers = !AllowParallel || n < ParallelThreshold ? 1 : Math.Min(WorkerTeam.Size, n / (ParallelThreshold / 2));
        fixed (T* p = parameters)
        fixed (T* g = gradient)
        fixed (T* m = _m)
        fixed (T* v = _v)
        {
            var job = new StepJob { Update = update, P = p, G = g, M = m, V = v, Length = n };
            if (workers < 2 || !WorkerTeam.TryRun(workers, ref job))
            {
                update.Apply(p, g, m, v, 0, n);
            }
        }
    }

    /// <summary>The scalar factors of step t, and the elementwise update of a range.</summary>
    private readonly struct Update
    {
        private readonly T _w1, _oneMinusW1, _beta2, _w2, _bias2Sqrt, _eps, _negStep, _decay;
        private readonly bool _smallWeight, _decays;

        public Update(Adam<T> adam, long t)
        {
            double bias1 = 1 - Math.Pow(adam.Beta1, t);
            double bias2 = 1 - Math.Pow(adam.Beta2, t);
            // m ← lerp(m, g, 1−β₁), written the way PyTorch's lerp is for accuracy on either side of ½.
            _w1 = T.CreateTruncating(1 - adam.Beta1);
            _oneMinusW1 = T.One - _w1;
            _smallWeight = Math.Abs(1 - adam.Beta1) < 0.5;
            _beta2 = T.CreateTruncating(adam.Beta2);
            _w2 = T.CreateTruncating(1 - adam.Beta2);
            _bias2Sqrt = T.CreateTruncating(Math.Sqrt(bias2));
            _eps = T.CreateTruncating(adam.Epsilon);
            _negStep = T.CreateTruncating(-(adam._learningRate / bias1));
            _decay = T.CreateTruncating(adam.WeightDecay);
            _decays = adam.WeightDecay != 0;
        }

        /// <summary>Updates elements [start, end); start is a multiple of the vector width (or 0).</summary>
        public unsafe void Apply(T* parameters, T* gradient, T* m, T* v, int start, int end)
        {
            T w1 = _w1, oneMinusW1 = _oneMinusW1, beta2 = _beta2, w2 = _w2, bias2Sqrt = _bias2Sqrt, eps = _eps;
            T negStep = _negStep, decay = _decay;
            bool smallWeight = _smallWeight, decays = _decays;
            int i = start;
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
                for (; i <= end - width; i += width)
                {
                    var p = Vector.Load(parameters + i);
                    var g = Vector.Load(gradient + i);
                    if (decays)
                        g += vDecay * p;
                    var mi = Vector.Load(m + i);
                    mi = smallWeight ? mi + vW1 * (g - mi) : g - (g - mi) * vOneMinusW1;
                    var vi = Vector.Load(v + i) * vBeta2 + vW2 * g * g;
                    var denom = Vector.SquareRoot(vi) / vBias2Sqrt + vEps;
                    p += vNegStep * mi / denom;
                    mi.Store(m + i);
                    vi.Store(v + i);
                    p.Store(parameters + i);
                }
            }
            for (; i < end; i++)
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

    /// <summary>One parallel step: part w updates range w of the vectors.</summary>
    private unsafe struct StepJob : ITeamJob
    {
        public Update Update;
        public T* P, G, M, V;
        public int Length;

        public readonly void Execute(int part, int parts)
        {
            (int start, int end) = BatchParallel.Range(Length, parts, part, sizeof(T));
            Update.Apply(P, G, M, V, start, end);
        }
    }
}
