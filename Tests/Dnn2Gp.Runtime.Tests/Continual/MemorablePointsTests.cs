using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Runtime.Continual;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Continual;

public sealed class MemorablePointsTests
{
    /// <summary>Random labels and scores with many exact ties (scores rounded to a few levels).</summary>
    private static (double[] Scores, int[] Labels) Problem(int n, int classes, int seed, int levels = 5)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            scores[i] = Math.Round(random.NextDouble() * levels) / levels * 0.25;
            labels[i] = random.Next(classes);
        }
        return (scores, labels);
    }

    /// <summary>The reference: per class, sort (score, index) by score then index and take the first perClass.</summary>
    private static int[] Reference(double[] scores, int[] labels, int classes, int perClass, bool descending) =>
        Enumerable.Range(0, classes).SelectMany(c => Enumerable.Range(0, scores.Length).Where(i => labels[i] == c)
            .OrderBy(i => descending ? -scores[i] : scores[i]).ThenBy(i => i).Take(perClass)).ToArray();

    [Theory]
    [InlineData(1, 2, 20)]
    [InlineData(2, 10, 20)]
    [InlineData(3, 3, 7)]
    [InlineData(4, 5, 1)]
    public void Selection_keeps_exactly_the_highest_scores_per_class_with_ties_to_the_lower_index(int seed, int classes, int perClass)
    {
        var (scores, labels) = Problem(600, classes, seed);
        int[] chosen = MemorablePoints.SelectByScore(scores, labels, classes, perClass);
        Assert.Equal(Reference(scores, labels, classes, perClass, descending: true), chosen);
        Assert.Equal(classes * perClass, chosen.Length);
        for (int c = 0; c < classes; c++)
        {
            int[] block = chosen.Skip(c * perClass).Take(perClass).ToArray();
            Assert.All(block, i => Assert.Equal(c, labels[i]));
            double lowestKept = block.Min(i => scores[i]);
            Assert.All(Enumerable.Range(0, scores.Length).Where(i => labels[i] == c && !block.Contains(i)),
                i => Assert.True(scores[i] <= lowestKept, $"class {c}: example {i} (score {scores[i]}) was left out but scores above a kept one ({lowestKept})"));
        }
        Assert.Equal(chosen, MemorablePoints.SelectByScore(scores, labels, classes, perClass));
    }

    [Fact]
    public void Ascending_selection_keeps_the_lowest_scores()
    {
        var (scores, labels) = Problem(300, 2, seed: 5);
        Assert.Equal(Reference(scores, labels, 2, 10, descending: false), MemorablePoints.SelectByScore(scores, labels, 2, 10, descending: false));
    }

    [Fact]
    public void A_class_with_fewer_examples_than_asked_contributes_all_of_them()
    {
        double[] scores = [0.1, 0.2, 0.3, 0.4, 0.5];
        int[] labels = [0, 0, 0, 0, 1];
        Assert.Equal([3, 2, 1, 4], MemorablePoints.SelectByScore(scores, labels, 2, 3));
        int[] random = MemorablePoints.SelectRandom(labels, 2, 3, seed: 1);
        Assert.Equal(4, random.Length);
        Assert.Equal(4, random[3]);
        Assert.Equal(3, random.Take(3).Distinct().Count());
        Assert.All(random.Take(3), i => Assert.InRange(i, 0, 3));
    }

    [Theory]
    [InlineData(1, 2, 20)]
    [InlineData(2, 10, 20)]
    [InlineData(3, 4, 13)]
    public void Random_selection_keeps_exactly_the_requested_number_per_class_without_repeats(int seed, int classes, int perClass)
    {
        var (_, labels) = Problem(500, classes, seed);
        int[] chosen = MemorablePoints.SelectRandom(labels, classes, perClass, seed);
        Assert.Equal(classes * perClass, chosen.Length);
        Assert.Equal(chosen.Length, chosen.Distinct().Count());
        for (int c = 0; c < classes; c++)
        {
            int[] block = chosen.Skip(c * perClass).Take(perClass).ToArray();
            Assert.All(block, i => Assert.Equal(c, labels[i]));
            Assert.Equal(block.OrderBy(i => i), block);
        }
        Assert.Equal(chosen, MemorablePoints.SelectRandom(labels, classes, perClass, seed));
        Assert.NotEqual(chosen, MemorablePoints.SelectRandom(labels, classes, perClass, seed + 100));
    }

    [Fact]
    public void Random_selection_is_uniform_over_a_class()
    {
        int[] labels = Enumerable.Range(0, 40).Select(i => i % 2).ToArray();
        var counts = new int[40];
        const int draws = 4000;
        for (int s = 0; s < draws; s++)
        {
            foreach (int i in MemorablePoints.SelectRandom(labels, 2, 5, s)) counts[i]++;
        }
        // Each example is kept with probability 5/20: expected 1000 of 4000 draws, std ≈ 27.
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_message()
    {
        var e = Assert.Throws<ArgumentException>(() => MemorablePoints.SelectByScore([0.1, double.NaN], [0, 1], 2, 1));
        Assert.Contains("NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => MemorablePoints.SelectByScore([0.1, 0.2], [0, 2], 2, 1));
        Assert.Contains("not a class", e.Message);
        e = Assert.Throws<ArgumentException>(() => MemorablePoints.SelectByScore([0.1, 0.2], [0], 2, 1));
        Assert.Contains("one per example", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MemorablePoints.SelectRandom([0, 1], 2, 0, 1));
    }
}

public sealed class WorkPlanTests
{
    [Theory]
    [InlineData(128, new int[0], 2)]
    [InlineData(128, new[] { 40 }, 2)]
    [InlineData(128, new[] { 40, 40, 40, 40 }, 2)]
    [InlineData(100, new[] { 200, 200, 200, 200, 200, 200, 200, 200, 200 }, 2)]
    [InlineData(7, new[] { 5, 300, 11 }, 3)]
    [InlineData(0, new[] { 10, 10 }, 2)]
    [InlineData(33, new[] { 10, 20, 30 }, 1)]
    public void Every_row_and_every_block_goes_to_exactly_one_worker_and_loads_balance(int batch, int[] blocks, int workers)
    {
        var plan = WorkPlan.Create(batch, blocks, workers);
        Assert.Equal(workers, plan.Rows.Length);
        int next = 0;
        foreach (var (start, count) in plan.Rows)
        {
            Assert.Equal(next, start);
            Assert.True(count >= 0);
            next += count;
        }
        Assert.Equal(batch, next);
        Assert.Equal(Enumerable.Range(0, blocks.Length), plan.Blocks.SelectMany(b => b).OrderBy(b => b));
        long[] load = Enumerable.Range(0, workers).Select(w => (long)plan.Rows[w].Count + plan.Blocks[w].Sum(b => blocks[b])).ToArray();
        // Without an indivisible block larger than the mean, the loads differ by at most one row per worker.
        if (blocks.Length == 0 || blocks.Max() * workers <= batch)
            Assert.True(load.Max() - load.Min() <= workers, $"loads {string.Join(", ", load)}");
        else
            Assert.True(load.Max() <= Math.Max(blocks.Max(), (batch + blocks.Sum()) / workers + blocks.Max()), $"loads {string.Join(", ", load)}");
    }
}
