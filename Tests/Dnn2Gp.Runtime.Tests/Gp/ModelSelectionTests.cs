using System;
using Dnn2Gp.Runtime.Gp;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Gp;

public class ModelSelectionTests
{
    [Fact]
    public void Ranks_by_marginal_likelihood_with_bayes_factors_and_probabilities()
    {
        var ranked = ModelSelection.Rank([("width 3", -1767.2), ("width 1", -1850.7), ("width 22", -1768.0)]);
        Assert.Equal(["width 3", "width 22", "width 1"], [ranked[0].Name, ranked[1].Name, ranked[2].Name]);
        Assert.Equal(0, ranked[0].LogBayesFactor);
        Assert.Equal(-0.8, ranked[1].LogBayesFactor, 10);
        double total = 0;
        foreach (var m in ranked) total += m.Probability;
        Assert.Equal(1, total, 12);
        Assert.Equal(1 / (1 + Math.Exp(-0.8) + Math.Exp(-83.5)), ranked[0].Probability, 12);
        Assert.Throws<ArgumentException>(() => ModelSelection.Rank([]));
        Assert.Throws<ArgumentException>(() => ModelSelection.Rank([("a", double.NaN)]));
    }
}
