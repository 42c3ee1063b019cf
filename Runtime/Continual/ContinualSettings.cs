using System;
using System.Globalization;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>What a continual learner adds to the task loss to remember the past tasks.</summary>
public enum ContinualRegulariser
{
    /// <summary>Nothing: plain Adam fine-tuning on each task in turn (the lower baseline).</summary>
    None,

    /// <summary>
    /// FROMP's functional regulariser: ½ Σₛ Σₖ Δₛₖᵀ Kₛₖ⁻¹ Δₛₖ on the softmax outputs of the memorable points of every past
    /// task s (Δ = current − previous probabilities of class k), with the kernel of <see cref="ContinualSettings.Kernel"/>.
    /// </summary>
    Functional,

    /// <summary>
    /// Online EWC: (λ/2) Σᵢ F̄ᵢ (wᵢ − μᵢ)², with F̄ the sum over past tasks of the exact per-example GGN diagonal averaged
    /// over each task's training set (not squared mini-batch gradients) and μ the weights after the previous task.
    /// </summary>
    WeightSpace,
}

/// <summary>How the memorable points of a task are chosen (after training it), <c>num_points / C</c> per class.</summary>
public enum MemorySelection
{
    /// <summary>The points with the largest Λ-score Σₖ pₖ(1 − pₖ) (FROMP's <c>lambda_descend</c>).</summary>
    LambdaDescending,

    /// <summary>Uniformly at random without replacement, seeded (FRORP; FROMP's <c>random</c>).</summary>
    Random,

    /// <summary>The smallest Λ-scores (FROMP's <c>lambda_ascend</c> ablation: the least memorable points).</summary>
    LambdaAscending,
}

/// <summary>The matrix the functional regulariser weights its residuals with.</summary>
public enum FunctionalKernel
{
    /// <summary>K = G Σ Gᵀ + εI per class, from the diagonal GGN posterior Σ of all past tasks (FROMP, FRORP).</summary>
    Gp,

    /// <summary>K = I: a plain squared distance between the probabilities (FROMP-L2, FRORP-L2).</summary>
    Identity,
}

/// <summary>The named methods of the FROMP paper's comparison, as combinations of the orthogonal settings.</summary>
public enum ContinualMethod
{
    /// <summary>Λ-score memory, GP kernel.</summary>
    Fromp,

    /// <summary>Λ-score memory, identity kernel.</summary>
    FrompL2,

    /// <summary>Random memory, GP kernel.</summary>
    Frorp,

    /// <summary>Random memory, identity kernel.</summary>
    FrorpL2,

    /// <summary>Online EWC with the exact GGN diagonal.</summary>
    Ewc,

    /// <summary>Plain Adam, no regulariser.</summary>
    FineTuning,
}

/// <summary>
/// The hyperparameters of a continual-learning run. The presets (<see cref="SplitMnist"/>, <see cref="PermutedMnist"/>,
/// <see cref="SplitCifar"/>, <see cref="Toy"/>) are those of FROMP's official scripts; <see cref="WithMethod"/> turns a
/// preset into one of the ablations or baselines without touching the optimiser settings.
/// </summary>
/// <remarks>
/// Objective of task t (FROMP's code scale): (1/τ)·ℓ̄ₜ(w) + ½ Σ_{s&lt;t} Σₖ Δₛₖᵀ Kₛₖ⁻¹ Δₛₖ, with ℓ̄ the mean cross-entropy
/// of a minibatch over the task's head; its gradient is clipped to <see cref="GradientClip"/> in 2-norm before Adam,
/// whose state is reset at the start of every task. EWC and fine-tuning minimise ℓ̄ (+ the EWC penalty) with plain Adam:
/// τ and clipping belong to FROMP's objective and are not applied to them.
/// </remarks>
public sealed record ContinualSettings
{
    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Epochs per task.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Minibatch size (the last, smaller batch of an epoch is used too).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Memorable points kept per task (<c>num_points</c>); <c>MemoryPerTask / C</c> per class.</summary>
    public int MemoryPerTask { get; init; } = 200;

    /// <summary>τ of FROMP's code: the data term is ℓ̄/τ (paper τ = code τ · N).</summary>
    public double Tau { get; init; } = 1;

    /// <summary>
    /// δ, the prior precision of the diagonal posterior Σ = diag(1/(F + δ)); null takes the network's declared prior
    /// (its Hessian diagonal). δ is used only in Σ: no weight decay is added to the training gradient.
    /// </summary>
    public double? PriorPrecision { get; init; }

    /// <summary>The 2-norm the combined gradient is clipped to (FROMP family only); null for none.</summary>
    public double? GradientClip { get; init; }

    /// <summary>ε added to the diagonal of every kernel Kₛₖ before its Cholesky factorisation.</summary>
    public double KernelJitter { get; init; } = 1e-5;

    /// <summary>What is added to the task loss.</summary>
    public ContinualRegulariser Regulariser { get; init; } = ContinualRegulariser.Functional;

    /// <summary>How memorable points are chosen.</summary>
    public MemorySelection Selection { get; init; } = MemorySelection.LambdaDescending;

    /// <summary>The kernel of the functional regulariser.</summary>
    public FunctionalKernel Kernel { get; init; } = FunctionalKernel.Gp;

    /// <summary>λ of online EWC, the weight of ½ Σ F̄ (w − μ)² next to the mean loss (λ = N would be the Laplace posterior as prior).</summary>
    public double EwcStrength { get; init; } = 100;

    /// <summary>Seed of the initialisation; the shuffles and random memories derive from it.</summary>
    public int Seed { get; init; }

    /// <summary>A name for reports, e.g. "FROMP".</summary>
    public string MethodName { get; init; } = "FROMP";

    /// <summary>
    /// FROMP's <c>main_splitmnist.py</c>: lr 1e-4, 15 epochs, batch 128, 40 points, τ 10, δ 1e-3, clip 0.1, ε 1e-6, seed 42.
    /// EWC's λ = 1000 (not in FROMP's code) is the best of 1, 10, …, 10⁵ on seed 42 (95.1, 95.6, 98.0, 99.0, 98.6, 96.9 %).
    /// </summary>
    public static ContinualSettings SplitMnist { get; } = new()
    {
        LearningRate = 1e-4, Epochs = 15, BatchSize = 128, MemoryPerTask = 40, Tau = 10, PriorPrecision = 1e-3,
        GradientClip = 0.1, KernelJitter = 1e-6, Seed = 42, EwcStrength = 1000,
    };

    /// <summary>FROMP's <c>main_permutedmnist.py</c>: lr 1e-3, 10 epochs, batch 128, 200 points, τ 0.5, δ 1e-5, clip 0.01, ε 1e-5, seed 43.</summary>
    public static ContinualSettings PermutedMnist { get; } = new()
    {
        LearningRate = 1e-3, Epochs = 10, BatchSize = 128, MemoryPerTask = 200, Tau = 0.5, PriorPrecision = 1e-5,
        GradientClip = 0.01, KernelJitter = 1e-5, Seed = 43,
    };

    /// <summary>FROMP's <c>main_cifar.py</c>: lr 1e-3, 80 epochs, batch 256, 200 points, τ 10, δ 1e-4, clip 100, ε 1e-6, seed 42.</summary>
    public static ContinualSettings SplitCifar { get; } = new()
    {
        LearningRate = 1e-3, Epochs = 80, BatchSize = 256, MemoryPerTask = 200, Tau = 10, PriorPrecision = 1e-4,
        GradientClip = 100, KernelJitter = 1e-6, Seed = 42,
    };

    /// <summary>FROMP's <c>main_toydata.py</c>: lr 0.01, 50 epochs, batch 20, 20 points, τ 1, δ 1e-4, no clip, ε 1e-3, seed 123.</summary>
    public static ContinualSettings Toy { get; } = new()
    {
        LearningRate = 0.01, Epochs = 50, BatchSize = 20, MemoryPerTask = 20, Tau = 1, PriorPrecision = 1e-4,
        GradientClip = null, KernelJitter = 1e-3, Seed = 123,
    };

    /// <summary>These settings turned into <paramref name="method"/> (the optimiser settings stay).</summary>
    public ContinualSettings WithMethod(ContinualMethod method) => method switch
    {
        ContinualMethod.Fromp => this with { Regulariser = ContinualRegulariser.Functional, Selection = MemorySelection.LambdaDescending, Kernel = FunctionalKernel.Gp, MethodName = "FROMP" },
        ContinualMethod.FrompL2 => this with { Regulariser = ContinualRegulariser.Functional, Selection = MemorySelection.LambdaDescending, Kernel = FunctionalKernel.Identity, MethodName = "FROMP-L2" },
        ContinualMethod.Frorp => this with { Regulariser = ContinualRegulariser.Functional, Selection = MemorySelection.Random, Kernel = FunctionalKernel.Gp, MethodName = "FRORP" },
        ContinualMethod.FrorpL2 => this with { Regulariser = ContinualRegulariser.Functional, Selection = MemorySelection.Random, Kernel = FunctionalKernel.Identity, MethodName = "FRORP-L2" },
        ContinualMethod.Ewc => this with { Regulariser = ContinualRegulariser.WeightSpace, MethodName = "EWC" },
        ContinualMethod.FineTuning => this with { Regulariser = ContinualRegulariser.None, MethodName = "Adam fine-tuning" },
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown continual-learning method."),
    };

    /// <summary>The data-term scale of the objective: 1/τ for FROMP's objective, 1 for EWC and fine-tuning.</summary>
    public double DataScale => Regulariser == ContinualRegulariser.Functional ? 1 / Tau : 1;

    /// <summary>The clipping norm actually applied (FROMP family only).</summary>
    public double? AppliedClip => Regulariser == ContinualRegulariser.Functional ? GradientClip : null;

    /// <summary>One line for logs.</summary>
    public override string ToString()
    {
        string clip = AppliedClip is double c ? c.ToString("G3", CultureInfo.InvariantCulture) : "none";
        string reg = Regulariser switch
        {
            ContinualRegulariser.Functional => string.Create(CultureInfo.InvariantCulture,
                $"memory {MemoryPerTask}/task ({Selection}), kernel {Kernel}, τ {Tau}, δ {(PriorPrecision is double d ? d.ToString("G3", CultureInfo.InvariantCulture) : "declared")}, ε {KernelJitter:G3}"),
            ContinualRegulariser.WeightSpace => string.Create(CultureInfo.InvariantCulture, $"EWC λ {EwcStrength:G4}"),
            _ => "no regulariser",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{MethodName}: Adam lr {LearningRate:G3}, {Epochs} epochs, batch {BatchSize}, clip {clip}; {reg}; seed {Seed}");
    }

    /// <summary>Checks every value; the message names the setting, what it must be and what it is.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        Positive(LearningRate, nameof(LearningRate));
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs per task must be 0 or more.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
        if (MemoryPerTask <= 0) throw new ArgumentOutOfRangeException(nameof(MemoryPerTask), MemoryPerTask, "The memory per task must be positive.");
        Positive(Tau, nameof(Tau));
        if (PriorPrecision is double d) Positive(d, nameof(PriorPrecision));
        if (GradientClip is double c) Positive(c, nameof(GradientClip));
        if (!(KernelJitter >= 0) || !double.IsFinite(KernelJitter))
            throw new ArgumentOutOfRangeException(nameof(KernelJitter), KernelJitter, "The kernel jitter ε must be finite and non-negative.");
        if (!(EwcStrength >= 0) || !double.IsFinite(EwcStrength))
            throw new ArgumentOutOfRangeException(nameof(EwcStrength), EwcStrength, "The EWC strength λ must be finite and non-negative.");
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
    }
}
