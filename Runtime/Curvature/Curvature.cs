using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;
using Dnn2Gp.Runtime.Cpu;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>How a GGN-type curvature is computed.</summary>
public enum GgnApproximation
{
    /// <summary>The exact type-2 GGN Σ Jᵀ Λ J, from a square-root factor of the full output Hessian (the default).</summary>
    Exact,

    /// <summary>An unbiased Monte-Carlo estimate: one residual per example at a label drawn from the model (opt-in).</summary>
    MonteCarlo,

    /// <summary>The empirical Fisher Σ g gᵀ of per-example loss gradients at the true labels (opt-in; biased, see Kunstner et al. 2019).</summary>
    EmpiricalFisher,
}

/// <summary>What the rows of a kernel or Jacobian differentiate.</summary>
public enum KernelOutputs
{
    /// <summary>The network outputs f (logits): K rows per example.</summary>
    Logits,

    /// <summary>The predicted means E[y | f] (softmax probabilities, sigmoid, or f for Gaussian): rows of Λ J for canonical links.</summary>
    Mean,
}

/// <summary>
/// The curvature quantities of a generated network, computed from its generated <c>BackpropagateFactors</c> and
/// <c>ForwardTangent</c> passes: per-example Jacobians (only when asked), Jacobian-vector and vector-Jacobian products,
/// the exact diagonal and full GGN, KFAC factors and kernels J Σ Jᵀ. Batches are split over the cores in chunks;
/// sums over examples are accumulated in double; results go to caller-owned spans.
/// </summary>
/// <remarks>
/// Nothing proportional to (examples × outputs × parameters) is formed except by <see cref="Jacobian"/> and the
/// explicit paths of small networks (the full GGN, dense covariances); <see cref="CostPlan"/> says what each
/// costs before anything is allocated.
/// </remarks>
public static unsafe class Curvature<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The cost plan of this network's curvature quantities.</summary>
    public static CostPlan Plan { get; } = new(TNet.Name, TNet.Layers, TNet.OutputSize, sizeof(T));

    /// <summary>
    /// The per-example Jacobians of the outputs [batch, K, P] (row k of example n at (n·K + k)·P). The expensive,
    /// memory-hungry path: refused with a clear error when <see cref="CostPlan.Jacobian"/> exceeds the memory available.
    /// </summary>
    public static void Jacobian(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, Span<T> jacobian, KernelOutputs outputs = KernelOutputs.Logits)
    {
        CheckBatch(parameters, inputs, batch);
        int k = TNet.OutputSize, p = TNet.ParameterCount;
        long needed = (long)batch * k * p;
        if (jacobian.Length < needed)
            throw new ArgumentException($"{TNet.Name}: the Jacobian of {batch:N0} examples is [{batch:N0}, {k}, {p:N0}] = {needed:N0} values, but 'jacobian' has {jacobian.Length:N0}.", nameof(jacobian));
        fixed (T* j = jacobian)
        {
            T* rows = j;
            var visitors = new JacobianVisitor[WorkerCount(batch)];
            for (int w = 0; w < visitors.Length; w++) visitors[w] = new JacobianVisitor(rows, p, 0);
            if (outputs == KernelOutputs.Logits) Run(parameters, inputs, default, batch, new IdentitySeed<T>(k), visitors);
            else Run(parameters, inputs, default, batch, new MeanJacobianSeed<T>(TNet.Likelihood, k), visitors);
        }
    }

    /// <summary>Forward mode: J(xₙ) v for every example, [batch, K], along the parameter tangent <paramref name="tangent"/> [P].</summary>
    public static void JacobianVectorProduct(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, ReadOnlySpan<T> tangent, Span<T> products)
    {
        CheckBatch(parameters, inputs, batch);
        if (tangent.Length != TNet.ParameterCount)
            throw new ArgumentException($"{TNet.Name}: the tangent has {tangent.Length:N0} elements, but the network has {TNet.ParameterCount:N0} parameters.", nameof(tangent));
        int k = TNet.OutputSize, d = TNet.InputSize;
        if (products.Length < (long)batch * k)
            throw new ArgumentException($"{TNet.Name}: 'products' has {products.Length:N0} elements, but [{batch:N0}, {k}] needs {(long)batch * k:N0}.", nameof(products));
        fixed (T* pp = parameters)
        fixed (T* pt = tangent)
        fixed (T* px = inputs)
        fixed (T* py = products)
        {
            nint aP = (nint)pp, aT = (nint)pt, aX = (nint)px, aY = (nint)py;
            int pLength = parameters.Length;
            ForChunks(batch, ChunkRows(1), (start, n) =>
                TNet.ForwardTangent(new ReadOnlySpan<T>((T*)aP, pLength), new ReadOnlySpan<T>((T*)aT, pLength),
                    new ReadOnlySpan<T>((T*)aX + (long)start * d, n * d), default, new Span<T>((T*)aY + (long)start * k, n * k), n));
        }
    }

    /// <summary>Reverse mode: Σₙ J(xₙ)ᵀ uₙ [P] for cotangents u [batch, K] (a gradient with caller-chosen output weights).</summary>
    public static void VectorJacobianProduct(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, ReadOnlySpan<T> cotangents, Span<T> result)
    {
        CheckBatch(parameters, inputs, batch);
        int k = TNet.OutputSize, p = TNet.ParameterCount;
        if (cotangents.Length < (long)batch * k)
            throw new ArgumentException($"{TNet.Name}: 'cotangents' has {cotangents.Length:N0} elements, but [{batch:N0}, {k}] needs {(long)batch * k:N0}.", nameof(cotangents));
        if (result.Length != p)
            throw new ArgumentException($"{TNet.Name}: 'result' has {result.Length:N0} elements, but the network has {p:N0} parameters.", nameof(result));
        fixed (T* u = cotangents)
        {
            var visitors = Visitors(batch, _ => new GradientVisitor(p));
            Run(parameters, inputs, default, batch, new GivenSeed<T>(u, batch, 1, k), visitors);
            result.Clear();
            foreach (var v in visitors) System.Numerics.Tensors.TensorPrimitives.Add(result, v.Gradient, result);
        }
    }

    /// <summary>
    /// The exact diagonal GGN Σₙ diag(Jₙᵀ Λₙ Jₙ) [P] over a dataset, layer by layer from activations and back-propagated
    /// square-root factors of the full Λ (never forming Jₙ), accumulated in double. Overwrites <paramref name="diagonal"/>
    /// unless <paramref name="accumulate"/>.
    /// </summary>
    public static void GgnDiagonal(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, Span<double> diagonal, bool accumulate = false) =>
        GgnDiagonal(parameters, inputs, default, batch, diagonal, GgnApproximation.Exact, 0, accumulate);

    /// <summary>
    /// The diagonal GGN with a chosen approximation: <see cref="GgnApproximation.Exact"/>, an opt-in Monte-Carlo estimate
    /// (seeded by <paramref name="seed"/>) or the opt-in empirical Fisher (needs <paramref name="targets"/>).
    /// </summary>
    public static void GgnDiagonal(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch,
        Span<double> diagonal, GgnApproximation approximation, int seed = 0, bool accumulate = false)
    {
        CheckBatch(parameters, inputs, batch);
        CheckParameterSized(diagonal.Length, "diagonal");
        CheckTargetsFor(approximation, targets, batch);
        int p = TNet.ParameterCount;
        var visitors = Visitors(batch, _ => new DiagonalVisitor<T>(p));
        RunApproximation(parameters, inputs, targets, batch, approximation, seed, visitors);
        if (!accumulate) diagonal.Clear();
        for (int w = 0; w < visitors.Length; w++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(diagonal, visitors[w].Diagonal, diagonal);
            visitors[w].Release();
        }
    }

    /// <summary>
    /// The square-root factor of the GGN, V [batch·c, P] with Σₙ Jₙᵀ Λₙ Jₙ = VᵀV: row (n·c + r) is column r of a square
    /// root of Λₙ pushed through Jₙ (c = K for Gaussian and categorical likelihoods, 1 for Bernoulli; BackPACK's
    /// SqrtGGNExact). The function-space (dual) forms of DNN2GP work with V Vᵀ (batch·c square) instead of the P × P GGN.
    /// </summary>
    public static void GgnFactor(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, Span<T> factor)
    {
        CheckBatch(parameters, inputs, batch);
        int p = TNet.ParameterCount, c = SeedCount(GgnApproximation.Exact);
        long needed = (long)batch * c * p;
        if (factor.Length < needed)
            throw new ArgumentException($"{TNet.Name}: the GGN factor of {batch:N0} examples is [{(long)batch * c:N0}, {p:N0}] = {needed:N0} values, but 'factor' has {factor.Length:N0}.", nameof(factor));
        fixed (T* rows = factor)
        {
            T* first = rows;
            var visitors = new JacobianVisitor[WorkerCount(batch)];
            for (int w = 0; w < visitors.Length; w++) visitors[w] = new JacobianVisitor(first, p, 0);
            Run(parameters, inputs, default, batch, new SquareRootHessianSeed<T>(TNet.Likelihood, TNet.OutputSize), visitors);
        }
    }

    /// <summary>
    /// The full GGN Σₙ Jₙᵀ Λₙ Jₙ [P × P] (small networks): chunks of square-root-seeded Jacobian rows V, then VᵀV by GEMM,
    /// accumulated in double. Refused when <see cref="CostPlan.FullGgn"/> exceeds the memory available.
    /// </summary>
    public static void GgnFull(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, Span<double> ggn, bool accumulate = false) =>
        GgnFull(parameters, inputs, default, batch, ggn, GgnApproximation.Exact, 0, accumulate);

    /// <inheritdoc cref="GgnFull(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{double}, bool)"/>
    public static void GgnFull(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch, Span<double> ggn,
        GgnApproximation approximation, int seed = 0, bool accumulate = false)
    {
        CheckBatch(parameters, inputs, batch);
        CheckTargetsFor(approximation, targets, batch);
        int p = TNet.ParameterCount;
        Plan.FullGgn.EnsureFits();
        if (ggn.Length != (long)p * p)
            throw new ArgumentException($"{TNet.Name}: the full GGN is {p:N0} × {p:N0} = {(long)p * p:N0} values, but 'ggn' has {ggn.Length:N0}.", nameof(ggn));
        int c = SeedCount(approximation);
        // Rows of V per block: enough to make VᵀV a GEMM with a long k, bounded to about 64 MB of V.
        int blockExamples = (int)Math.Clamp((64L << 20) / Math.Max(1L, (long)c * p * sizeof(T)), 1, Math.Max(1, batch));
        T[] v = ArrayPool<T>.Shared.Rent(blockExamples * c * p);
        T[]? product = typeof(T) == typeof(double) ? null : ArrayPool<T>.Shared.Rent(p * p);
        try
        {
            if (!accumulate) ggn.Clear();
            fixed (T* pv = v)
            {
                for (int start = 0; start < batch; start += blockExamples)
                {
                    int n = Math.Min(blockExamples, batch - start);
                    var rows = new Span<T>(pv, n * c * p);
                    rows.Clear();
                    var visitors = new JacobianVisitor[WorkerCount(n)];
                    for (int w = 0; w < visitors.Length; w++) visitors[w] = new JacobianVisitor(pv, p, start);
                    RunApproximation(parameters, inputs.Slice(start * TNet.InputSize, n * TNet.InputSize),
                        targets.IsEmpty ? default : targets.Slice(start * TNet.TargetSize, n * TNet.TargetSize), n, approximation, seed, visitors, start);
                    // VᵀV by a symmetric rank-k update: the lower triangle only (half the multiply-adds), then mirrored.
                    if (product is null)
                    {
                        LinearAlgebra.SymmetricRankK.Update(true, p, n * c, 1.0, System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(rows), p, 1.0, ggn, p);
                    }
                    else
                    {
                        LinearAlgebra.SymmetricRankK.Update(true, p, n * c, 1f, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(rows), p, 0f,
                            System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(product.AsSpan(0, p * p)), p);
                        Blas.AddTo<T>(product.AsSpan(0, p * p), ggn);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(v);
            if (product is not null) ArrayPool<T>.Shared.Return(product);
        }
    }

    /// <summary>
    /// KFAC factors per parametrised layer, Aₗ = Σₙ ãₙ ãₙᵀ (bias-augmented input activations) and Gₗ = Σₙ Σ_c bₙ,c bₙ,cᵀ
    /// (back-propagated square-root factors: exact by default, one Monte-Carlo residual per example as the named option).
    /// The layer's GGN block is approximated by (Gₗ ⊗ Aₗ) / N (row-major vec of [W | b]). Convolutions follow KFC
    /// (Grosse and Martens, 2016): Aₗ and Gₗ sum over every output position too (patches ũ and factor vectors b ∈ ℝ^Cout),
    /// and the block is (Gₗ ⊗ Aₗ) / (N·T) with T output positions; <see cref="KfacFactors.BlockScale"/> gives the factor.
    /// </summary>
    public static KfacFactors Kfac(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch,
        GgnApproximation approximation = GgnApproximation.Exact, int seed = 0, ReadOnlySpan<T> targets = default)
    {
        CheckBatch(parameters, inputs, batch);
        CheckTargetsFor(approximation, targets, batch);
        var visitors = Visitors(batch, _ => new KfacVisitor(TNet.Layers));
        RunApproximation(parameters, inputs, targets, batch, approximation, seed, visitors);
        var factors = new KfacFactors(TNet.Layers, batch, approximation);
        foreach (var v in visitors) factors.Add(v.A, v.G);
        return factors;
    }

    /// <summary>
    /// Collects the factored per-layer pieces of the Jacobians of <paramref name="batch"/> inputs (of the logits or of
    /// the means), from which <see cref="Kernel(FactorSet, FactorSet, Covariance, KernelBlocks, Span{double})"/> contracts kernels.
    /// </summary>
    public static FactorSet CollectFactors(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, KernelOutputs outputs = KernelOutputs.Logits)
    {
        CheckBatch(parameters, inputs, batch);
        int k = TNet.OutputSize;
        var set = new FactorSet(TNet.Layers, batch, k);
        var visitors = Visitors(batch, _ => new CollectVisitor(set));
        if (outputs == KernelOutputs.Logits) Run(parameters, inputs, default, batch, new IdentitySeed<T>(k), visitors);
        else Run(parameters, inputs, default, batch, new MeanJacobianSeed<T>(TNet.Likelihood, k), visitors);
        return set;
    }

    /// <summary>
    /// Collects the factors of caller-given seeds [batch, c, K] (c combinations of outputs per example, e.g. the softmax
    /// Jacobian of one task's head in FROMP).
    /// </summary>
    public static FactorSet CollectFactors(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch, ReadOnlySpan<T> seeds, int seedsPerExample)
    {
        CheckBatch(parameters, inputs, batch);
        int k = TNet.OutputSize;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seedsPerExample);
        if (seeds.Length < (long)batch * seedsPerExample * k)
            throw new ArgumentException($"{TNet.Name}: 'seeds' has {seeds.Length:N0} elements, but [{batch:N0}, {seedsPerExample}, {k}] needs {(long)batch * seedsPerExample * k:N0}.", nameof(seeds));
        var set = new FactorSet(TNet.Layers, batch, seedsPerExample);
        fixed (T* s = seeds)
        {
            var visitors = Visitors(batch, _ => new CollectVisitor(set));
            Run(parameters, inputs, default, batch, new GivenSeed<T>(s, batch, seedsPerExample, k), visitors);
        }
        return set;
    }

    /// <summary>
    /// The kernel J(X₁) Σ J(X₂)ᵀ of the logits (or means) of <paramref name="m1"/> × <paramref name="m2"/> inputs, as
    /// <see cref="KernelBlocks.PerOutput"/> [K, M₁, M₂] or <see cref="KernelBlocks.Full"/> [M₁K, M₂K]; accumulated in double.
    /// </summary>
    public static void Kernel(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs1, int m1, ReadOnlySpan<T> inputs2, int m2,
        Covariance covariance, KernelBlocks blocks, Span<double> kernel, KernelOutputs outputs = KernelOutputs.Logits)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        covariance.CheckFor(TNet.Layers, TNet.Name);
        Plan.Kernel(m1, m2, covariance.Structure, blocks).EnsureFits();
        var x1 = CollectFactors(parameters, inputs1, m1, outputs);
        var x2 = inputs1 == inputs2 && m1 == m2 ? x1 : CollectFactors(parameters, inputs2, m2, outputs);
        Kernel(x1, x2, covariance, blocks, kernel);
    }

    /// <summary>The kernel of two collected factor sets (the same seeds per example on both sides).</summary>
    public static void Kernel(FactorSet x1, FactorSet x2, Covariance covariance, KernelBlocks blocks, Span<double> kernel)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        ArgumentNullException.ThrowIfNull(covariance);
        covariance.CheckFor(TNet.Layers, TNet.Name);
        if (x1.Seeds != x2.Seeds)
            throw new ArgumentException($"{TNet.Name}: the two factor sets have {x1.Seeds} and {x2.Seeds} seeds per example; a kernel needs the same on both sides.", nameof(x2));
        long needed = (long)x1.Rows * x2.Rows * x1.Seeds * (blocks == KernelBlocks.Full ? x1.Seeds : 1);
        if (kernel.Length != needed)
        {
            string shape = blocks == KernelBlocks.Full ? $"[{x1.Rows * x1.Seeds:N0}, {x2.Rows * x2.Seeds:N0}]" : $"[{x1.Seeds}, {x1.Rows:N0}, {x2.Rows:N0}]";
            throw new ArgumentException($"{TNet.Name}: the {blocks} kernel is {shape} = {needed:N0} values, but 'kernel' has {kernel.Length:N0}.", nameof(kernel));
        }
        kernel.Clear();
        KernelContraction.Accumulate(x1, x2, covariance, blocks, kernel);
    }

    // ----- running the generated passes over chunks, one visitor per worker -----

    private static void RunApproximation<TVisitor>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch,
        GgnApproximation approximation, int seed, TVisitor[] visitors, int rowOffset = 0)
        where TVisitor : struct, IFactorVisitor<T>
    {
        int k = TNet.OutputSize;
        switch (approximation)
        {
            case GgnApproximation.Exact:
                Run(parameters, inputs, targets, batch, new SquareRootHessianSeed<T>(TNet.Likelihood, k), visitors, rowOffset);
                break;
            case GgnApproximation.MonteCarlo:
                Run(parameters, inputs, targets, batch, new MonteCarloSeed<T>(TNet.Likelihood, k, seed, 0), visitors, rowOffset);
                break;
            case GgnApproximation.EmpiricalFisher:
                Run(parameters, inputs, targets, batch, new ResidualSeed<T>(TNet.Likelihood, k), visitors, rowOffset);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(approximation), approximation, "Unknown approximation.");
        }
    }

    private static int SeedCount(GgnApproximation approximation) =>
        approximation == GgnApproximation.Exact ? OutputFactors.SquareRootCount(TNet.Likelihood, TNet.OutputSize) : 1;

    /// <summary>
    /// Runs the generated backward pass over rows [0, batch) in chunks: worker w takes a contiguous range and its own
    /// visitor. <paramref name="rowOffset"/> is added to the row index the seed and visitor see (blocks of a larger batch).
    /// </summary>
    internal static void Run<TSeed, TVisitor>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch,
        TSeed seed, TVisitor[] visitors, int rowOffset = 0)
        where TSeed : struct, IOutputSeed<T>
        where TVisitor : struct, IFactorVisitor<T>
    {
        if (batch == 0) return;
        int d = TNet.InputSize, ts = TNet.TargetSize;
        int chunk = ChunkRows(seed.Count);
        fixed (T* pp = parameters)
        fixed (T* px = inputs)
        fixed (T* py = targets)
        {
            nint aP = (nint)pp, aX = (nint)px, aY = (nint)py;
            int pLength = parameters.Length;
            bool hasTargets = !targets.IsEmpty;
            int workers = visitors.Length;
            BatchParallel.ForEachWorker(workers, w =>
            {
                var (begin, count) = Range(batch, workers, w);
                ref TVisitor visitor = ref visitors[w];
                var s = seed;
                for (int start = begin; start < begin + count; start += chunk)
                {
                    int n = Math.Min(chunk, begin + count - start);
                    TNet.BackpropagateFactors(new ReadOnlySpan<T>((T*)aP, pLength),
                        new ReadOnlySpan<T>((T*)aX + (long)start * d, n * d),
                        hasTargets ? new ReadOnlySpan<T>((T*)aY + (long)start * ts, n * ts) : default,
                        rowOffset + start, n, ref s, ref visitor);
                }
            });
        }
    }

    private static void ForChunks(int batch, int chunk, Action<int, int> body)
    {
        if (batch == 0) return;
        int workers = WorkerCount(batch);
        BatchParallel.ForEachWorker(workers, w =>
        {
            var (begin, count) = Range(batch, workers, w);
            for (int start = begin; start < begin + count; start += chunk) body(start, Math.Min(chunk, begin + count - start));
        });
    }

    private static TVisitor[] Visitors<TVisitor>(int batch, Func<int, TVisitor> create)
    {
        var visitors = new TVisitor[WorkerCount(batch)];
        for (int w = 0; w < visitors.Length; w++) visitors[w] = create(w);
        return visitors;
    }

    internal static int WorkerCount(int batch) => Math.Max(1, Math.Min(Environment.ProcessorCount, batch / 8));

    /// <summary>
    /// Examples per chunk: about 4 MB of factors (c seeds × the widest layer output: the first layer's input is never
    /// back-propagated to) and activations, between 8 and 256 rows. Long chunks make the per-layer GEMMs of the visitors
    /// deep (k = rows) and their per-chunk results few.
    /// </summary>
    private static int ChunkRows(int seeds)
    {
        var layers = TNet.Layers;
        long perRow = 2L * seeds * layers.MaxOutputSize + 2L * (layers.MaxOutputSize + layers.MaxInputSize) * layers.Count;
        return (int)Math.Clamp((4L << 20) / (perRow * sizeof(T)), 8, 256);
    }

    private static (int Begin, int Count) Range(int batch, int workers, int w)
    {
        int begin = (int)((long)batch * w / workers), end = (int)((long)batch * (w + 1) / workers);
        return (begin, end - begin);
    }

    private static void CheckBatch(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, int batch) =>
        NetworkArguments.CheckBatch(TNet.Name, parameters.Length, TNet.ParameterCount, inputs.Length, TNet.InputSize, batch);

    private static void CheckParameterSized(int length, string name)
    {
        if (length != TNet.ParameterCount)
            throw new ArgumentException($"{TNet.Name}: '{name}' has {length:N0} elements, but the network has {TNet.ParameterCount:N0} parameters.", name);
    }

    private static void CheckTargetsFor(GgnApproximation approximation, ReadOnlySpan<T> targets, int batch)
    {
        if (approximation != GgnApproximation.EmpiricalFisher) return;
        NetworkArguments.CheckTargets(TNet.Name, targets.Length, TNet.TargetSize, batch);
        switch (TNet.Likelihood)
        {
            case GaussianLikelihood: Likelihoods.Targets.ValidateGaussian(TNet.Name, targets, batch, TNet.OutputSize); break;
            case BernoulliLikelihood: Likelihoods.Targets.ValidateBernoulli(TNet.Name, targets, batch, TNet.OutputSize); break;
            case CategoricalLikelihood: Likelihoods.Targets.ValidateCategorical(TNet.Name, targets, batch, TNet.OutputSize); break;
        }
    }

    // ----- visitors -----

    /// <summary>Writes explicit Jacobian rows; row (e·c + r) of example e ≥ <paramref name="firstRow"/> at <paramref name="rows"/>.</summary>
    private struct JacobianVisitor(T* rows, int parameters, int firstRow) : IFactorVisitor<T>
    {
        private int _start;

        public void Begin(int start, int n, ReadOnlySpan<T> outputs) => _start = start - firstRow;

        public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c) =>
            LayerRules.JacobianRows(layer, input, factors, n, c, new Span<T>(rows + (long)_start * c * parameters, n * c * parameters), parameters);

        public void End() { }
    }

    private struct GradientVisitor(int parameters) : IFactorVisitor<T>
    {
        public T[] Gradient { get; } = new T[parameters];

        private T[] _scratch = [];

        public void Begin(int start, int n, ReadOnlySpan<T> outputs) { }

        public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
        {
            int size = n * c * layer.ParameterCount;
            if (_scratch.Length < size) _scratch = new T[size];
            // Σ over the chunk's rows: sum the explicit rows of this layer (c = 1: one row per example).
            var shifted = layer with { WeightOffset = 0, BiasOffset = layer.HasBias ? layer.WeightCount : -1 };
            if (layer.Kind == ParametrizedLayerKind.Dense)
            {
                Span<T> g = Gradient.AsSpan(layer.WeightOffset, layer.ParameterCount);
                Blas.Gemm(true, false, layer.OutputSize, layer.InputSize, n * c, T.One, factors, layer.OutputSize, Expand(input, n, c, layer.InputSize), layer.InputSize, T.One, g, layer.InputSize);
                if (layer.HasBias)
                {
                    Span<T> b = g.Slice(layer.WeightCount, layer.OutputSize);
                    for (int q = 0; q < n * c; q++) System.Numerics.Tensors.TensorPrimitives.Add(b, factors.Slice(q * layer.OutputSize, layer.OutputSize), b);
                }
                return;
            }
            Span<T> rows = _scratch.AsSpan(0, size);
            LayerRules.JacobianRows(shifted, input, factors, n, c, rows, layer.ParameterCount);
            Span<T> dst = Gradient.AsSpan(layer.WeightOffset, layer.ParameterCount);
            for (int q = 0; q < n * c; q++) System.Numerics.Tensors.TensorPrimitives.Add(dst, rows.Slice(q * layer.ParameterCount, layer.ParameterCount), dst);
        }

        private ReadOnlySpan<T> Expand(ReadOnlySpan<T> input, int n, int c, int width)
        {
            if (c == 1) return input;
            int size = n * c * width;
            if (_scratch.Length < size) _scratch = new T[size];
            for (int e = 0; e < n; e++)
            {
                for (int r = 0; r < c; r++) input.Slice(e * width, width).CopyTo(_scratch.AsSpan((e * c + r) * width, width));
            }
            return _scratch.AsSpan(0, size);
        }

        public void End() { }
    }

    private struct KfacVisitor : IFactorVisitor<T>
    {
        private T[] _scratch;

        public KfacVisitor(LayerTable layers)
        {
            A = new double[layers.Count][];
            G = new double[layers.Count][];
            for (int l = 0; l < layers.Count; l++)
            {
                A[l] = new double[layers[l].AugmentedColumns * layers[l].AugmentedColumns];
                G[l] = new double[layers[l].WeightRows * layers[l].WeightRows];
            }
            _scratch = [];
        }

        public double[][] A { get; }

        public double[][] G { get; }

        public void Begin(int start, int n, ReadOnlySpan<T> outputs) { }

        public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
        {
            int size = LayerRules.KfacScratch(layer, n, c);
            if (_scratch.Length < size) _scratch = new T[size];
            LayerRules.AccumulateKfac(layer, input, factors, n, c, _scratch, A[layer.Index], G[layer.Index]);
        }

        public void End() { }
    }

    private struct CollectVisitor(FactorSet set) : IFactorVisitor<T>
    {
        private int _start;
        private T[] _scratch = [];

        public void Begin(int start, int n, ReadOnlySpan<T> outputs) => _start = start;

        public void Layer(in LayerInfo layer, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c)
        {
            if (layer.Kind != ParametrizedLayerKind.Dense)
            {
                int size = n * c * layer.ParameterCount;
                if (_scratch.Length < size) _scratch = new T[size];
            }
            set.Store(layer, _start, input, factors, n, c, _scratch);
        }

        public void End() { }
    }
}

/// <summary>KFAC factors of every parametrised layer: Aₗ over bias-augmented inputs and Gₗ over output factors, in double.</summary>
public sealed class KfacFactors
{
    private readonly double[][] _a;
    private readonly double[][] _g;

    internal KfacFactors(LayerTable layers, int examples, GgnApproximation approximation)
    {
        Layers = layers;
        Examples = examples;
        Approximation = approximation;
        _a = new double[layers.Count][];
        _g = new double[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            _a[l] = new double[layers[l].AugmentedColumns * layers[l].AugmentedColumns];
            _g[l] = new double[layers[l].WeightRows * layers[l].WeightRows];
        }
    }

    public LayerTable Layers { get; }

    /// <summary>N, the examples summed over.</summary>
    public int Examples { get; }

    /// <summary>How the G factors were seeded.</summary>
    public GgnApproximation Approximation { get; }

    /// <summary>Aₗ = Σₙ ãₙ ãₙᵀ, AugmentedColumns × AugmentedColumns, row-major.</summary>
    public ReadOnlySpan<double> A(int layer) => _a[layer];

    /// <summary>Gₗ = Σₙ Σ_c bₙ,c bₙ,cᵀ, WeightRows × WeightRows, row-major.</summary>
    public ReadOnlySpan<double> G(int layer) => _g[layer];

    /// <summary>
    /// The scale s with GGN block ≈ s · (Gₗ ⊗ Aₗ): 1/N for a dense layer, 1/(N·T) for a convolution with T = OH·OW output
    /// positions (the KFC convention: A and G are sums over examples and positions).
    /// </summary>
    public double BlockScale(int layer)
    {
        var info = Layers[layer];
        double positions = info.Kind == ParametrizedLayerKind.Conv2D ? info.Conv.Positions : 1;
        return 1.0 / (Math.Max(1, Examples) * positions);
    }

    internal void Add(double[][] a, double[][] g)
    {
        for (int l = 0; l < _a.Length; l++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(_a[l], a[l], _a[l]);
            System.Numerics.Tensors.TensorPrimitives.Add(_g[l], g[l], _g[l]);
        }
    }
}
