using System;
using System.Globalization;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// What one curvature computation will cost, known from the network's shapes before anything is allocated: floating-point
/// operations, the bytes of its result and of its workspace.
/// </summary>
public readonly record struct CostEstimate(string Network, string Quantity, double Flops, long ResultBytes, long WorkspaceBytes, string Alternatives)
{
    /// <summary>Result and workspace bytes together.</summary>
    public long TotalBytes => ResultBytes + WorkspaceBytes;

    /// <summary>Whether it fits in <paramref name="availableBytes"/> (default: the memory the GC says this process may use).</summary>
    public bool Fits(long? availableBytes = null) => TotalBytes <= (availableBytes ?? AvailableBytes());

    /// <summary>Throws <see cref="InsufficientMemoryException"/>, saying what it needs, what is available and what to use instead, unless it fits.</summary>
    public void EnsureFits(long? availableBytes = null)
    {
        long available = availableBytes ?? AvailableBytes();
        if (TotalBytes > available)
        {
            throw new InsufficientMemoryException(
                $"{Network}: the {Quantity} needs {FormatBytes(TotalBytes)} ({FormatBytes(ResultBytes)} result + {FormatBytes(WorkspaceBytes)} workspace), " +
                $"but {FormatBytes(available)} are available, so it was not started. {Alternatives}");
        }
    }

    /// <summary>The memory the GC allows this process (physical memory or the container limit).</summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Network}: {Quantity}: {Flops / 1e9:F3} GFLOP, {FormatBytes(ResultBytes)} result + {FormatBytes(WorkspaceBytes)} workspace");

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):F1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}

/// <summary>
/// The cost and memory plan of a network's curvature quantities (<c>Curvature&lt;TNet, T&gt;.Plan</c>): FLOPs and bytes
/// for given data sizes, from the layer shapes alone. Every memory-hungry entry point checks its estimate first and
/// refuses with a clear error instead of trying.
/// </summary>
public sealed class CostPlan
{
    private readonly string _network;
    private readonly LayerTable _layers;
    private readonly int _outputs;
    private readonly int _elementSize;

    public CostPlan(string network, LayerTable layers, int outputs, int elementSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        _network = network;
        _layers = layers;
        _outputs = outputs;
        _elementSize = elementSize;
    }

    private long P => _layers.ParameterCount;

    /// <summary>
    /// Per-example FLOPs of a forward pass (2 per weight use: a convolution's weights are used at every output position)
    /// plus a backward pass of <paramref name="seeds"/> seeds through every layer's input except the first's, which the
    /// generated pass never computes.
    /// </summary>
    private double PassFlops(int seeds)
    {
        double weights = 0;
        foreach (var layer in _layers) weights += Uses(layer);
        return 2 * weights + 2.0 * seeds * (weights - Uses(_layers[0]));

        static double Uses(in LayerInfo layer) =>
            layer.Kind == ParametrizedLayerKind.Dense ? layer.WeightCount : (double)layer.WeightCount * layer.Conv.Positions;
    }

    /// <summary>
    /// Per-example FLOPs of forming the c seeds' explicit weight derivatives of every convolution (Bᵣ Uᵀ over all
    /// positions, the exact cross-position terms): what the diagonal GGN, Jacobian rows and kernels of conv layers add.
    /// </summary>
    private double ConvRowFlops(int seeds)
    {
        double flops = 0;
        foreach (var layer in _layers)
        {
            if (layer.Kind == ParametrizedLayerKind.Conv2D) flops += 2.0 * seeds * layer.WeightCount * layer.Conv.Positions;
        }
        return flops;
    }

    /// <summary>Per-worker scratch of the convolution rules (patch matrix, c seeds' weight derivatives, the layer's sums).</summary>
    private long ConvScratch(int seeds)
    {
        long elements = 0;
        foreach (var layer in _layers)
        {
            if (layer.Kind == ParametrizedLayerKind.Conv2D)
                elements = Math.Max(elements, (long)layer.Conv.PatchSize * layer.Conv.Positions + (long)seeds * layer.WeightCount + layer.ParameterCount);
        }
        return elements * _elementSize;
    }

    private long PassWorkspace(int seeds) => 256L * _elementSize * (2L * seeds * Math.Max(_layers.MaxOutputSize, _layers.MaxInputSize) + 4L * _layers.MaxOutputSize * _layers.Count);

    /// <summary>Per-example Jacobians of <paramref name="examples"/> inputs: [N, K, P] values.</summary>
    public CostEstimate Jacobian(int examples) => new(_network, $"per-example Jacobian of {examples:N0} inputs",
        examples * (PassFlops(_outputs) + (double)_outputs * P + ConvRowFlops(_outputs)), (long)examples * _outputs * P * _elementSize, PassWorkspace(_outputs) + ConvScratch(_outputs),
        "Use JacobianVectorProduct / VectorJacobianProduct, the diagonal GGN or the kernels, which never form it, or fewer inputs per call.");

    /// <summary>The exact diagonal GGN over <paramref name="examples"/> inputs: a P-vector of doubles.</summary>
    public CostEstimate GgnDiagonal(int examples) => new(_network, $"diagonal GGN over {examples:N0} inputs",
        examples * (PassFlops(_outputs) + 2.0 * P + 2.0 * _outputs * _layers.MaxOutputSize * _layers.Count + ConvRowFlops(_outputs)), P * 8,
        PassWorkspace(_outputs) * 2 + (P * 8L + ConvScratch(_outputs)) * Environment.ProcessorCount, "");

    /// <summary>The full GGN: P × P doubles (plus a P × P product buffer in single precision).</summary>
    public CostEstimate FullGgn => new(_network, string.Create(CultureInfo.InvariantCulture, $"full GGN ({P:N0} × {P:N0} doubles)"),
        2.0 * _outputs * P * P, P * P * 8, (_elementSize == 8 ? 0 : P * P * _elementSize) + (64L << 20),
        "Use the diagonal GGN, KFAC factors or a last-layer posterior instead.");

    /// <summary>The full GGN over <paramref name="examples"/> inputs (FLOPs grow with N; memory does not).</summary>
    public CostEstimate GgnFull(int examples) => FullGgn with
    {
        Quantity = string.Create(CultureInfo.InvariantCulture, $"full GGN ({P:N0} × {P:N0} doubles) over {examples:N0} inputs"),
        Flops = examples * (PassFlops(_outputs) + 2.0 * _outputs * P * P),
    };

    /// <summary>KFAC factors over <paramref name="examples"/> inputs.</summary>
    public CostEstimate Kfac(int examples)
    {
        double flops = PassFlops(_outputs);
        long bytes = 0;
        foreach (var layer in _layers)
        {
            // Convolutions (KFC): A and G sum over every output position.
            double positions = layer.Kind == ParametrizedLayerKind.Conv2D ? layer.Conv.Positions : 1;
            flops += positions * (2.0 * layer.AugmentedColumns * layer.AugmentedColumns + 2.0 * _outputs * layer.WeightRows * layer.WeightRows);
            bytes += 8L * (layer.AugmentedColumns * (long)layer.AugmentedColumns + layer.WeightRows * (long)layer.WeightRows);
        }
        return new(_network, $"KFAC factors over {examples:N0} inputs", examples * flops, bytes, bytes * Environment.ProcessorCount + PassWorkspace(_outputs), "");
    }

    /// <summary>A kernel J(X₁) Σ J(X₂)ᵀ of <paramref name="m1"/> × <paramref name="m2"/> inputs with K outputs each.</summary>
    public CostEstimate Kernel(int m1, int m2, CovarianceStructure structure, KernelBlocks blocks)
    {
        int c = _outputs;
        double mm = (double)m1 * m2;
        long result = (long)(mm * c * (blocks == KernelBlocks.Full ? c : 1)) * 8;
        double flops = (m1 + m2) * PassFlops(c);
        long factors = 0;
        foreach (var layer in _layers)
        {
            long perExample = layer.Kind == ParametrizedLayerKind.Dense ? layer.AugmentedColumns + (long)c * layer.OutputSize : (long)c * layer.ParameterCount;
            factors += 8L * (m1 + m2) * perExample;
            double contraction = blocks == KernelBlocks.Full ? mm * c * c : mm * c;
            if (layer.Kind != ParametrizedLayerKind.Dense)
            {
                // Explicit layer rows: formed per example (Bᵣ Uᵀ), Σₗₗ applied to X₂'s rows, then one GEMM over the layer's parameters.
                double rows = (double)m2 * c, cols = layer.AugmentedColumns, wr = layer.WeightRows;
                flops += 2.0 * (m1 + m2) * c * layer.WeightCount * layer.Conv.Positions + 2 * contraction * layer.ParameterCount
                    + (structure == CovarianceStructure.Kronecker ? 2 * rows * (wr * cols * cols + wr * wr * cols) : rows * layer.ParameterCount);
                continue;
            }
            flops += structure switch
            {
                CovarianceStructure.Isotropic => 2 * mm * layer.AugmentedColumns + 2 * contraction * layer.WeightRows,
                CovarianceStructure.Kronecker => 2 * mm * layer.AugmentedColumns * layer.WeightRows + 2 * contraction * layer.WeightRows,
                CovarianceStructure.Diagonal => 2 * mm * layer.AugmentedColumns * layer.WeightRows + 2 * contraction * layer.WeightRows,
                _ => 0,
            };
        }
        long workspace = factors + (blocks == KernelBlocks.Full ? result : 0);
        if (structure == CovarianceStructure.Full)
        {
            workspace += 3L * 8 * (m1 + m2) * c * P;
            flops += 2.0 * m1 * c * P * P + 2.0 * m1 * c * m2 * c * P;
        }
        string shape = blocks == KernelBlocks.Full ? $"[{(long)m1 * c:N0}, {(long)m2 * c:N0}]" : $"[{c}, {m1:N0}, {m2:N0}]";
        return new(_network, $"{structure} kernel {shape}", flops, result, workspace,
            structure == CovarianceStructure.Full ? "Use a diagonal, Kronecker or isotropic covariance, whose kernels need no explicit Jacobian." : "Use fewer inputs per call, or per-output blocks.");
    }
}
