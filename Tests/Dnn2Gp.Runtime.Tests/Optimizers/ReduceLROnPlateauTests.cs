using System;
using Dnn2Gp.Runtime.Optimizers;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Optimizers;

/// <summary>ReduceLROnPlateau against PyTorch's rules (mode 'min', threshold mode 'rel'), step by step.</summary>
public class ReduceLROnPlateauTests
{
    [Fact]
    public void Reduces_after_more_than_patience_bad_steps_then_counts_again()
    {
        var adam = new Adam<double>(1, learningRate: 1.0);
        var scheduler = new ReduceLROnPlateau<double>(adam, factor: 0.5, patience: 2);
        scheduler.Step(10);        // best 10
        scheduler.Step(9.9995);    // not below 10·(1 − 1e-4) = 9.999: bad 1
        scheduler.Step(11);        // bad 2
        Assert.Equal(1.0, adam.LearningRate);
        scheduler.Step(10);        // bad 3 > patience: reduce
        Assert.Equal(0.5, adam.LearningRate);
        Assert.Equal(1, scheduler.Reductions);
        scheduler.Step(9.0);       // improvement
        Assert.Equal(9.0, scheduler.Best);
        scheduler.Step(9.5);
        scheduler.Step(9.5);
        Assert.Equal(0.5, adam.LearningRate);
        scheduler.Step(9.5);
        Assert.Equal(0.25, adam.LearningRate);
    }

    [Fact]
    public void Respects_the_minimum_the_cooldown_eps_and_pytorchs_rule_for_negative_losses()
    {
        var adam = new Adam<double>(1, learningRate: 1.0);
        var scheduler = new ReduceLROnPlateau<double>(adam, factor: 0.1, patience: 0, minLearningRate: 0.05, cooldown: 1);
        scheduler.Step(5);
        scheduler.Step(5);        // bad: reduce to 0.1
        Assert.Equal(0.1, adam.LearningRate, 15);
        scheduler.Step(5);        // cooldown: the bad step is not counted
        Assert.Equal(0.1, adam.LearningRate, 15);
        scheduler.Step(5);        // bad: max(0.01, 0.05)
        Assert.Equal(0.05, adam.LearningRate, 15);
        scheduler.Step(5);        // cooldown
        scheduler.Step(5);        // at the minimum: a change of 0 (≤ eps) is skipped
        Assert.Equal(0.05, adam.LearningRate, 15);
        Assert.Equal(2, scheduler.Reductions);
        // Reductions smaller than eps (PyTorch's 1e-8) are skipped too: 1e-9 → 1e-10 is not applied.
        var tiny = new Adam<double>(1, learningRate: 1e-9);
        var skipping = new ReduceLROnPlateau<double>(tiny, factor: 0.1, patience: 0);
        skipping.Step(1);
        skipping.Step(1);
        Assert.Equal(1e-9, tiny.LearningRate);
        // PyTorch's rule for a negative best: best·(1 − threshold) is *above* best, so an equal loss counts as better.
        var other = new ReduceLROnPlateau<double>(new Adam<double>(1, 1.0), patience: 0);
        other.Step(-100);
        other.Step(-99.995);       // −99.995 < −100·(1 − 1e-4) = −99.99
        Assert.Equal(-99.995, other.Best);
        Assert.Equal(0, other.Reductions);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau<double>(adam, factor: 1.0));
    }
}
