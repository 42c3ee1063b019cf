using System;
using System.Numerics;
using System.Numerics.Tensors;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// FROMP's functional prior of one past task s at the start of task t (<c>init_task</c>): the task's memorable inputs,
/// the head-softmax means mₛ [n, C] of the weights μₜ₋₁ on them, and per class k the inverse kernel
/// Kₛₖ⁻¹ = (Gₖ Σ Gₖᵀ + εI)⁻¹ [n, n], with Gₖ = ∂p[:, k]/∂w at μₜ₋₁ and Σ the diagonal GGN posterior of all tasks so far
/// — or the identity (FROMP-L2, FRORP-L2). Cross-class covariances are ignored (an independent GP per class).
/// </summary>
/// <typeparam name="T">The element type of the inputs (the network's).</typeparam>
public sealed class FunctionalPrior<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly double[] _mean;
    private readonly double[]? _inverseKernels;
    private readonly double[] _jitter;

    /// <summary>A prior from explicit parts (tests, or kernels computed elsewhere).</summary>
    /// <param name="taskIndex">The 0-based task the memory belongs to.</param>
    /// <param name="headStart">The first output unit of the task's head.</param>
    /// <param name="classes">C, the head's width.</param>
    /// <param name="inputs">The memorable inputs [n, inputSize] (taken over).</param>
    /// <param name="inputSize">Features per example.</param>
    /// <param name="mean">The means mₛ [n, C] (taken over).</param>
    /// <param name="inverseKernels">[C, n, n] symmetric inverse kernels, or null for the identity (taken over).</param>
    /// <exception cref="ArgumentException">The sizes do not fit together or a value is not finite.</exception>
    public FunctionalPrior(int taskIndex, int headStart, int classes, T[] inputs, int inputSize, double[] mean, double[]? inverseKernels)
        : this(taskIndex, headStart, classes, inputs, inputSize, mean, inverseKernels, new double[classes])
    {
    }

    private FunctionalPrior(int taskIndex, int headStart, int classes, T[] inputs, int inputSize, double[] mean, double[]? inverseKernels, double[] jitter)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentOutOfRangeException.ThrowIfNegative(taskIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(headStart);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        if (inputs.Length == 0 || inputs.Length % inputSize != 0)
            throw new ArgumentException($"{inputs.Length} input values are not a non-empty whole number of examples of {inputSize} features.", nameof(inputs));
        int n = inputs.Length / inputSize;
        if (mean.Length != n * classes)
            throw new ArgumentException($"{n} points with {classes} classes need {n * classes} mean values, got {mean.Length}.", nameof(mean));
        foreach (double m in mean)
        {
            if (!(m >= 0 && m <= 1))
                throw new ArgumentException($"A mean probability is {m}; probabilities are in [0, 1].", nameof(mean));
        }
        if (inverseKernels is not null)
        {
            if (inverseKernels.Length != (long)classes * n * n)
                throw new ArgumentException($"{classes} inverse kernels of {n} × {n} need {(long)classes * n * n} values, got {inverseKernels.Length}.", nameof(inverseKernels));
            foreach (double v in inverseKernels)
            {
                if (!double.IsFinite(v))
                    throw new ArgumentException($"An inverse-kernel entry is {v}; it must be finite.", nameof(inverseKernels));
            }
        }
        TaskIndex = taskIndex;
        HeadStart = headStart;
        Classes = classes;
        InputSize = inputSize;
        Count = n;
        _inputs = inputs;
        _mean = mean;
        _inverseKernels = inverseKernels;
        _jitter = jitter;
        Probabilities = new double[n * classes];
        Residuals = new double[n * classes];
        Weighted = new double[n * classes];
    }

    /// <summary>The 0-based task.</summary>
    public int TaskIndex { get; }

    /// <summary>The first output unit of the task's head.</summary>
    public int HeadStart { get; }

    /// <summary>C.</summary>
    public int Classes { get; }

    /// <summary>Features per example.</summary>
    public int InputSize { get; }

    /// <summary>n, the memorable points.</summary>
    public int Count { get; }

    /// <summary>The memorable inputs [n, InputSize].</summary>
    public ReadOnlySpan<T> Inputs => _inputs;

    /// <summary>The means mₛ [n, C]: the head-softmax probabilities of μₜ₋₁ on the memorable points.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Whether the regulariser is weighted by inverse kernels (false: the identity, FROMP-L2).</summary>
    public bool HasKernel => _inverseKernels is not null;

    /// <summary>Kₛₖ⁻¹ [C, n, n], class k's block at k·n·n; empty for the identity.</summary>
    public ReadOnlySpan<double> InverseKernels => _inverseKernels;

    /// <summary>The jitter the Cholesky factorisation of each Kₛₖ needed on top of ε (0 when none).</summary>
    public ReadOnlySpan<double> AddedJitter => _jitter;

    internal T[] InputArray => _inputs;

    internal double[] Probabilities { get; }

    internal double[] Residuals { get; }

    internal double[] Weighted { get; }

    /// <summary>
    /// ½ Σₖ Δₖᵀ Kₖ⁻¹ Δₖ for residuals Δ given per class ([C, n]: class k's block at k·n), writing uₖ = Kₖ⁻¹ Δₖ into
    /// <paramref name="weighted"/> ([C, n]).
    /// </summary>
    public double Weigh(ReadOnlySpan<double> residuals, Span<double> weighted)
    {
        int n = Count, c = Classes;
        if (residuals.Length != n * c || weighted.Length != n * c)
            throw new ArgumentException($"Residuals and weighted residuals are [C, n] = {c * n} values; got {residuals.Length} and {weighted.Length}.");
        double value = 0;
        for (int k = 0; k < c; k++)
        {
            ReadOnlySpan<double> delta = residuals.Slice(k * n, n);
            Span<double> u = weighted.Slice(k * n, n);
            if (_inverseKernels is null)
            {
                delta.CopyTo(u);
            }
            else
            {
                ReadOnlySpan<double> inverse = _inverseKernels.AsSpan(k * n * n, n * n);
                for (int i = 0; i < n; i++) u[i] = TensorPrimitives.Dot(inverse.Slice(i * n, n), delta);
            }
            value += 0.5 * TensorPrimitives.Dot(delta, u);
        }
        return value;
    }

    /// <summary>
    /// The prior of <paramref name="memory"/> at <paramref name="parameters"/> (μₜ₋₁): means from one forward pass, and
    /// with a <paramref name="covariance"/> the per-class kernels Gₖ Σ Gₖᵀ + εI from the factored Jacobians of the head
    /// probabilities (never forming Gₖ), each inverted through its Cholesky factor. Without a covariance, the identity.
    /// </summary>
    /// <exception cref="NotPositiveDefiniteException">A kernel did not factor even with the jitter ladder.</exception>
    public static FunctionalPrior<T> Create<TNet>(ReadOnlySpan<T> parameters, TaskMemory<T> memory, DiagonalCovariance? covariance, double jitter)
        where TNet : INetwork<TNet, T>
    {
        ArgumentNullException.ThrowIfNull(memory);
        NetworkArguments.CheckParameters(TNet.Name, parameters.Length, TNet.ParameterCount);
        MemorablePoints.CheckHead(TNet.Name, TNet.OutputSize, memory.HeadStart, memory.Classes);
        if (memory.InputSize != TNet.InputSize)
            throw new ArgumentException($"The memory of task {memory.TaskIndex + 1} has {memory.InputSize} inputs per point, but {TNet.Name} takes {TNet.InputSize}.", nameof(memory));
        if (!(jitter >= 0) || !double.IsFinite(jitter))
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The kernel jitter ε must be finite and non-negative.");
        int n = memory.Count, c = memory.Classes, k = TNet.OutputSize, head = memory.HeadStart;
        var outputs = new T[n * k];
        TNet.Forward(parameters, memory.Inputs, outputs, n);
        var mean = new double[n * c];
        for (int e = 0; e < n; e++) HeadSoftmax.Probabilities<T>(outputs.AsSpan(e * k, k), head, mean.AsSpan(e * c, c));
        var added = new double[c];
        if (covariance is null)
            return new FunctionalPrior<T>(memory.TaskIndex, head, c, memory.InputArray, memory.InputSize, mean, null, added);

        // Seeds: row k of the head's softmax Jacobian diag(p) − ppᵀ for every class k, zero outside the head.
        var seeds = new T[(long)n * c * k];
        for (int e = 0; e < n; e++)
        {
            ReadOnlySpan<double> p = mean.AsSpan(e * c, c);
            for (int row = 0; row < c; row++)
            {
                Span<T> seed = seeds.AsSpan((e * c + row) * k + head, c);
                for (int j = 0; j < c; j++) seed[j] = T.CreateTruncating((row == j ? p[row] : 0.0) - p[row] * p[j]);
            }
        }
        FactorSet factors = Curvature<TNet, T>.CollectFactors(parameters, memory.Inputs, n, seeds, c);
        var kernels = new double[(long)c * n * n];
        Curvature<TNet, T>.Kernel(factors, factors, covariance, KernelBlocks.PerOutput, kernels);
        var inverse = new double[(long)c * n * n];
        for (int row = 0; row < c; row++)
        {
            Span<double> kernel = kernels.AsSpan(row * n * n, n * n);
            for (int i = 0; i < n; i++) kernel[i * n + i] += jitter;
            CholeskyFactor factor = Cholesky.Factor(kernel, n, JitterPolicy.Default, $"FROMP kernel of task {memory.TaskIndex + 1}, class {row} ({n}×{n})");
            added[row] = factor.Jitter;
            factor.Inverse(inverse.AsSpan(row * n * n, n * n));
        }
        return new FunctionalPrior<T>(memory.TaskIndex, head, c, memory.InputArray, memory.InputSize, mean, inverse, added);
    }
}
