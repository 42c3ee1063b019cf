using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Integration.Tests.Numerics;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Continual;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Data;
using Dnn2Gp.Runtime.Optimizers;
using Xunit;

namespace Dnn2Gp.Integration.Tests.Continual;

/// <summary>
/// FROMP and its baselines on small double-precision networks: the regulariser and its gradient against finite
/// differences with K fixed, the kernels and F against explicit Jacobians, K = I against FROMP-L2, one task against
/// clipped Adam on ℓ/τ, and EWC's penalty.
/// </summary>
public sealed class ContinualLearnerTests
{
    /// <summary>Gaussian blobs: task t's class c around its own random centre; labels task-relative.</summary>
    internal static TaskSequence Blobs(int tasks, int classes, bool multiHead, int inputs, int train, int test, int seed, int? outputs = null)
    {
        var random = new Random(seed);
        var list = new ContinualTask[tasks];
        for (int t = 0; t < tasks; t++)
        {
            var centres = new double[classes, inputs];
            for (int c = 0; c < classes; c++)
            {
                for (int i = 0; i < inputs; i++) centres[c, i] = 1.5 * NetworkChecks.Normal(random);
            }
            Dataset Make(int count, string name)
            {
                var x = new float[count * inputs];
                var y = new float[count];
                for (int n = 0; n < count; n++)
                {
                    int c = n % classes;
                    y[n] = c;
                    for (int i = 0; i < inputs; i++) x[n * inputs + i] = (float)(centres[c, i] + 0.8 * NetworkChecks.Normal(random));
                }
                return new Dataset(name, x, inputs, y, 1, classes);
            }
            list[t] = new ContinualTask(t, $"blobs task {t + 1}", Make(train, $"train{t}"), Make(test, $"test{t}"), multiHead ? t * classes : 0, classes);
        }
        return new TaskSequence("blobs", outputs ?? (multiHead ? tasks * classes : classes), list);
    }

    private static ContinualSettings Settings(ContinualMethod method) => new ContinualSettings
    {
        LearningRate = 0.05, Epochs = 3, BatchSize = 16, MemoryPerTask = 10, Tau = 2, PriorPrecision = null,
        GradientClip = 1, KernelJitter = 1e-4, Seed = 3,
    }.WithMethod(method);

    /// <summary>A learner that has finished tasks 1 and 2 and started task 3 (priors of both past tasks built).</summary>
    private static ContinualLearner<MultiHeadNet, double> AtTaskThree(ContinualMethod method)
    {
        var learner = new ContinualLearner<MultiHeadNet, double>(Blobs(3, 2, multiHead: true, 5, 40, 20, seed: 11), Settings(method));
        learner.TrainTask();
        learner.TrainTask();
        learner.BeginTask();
        return learner;
    }

    private static void Perturb(Span<double> parameters, int seed, double scale = 0.3)
    {
        var random = new Random(seed);
        for (int i = 0; i < parameters.Length; i++) parameters[i] += scale * NetworkChecks.Normal(random);
    }

    /// <summary>½ Σₛ Σₖ Δᵀ K⁻¹ Δ written out with explicit loops (the test's own reference).</summary>
    private static double Reference(double[] parameters, IReadOnlyList<FunctionalPrior<double>> priors)
    {
        double value = 0;
        foreach (var prior in priors)
        {
            int n = prior.Count, c = prior.Classes, k = MultiHeadNet.OutputSize;
            var f = new double[n * k];
            MultiHeadNet.Forward(parameters, prior.Inputs, f, n);
            for (int cls = 0; cls < c; cls++)
            {
                var delta = new double[n];
                for (int e = 0; e < n; e++)
                {
                    double max = Enumerable.Range(0, c).Max(j => f[e * k + prior.HeadStart + j]);
                    double sum = Enumerable.Range(0, c).Sum(j => Math.Exp(f[e * k + prior.HeadStart + j] - max));
                    delta[e] = Math.Exp(f[e * k + prior.HeadStart + cls] - max) / sum - prior.Mean[e * c + cls];
                }
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double kij = prior.HasKernel ? prior.InverseKernels[(cls * n + i) * n + j] : (i == j ? 1 : 0);
                        value += 0.5 * delta[i] * kij * delta[j];
                    }
                }
            }
        }
        return value;
    }

    [Theory]
    [InlineData(ContinualMethod.Fromp)]
    [InlineData(ContinualMethod.FrompL2)]
    [InlineData(ContinualMethod.Frorp)]
    public void Regulariser_gradient_matches_central_differences_of_half_delta_K_inverse_delta(ContinualMethod method)
    {
        var learner = AtTaskThree(method);
        Assert.Equal(2, learner.Priors.Count);
        Assert.All(learner.Priors, p => Assert.Equal(10, p.Count));
        Assert.Equal(method != ContinualMethod.FrompL2, learner.Priors[0].HasKernel);
        Perturb(learner.Parameters, seed: 5);
        double[] w = learner.Parameters.ToArray();

        var gradient = new double[w.Length];
        ObjectiveValue value = learner.ComputeGradient([], [], 0, gradient);
        double reference = Reference(w, learner.Priors);
        Assert.True(reference > 1e-4, $"the perturbation should move the outputs (R = {reference})");
        NetworkChecks.AssertClose(reference, value.Regulariser, "R(w) from the pass", 1e-10);
        NetworkChecks.AssertClose(reference, FunctionalRegulariser.Value<MultiHeadNet, double>(w, learner.Priors), "FunctionalRegulariser.Value", 1e-10);

        const double h = 1e-5;
        for (int i = 0; i < w.Length; i++)
        {
            double saved = w[i];
            w[i] = saved + h;
            double plus = Reference(w, learner.Priors);
            w[i] = saved - h;
            double minus = Reference(w, learner.Priors);
            w[i] = saved;
            NetworkChecks.AssertClose((plus - minus) / (2 * h), gradient[i], $"{method}: ∂R/∂w[{i}]");
        }
    }

    [Fact]
    public void Data_gradient_is_the_head_cross_entropy_over_tau_and_adds_to_the_regulariser()
    {
        var learner = AtTaskThree(ContinualMethod.Fromp);
        Perturb(learner.Parameters, seed: 6, scale: 0.1);
        double[] w = learner.Parameters.ToArray();
        Dataset train = learner.Sequence[2].Train;
        const int batch = 9;
        double[] x = train.Inputs.Slice(0, batch * 5).ToArray().Select(v => (double)v).ToArray();
        double[] y = train.Targets.Slice(0, batch).ToArray().Select(v => (double)v).ToArray();

        var both = new double[w.Length];
        var regulariser = new double[w.Length];
        ObjectiveValue all = learner.ComputeGradient(x, y, batch, both);
        learner.ComputeGradient([], [], 0, regulariser);
        double HeadLoss(double[] p)
        {
            var f = new double[batch * 6];
            MultiHeadNet.Forward(p, x, f, batch);
            double loss = 0;
            for (int n = 0; n < batch; n++)
            {
                double a = f[n * 6 + 4], b = f[n * 6 + 5], m = Math.Max(a, b);
                double logSum = m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
                loss += logSum - (y[n] == 0 ? a : b);
            }
            return loss / batch;
        }
        NetworkChecks.AssertClose(HeadLoss(w), all.Loss, "mean head cross-entropy", 1e-10);
        const double h = 1e-5;
        for (int i = 0; i < w.Length; i++)
        {
            double saved = w[i];
            w[i] = saved + h;
            double plus = HeadLoss(w);
            w[i] = saved - h;
            double minus = HeadLoss(w);
            w[i] = saved;
            NetworkChecks.AssertClose((plus - minus) / (2 * h) / 2.0, both[i] - regulariser[i], $"(1/τ) ∂ℓ̄/∂w[{i}]");
        }
    }

    [Fact]
    public void Identity_kernels_reproduce_fromp_l2()
    {
        // Task 1 trains identically with and without kernels (no regulariser yet), so both learners hold the same memory.
        TaskSequence tasks = Blobs(2, 2, multiHead: true, 5, 40, 20, seed: 12, outputs: 6);
        var fromp = new ContinualLearner<MultiHeadNet, double>(tasks, Settings(ContinualMethod.Fromp));
        var l2 = new ContinualLearner<MultiHeadNet, double>(tasks, Settings(ContinualMethod.FrompL2));
        foreach (var learner in new[] { fromp, l2 })
        {
            learner.TrainTask();
            learner.BeginTask();
            Perturb(learner.Parameters, seed: 7);
        }
        Assert.Equal(fromp.Parameters.ToArray(), l2.Parameters.ToArray());
        FunctionalPrior<double> kernelPrior = fromp.Priors[0];
        Assert.True(kernelPrior.HasKernel);
        Assert.False(l2.Priors[0].HasKernel);
        int n = kernelPrior.Count, c = kernelPrior.Classes;
        var identity = new double[c * n * n];
        for (int k = 0; k < c; k++)
        {
            for (int i = 0; i < n; i++) identity[(k * n + i) * n + i] = 1;
        }
        var withIdentity = new FunctionalPrior<double>(kernelPrior.TaskIndex, kernelPrior.HeadStart, c, kernelPrior.Inputs.ToArray(), kernelPrior.InputSize, kernelPrior.Mean.ToArray(), identity);

        double[] w = fromp.Parameters.ToArray();
        var expected = new double[w.Length];
        var actual = new double[w.Length];
        l2.ComputeGradient([], [], 0, expected);
        double value = FunctionalRegulariser.Gradient<MultiHeadNet, double>(w, [withIdentity], actual);
        NetworkChecks.AssertClose(Reference(w, l2.Priors), value, "R with K = I", 1e-12);
        for (int i = 0; i < w.Length; i++) NetworkChecks.AssertClose(expected[i], actual[i], $"K = I vs FROMP-L2, w[{i}]", 1e-12);
    }

    [Fact]
    public void Kernels_are_G_sigma_G_transposed_plus_jitter_with_sigma_from_F_and_delta()
    {
        var learner = AtTaskThree(ContinualMethod.Fromp);
        double[] w = learner.Parameters.ToArray();
        int p = MultiHeadNet.ParameterCount, k = MultiHeadNet.OutputSize;
        double[] sigma = learner.GgnDiagonal.ToArray().Select(f => 1 / (f + 0.5)).ToArray(); // δ = 0.5 from the declared prior
        foreach (var prior in learner.Priors)
        {
            int n = prior.Count, c = prior.Classes;
            var jacobian = new double[n * k * p];
            Curvature<MultiHeadNet, double>.Jacobian(w, prior.Inputs, n, jacobian);
            for (int cls = 0; cls < c; cls++)
            {
                // G[e] = ∂p_cls/∂w = Σⱼ p_cls (δ_cls,j − pⱼ) ∂f_{head+j}/∂w.
                var g = new double[n * p];
                for (int e = 0; e < n; e++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        double pc = prior.Mean[e * c + cls], pj = prior.Mean[e * c + j];
                        double weight = pc * ((cls == j ? 1 : 0) - pj);
                        for (int q = 0; q < p; q++) g[e * p + q] += weight * jacobian[(e * k + prior.HeadStart + j) * p + q];
                    }
                }
                var kernel = new double[n * n];
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int q = 0; q < p; q++) s += g[i * p + q] * sigma[q] * g[j * p + q];
                        kernel[i * n + j] = s + (i == j ? 1e-4 + prior.AddedJitter[cls] : 0);
                    }
                }
                // K · K⁻¹ = I.
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int m = 0; m < n; m++) s += kernel[i * n + m] * prior.InverseKernels[(cls * n + m) * n + j];
                        Assert.True(Math.Abs(s - (i == j ? 1 : 0)) < 1e-6, $"task {prior.TaskIndex + 1}, class {cls}: (K K⁻¹)[{i},{j}] = {s}");
                    }
                }
            }
        }
    }

    [Fact]
    public void F_is_the_exact_ggn_diagonal_of_each_head_likelihood_summed_over_tasks()
    {
        var learner = new ContinualLearner<MultiHeadNet, double>(Blobs(3, 2, multiHead: true, 5, 40, 20, seed: 13), Settings(ContinualMethod.Fromp));
        var expected = new double[MultiHeadNet.ParameterCount];
        for (int t = 0; t < 2; t++)
        {
            learner.TrainTask();
            ContinualTask task = learner.Sequence[t];
            AddNaiveHeadGgn(learner.Parameters.ToArray(), task, expected);
            double[] f = learner.GgnDiagonal.ToArray();
            for (int i = 0; i < f.Length; i++) NetworkChecks.AssertClose(expected[i], f[i], $"after task {t + 1}: F[{i}]", 1e-10);
        }

        var ewc = new ContinualLearner<MultiHeadNet, double>(learner.Sequence, Settings(ContinualMethod.Ewc));
        ewc.TrainTask();
        var mean = new double[MultiHeadNet.ParameterCount];
        AddNaiveHeadGgn(ewc.Parameters.ToArray(), ewc.Sequence[0], mean);
        for (int i = 0; i < mean.Length; i++) NetworkChecks.AssertClose(mean[i] / 40, ewc.EwcFisherDiagonal[i], $"EWC F̄[{i}]", 1e-10);
    }

    private static void AddNaiveHeadGgn(double[] w, ContinualTask task, double[] sum)
    {
        int p = MultiHeadNet.ParameterCount, k = MultiHeadNet.OutputSize, n = task.Train.Count, c = task.Classes;
        double[] x = task.Train.Inputs.ToArray().Select(v => (double)v).ToArray();
        var jacobian = new double[n * k * p];
        Curvature<MultiHeadNet, double>.Jacobian(w, x, n, jacobian);
        var f = new double[n * k];
        MultiHeadNet.Forward(w, x, f, n);
        for (int e = 0; e < n; e++)
        {
            double a = f[e * k + task.HeadStart], b = f[e * k + task.HeadStart + 1];
            double p1 = 1 / (1 + Math.Exp(a - b));
            double[] probabilities = [1 - p1, p1];
            for (int q = 0; q < p; q++)
            {
                double s = 0;
                for (int i = 0; i < c; i++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        double lambda = (i == j ? probabilities[i] : 0) - probabilities[i] * probabilities[j];
                        s += jacobian[(e * k + task.HeadStart + i) * p + q] * lambda * jacobian[(e * k + task.HeadStart + j) * p + q];
                    }
                }
                sum[q] += s;
            }
        }
    }

    [Fact]
    public void On_a_shared_head_F_is_the_networks_own_exact_ggn_diagonal()
    {
        var learner = new ContinualLearner<SingleHeadNet, double>(Blobs(2, 3, multiHead: false, 4, 45, 15, seed: 14), Settings(ContinualMethod.Fromp));
        learner.TrainTask();
        double[] x = learner.Sequence[0].Train.Inputs.ToArray().Select(v => (double)v).ToArray();
        var expected = new double[SingleHeadNet.ParameterCount];
        Curvature<SingleHeadNet, double>.GgnDiagonal(learner.Parameters.ToArray(), x, 45, expected);
        for (int i = 0; i < expected.Length; i++) NetworkChecks.AssertClose(expected[i], learner.GgnDiagonal[i], $"F[{i}]", 1e-10);
    }

    [Fact]
    public void A_single_task_is_clipped_adam_on_the_loss_over_tau()
    {
        TaskSequence tasks = Blobs(1, 3, multiHead: false, 4, 64, 16, seed: 15);
        var settings = Settings(ContinualMethod.Fromp) with { GradientClip = 0.3, Tau = 2, LearningRate = 0.02 };
        var learner = new ContinualLearner<SingleHeadNet, double>(tasks, settings);
        double[] w = learner.Parameters.ToArray();
        var adam = new Adam<double>(w.Length, settings.LearningRate);
        var gradient = new double[w.Length];
        learner.BeginTask();
        var sampler = new MinibatchSampler<double>(tasks[0].Train, 12, seed: 4);
        int clipped = 0, steps = 0;
        for (int epoch = 0; epoch < 4; epoch++)
        {
            while (sampler.NextBatch())
            {
                int b = sampler.CurrentBatchSize;
                learner.Step(sampler.Inputs, sampler.Targets, b);
                SingleHeadNet.LossAndGradient(w, sampler.Inputs, sampler.Targets, b, gradient, 1.0 / (b * settings.Tau));
                double norm = Math.Sqrt(gradient.Sum(g => g * g));
                if (norm > 0.3)
                {
                    for (int i = 0; i < gradient.Length; i++) gradient[i] *= 0.3 / norm;
                    clipped++;
                }
                adam.Step(w, gradient);
                steps++;
                for (int i = 0; i < w.Length; i++) NetworkChecks.AssertClose(w[i], learner.Parameters[i], $"step {steps}: w[{i}]", 1e-9);
            }
        }
        Assert.InRange(clipped, 1, steps - 1);
        Assert.Empty(learner.Priors);
    }

    [Fact]
    public void Ewc_penalty_gradient_matches_central_differences()
    {
        var learner = new ContinualLearner<MultiHeadNet, double>(Blobs(2, 2, multiHead: true, 5, 40, 20, seed: 16, outputs: 6), Settings(ContinualMethod.Ewc) with { EwcStrength = 30 });
        learner.TrainTask();
        learner.BeginTask();
        Perturb(learner.Parameters, seed: 8);
        double[] w = learner.Parameters.ToArray();
        var gradient = new double[w.Length];
        double Penalty(double[] at)
        {
            at.CopyTo(learner.Parameters);
            return learner.ComputeGradient([], [], 0, new double[at.Length]).Regulariser;
        }
        learner.ComputeGradient([], [], 0, gradient);
        Assert.True(Penalty(w) > 0);
        const double h = 1e-5;
        for (int i = 0; i < w.Length; i++)
        {
            double saved = w[i];
            w[i] = saved + h;
            double plus = Penalty(w);
            w[i] = saved - h;
            double minus = Penalty(w);
            w[i] = saved;
            NetworkChecks.AssertClose((plus - minus) / (2 * h), gradient[i], $"EWC ∂/∂w[{i}]");
        }
    }

    [Fact]
    public void Memories_hold_the_highest_lambda_scores_per_class_of_each_task()
    {
        var learner = new ContinualLearner<MultiHeadNet, double>(Blobs(2, 2, multiHead: true, 5, 40, 20, seed: 17, outputs: 6), Settings(ContinualMethod.Fromp));
        learner.TrainTask();
        TaskMemory<double> memory = learner.Memories[0];
        Assert.Equal(10, memory.Count);
        double[] w = learner.Parameters.ToArray();
        Dataset train = learner.Sequence[0].Train;
        var scores = new double[train.Count];
        var f = new double[6];
        for (int i = 0; i < train.Count; i++)
        {
            MultiHeadNet.Forward(w, train.Input(i).ToArray().Select(v => (double)v).ToArray(), f, 1);
            double p1 = 1 / (1 + Math.Exp(f[0] - f[1]));
            scores[i] = 2 * p1 * (1 - p1);
            NetworkChecks.AssertClose(scores[i], memory.TrainingScores[i], $"Λ-score of example {i}", 1e-10);
        }
        int[] labels = Enumerable.Range(0, train.Count).Select(train.Label).ToArray();
        Assert.Equal(MemorablePoints.SelectByScore(scores, labels, 2, 5), memory.Indices.ToArray());
        for (int j = 0; j < memory.Count; j++)
            Assert.Equal(train.Input(memory.Indices[j]).ToArray().Select(v => (double)v), memory.Inputs.Slice(j * 5, 5).ToArray());
    }

    [Fact]
    public void Networks_that_do_not_fit_the_sequence_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ContinualLearner<SingleHeadNet, double>(Blobs(3, 2, multiHead: true, 5, 10, 10, seed: 1), Settings(ContinualMethod.Fromp)));
        Assert.Contains("outputs", e.Message);
        var learner = new ContinualLearner<MultiHeadNet, double>(Blobs(3, 2, multiHead: true, 5, 10, 10, seed: 1), Settings(ContinualMethod.Fromp));
        Assert.Throws<InvalidOperationException>(() => learner.ComputeGradient([], [], 0, new double[MultiHeadNet.ParameterCount]));
        learner.BeginTask();
        var bad = Assert.Throws<ArgumentException>(() => learner.ComputeGradient(new double[5], [2.0], 1, new double[MultiHeadNet.ParameterCount]));
        Assert.Contains("not a class", bad.Message);
    }
}
