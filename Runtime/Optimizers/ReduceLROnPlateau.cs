using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> in mode 'min' with threshold mode 'rel': after each
/// <see cref="Step"/> with the monitored loss, a loss below best·(1 − threshold) is an improvement; after more than
/// <see cref="Patience"/> steps without one, the learning rate becomes max(lr·factor, min_lr) (if that changes it by more
/// than eps), followed by <see cref="Cooldown"/> steps in which bad steps are not counted.
/// </summary>
public sealed class ReduceLROnPlateau<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IOptimizer<T> _target;
    private int _badSteps;
    private int _cooldownLeft;

    /// <param name="optimizer">The optimiser whose learning rate is scheduled.</param>
    /// <param name="factor">The multiplier of a reduction, in (0, 1) (DNN2GP uses 0.99 and 0.8).</param>
    /// <param name="patience">Steps without improvement tolerated before a reduction (PyTorch's default 10).</param>
    /// <param name="threshold">Relative improvement that counts (default 1e-4).</param>
    /// <param name="cooldown">Steps after a reduction in which bad steps are not counted (default 0).</param>
    /// <param name="minLearningRate">The smallest learning rate (DNN2GP uses 1e-10).</param>
    /// <param name="eps">Reductions smaller than this are skipped (default 1e-8).</param>
    public ReduceLROnPlateau(IOptimizer<T> optimizer, double factor = 0.1, int patience = 10, double threshold = 1e-4, int cooldown = 0,
        double minLearningRate = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(threshold >= 0) || !double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite and non-negative.");
        if (!(minLearningRate >= 0) || !double.IsFinite(minLearningRate)) throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "The minimum learning rate must be finite and non-negative.");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative.");
        _target = optimizer;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Eps = eps;
    }

    public double Factor { get; }
    public int Patience { get; }
    public double Threshold { get; }
    public int Cooldown { get; }
    public double MinLearningRate { get; }
    public double Eps { get; }

    /// <summary>The best loss seen (+∞ before the first step).</summary>
    public double Best { get; private set; } = double.PositiveInfinity;

    /// <summary>How many times the learning rate was reduced.</summary>
    public int Reductions { get; private set; }

    /// <summary>Records the loss of one epoch and reduces the learning rate if it has stalled.</summary>
    public void Step(double loss)
    {
        if (loss < Best * (1 - Threshold))
        {
            Best = loss;
            _badSteps = 0;
        }
        else
        {
            _badSteps++;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badSteps = 0;
        }
        if (_badSteps > Patience)
        {
            double old = _target.LearningRate, reduced = Math.Max(old * Factor, MinLearningRate);
            if (old - reduced > Eps)
            {
                _target.LearningRate = reduced;
                Reductions++;
            }
            _cooldownLeft = Cooldown;
            _badSteps = 0;
        }
    }
}
