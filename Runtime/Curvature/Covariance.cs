using System;
using System.Collections.Generic;
using System.Linq;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>The structure of a parameter covariance Σ (a posterior or a prior) used by kernels J(x) Σ J(x′)ᵀ.</summary>
public enum CovarianceStructure
{
    /// <summary>Σ = v I.</summary>
    Isotropic,

    /// <summary>Σ = diag(v), one variance per parameter.</summary>
    Diagonal,

    /// <summary>Σ block-diagonal over layers, each block a Kronecker product (KFAC).</summary>
    Kronecker,

    /// <summary>Σ a dense P × P matrix (small networks only).</summary>
    Full,
}

/// <summary>A parameter covariance Σ with one of the structures of <see cref="CovarianceStructure"/>.</summary>
public abstract class Covariance
{
    private protected Covariance(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ParameterCount = parameterCount;
    }

    /// <summary>P.</summary>
    public int ParameterCount { get; }

    /// <summary>The structure.</summary>
    public abstract CovarianceStructure Structure { get; }

    /// <summary>y = Σ x for P-vectors (a reference for tests and small problems).</summary>
    public abstract void Multiply(ReadOnlySpan<double> x, Span<double> y);

    /// <summary>
    /// Applies the layer's diagonal block Σₗₗ to <paramref name="count"/> rows of the layer's own parameters
    /// (ParameterCount each, weight then bias): the kernel of explicitly stored layer rows (convolutions) under a
    /// block-diagonal Σ. The default embeds each row in a P-vector and calls <see cref="Multiply"/>.
    /// </summary>
    internal virtual void MultiplyLayer(in LayerInfo layer, ReadOnlySpan<double> rows, int count, Span<double> result)
    {
        int np = layer.ParameterCount;
        var full = new double[ParameterCount];
        var applied = new double[ParameterCount];
        for (int q = 0; q < count; q++)
        {
            Array.Clear(full);
            rows.Slice(q * np, np).CopyTo(full.AsSpan(layer.WeightOffset, np));
            Multiply(full, applied);
            applied.AsSpan(layer.WeightOffset, np).CopyTo(result.Slice(q * np, np));
        }
    }

    internal void CheckFor(LayerTable layers, string network)
    {
        if (ParameterCount != layers.ParameterCount)
            throw new ArgumentException($"{network}: the covariance is over {ParameterCount:N0} parameters, but the network has {layers.ParameterCount:N0}.", "covariance");
    }
}

/// <summary>Σ = <see cref="Variance"/> · I (e.g. the prior δ⁻¹ I, or DNN2GP's kernel δ⁻¹ J Jᵀ).</summary>
public sealed class IsotropicCovariance : Covariance
{
    public IsotropicCovariance(int parameterCount, double variance) : base(parameterCount)
    {
        if (!(variance > 0) || double.IsInfinity(variance))
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "An isotropic covariance needs a finite, positive variance (e.g. 1/δ for a prior precision δ).");
        Variance = variance;
    }

    public double Variance { get; }

    public override CovarianceStructure Structure => CovarianceStructure.Isotropic;

    public override void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < ParameterCount; i++) y[i] = Variance * x[i];
    }

    internal override void MultiplyLayer(in LayerInfo layer, ReadOnlySpan<double> rows, int count, Span<double> result) =>
        System.Numerics.Tensors.TensorPrimitives.Multiply(rows.Slice(0, count * layer.ParameterCount), Variance, result.Slice(0, count * layer.ParameterCount));
}

/// <summary>Σ = diag(<see cref="Variances"/>) (e.g. a diagonal Laplace posterior 1/(GGN diagonal + δ)).</summary>
public sealed class DiagonalCovariance : Covariance
{
    private readonly double[] _variances;

    public DiagonalCovariance(ReadOnlySpan<double> variances) : base(variances.Length)
    {
        for (int i = 0; i < variances.Length; i++)
        {
            if (!(variances[i] >= 0) || double.IsInfinity(variances[i]))
                throw new ArgumentException($"Variance {i} is {variances[i]}; a diagonal covariance needs finite, non-negative variances.", nameof(variances));
        }
        _variances = variances.ToArray();
    }

    public ReadOnlySpan<double> Variances => _variances;

    public override CovarianceStructure Structure => CovarianceStructure.Diagonal;

    public override void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < ParameterCount; i++) y[i] = _variances[i] * x[i];
    }

    internal override void MultiplyLayer(in LayerInfo layer, ReadOnlySpan<double> rows, int count, Span<double> result)
    {
        int np = layer.ParameterCount;
        ReadOnlySpan<double> variances = _variances.AsSpan(layer.WeightOffset, np);
        for (int q = 0; q < count; q++) System.Numerics.Tensors.TensorPrimitives.Multiply(rows.Slice(q * np, np), variances, result.Slice(q * np, np));
    }
}

/// <summary>
/// One layer's block of a Kronecker-factored covariance, over the layer's bias-augmented weight [W | b]
/// (rows = output units or channels, columns = inputs or patch elements, then the bias). Either a plain product
/// Σₗ = Left ⊗ Right, or an eigenbasis form Σₗ = (Qₗ ⊗ Qᵣ) diag(D) (Qₗ ⊗ Qᵣ)ᵀ — what a KFAC Laplace posterior
/// (Q_G Λ_G Q_Gᵀ ⊗ Q_A Λ_A Q_Aᵀ + δ I)⁻¹ is, with D = 1/(λ_G λ_Aᵀ + δ).
/// </summary>
public sealed class KroneckerBlock
{
    private KroneckerBlock(int rows, int columns, double[] left, double[] right, double[]? diagonal)
    {
        Rows = rows;
        Columns = columns;
        Left = left;
        Right = right;
        Diagonal = diagonal;
    }

    /// <summary>Rows of the augmented weight (the size of <see cref="Left"/>).</summary>
    public int Rows { get; }

    /// <summary>Columns of the augmented weight (the size of <see cref="Right"/>).</summary>
    public int Columns { get; }

    /// <summary>Rows × Rows: the left factor, or the left eigenbasis Qₗ (eigenvectors in columns).</summary>
    public double[] Left { get; }

    /// <summary>Columns × Columns: the right factor, or the right eigenbasis Qᵣ.</summary>
    public double[] Right { get; }

    /// <summary>Rows × Columns variances in the eigenbasis, or null for a plain product.</summary>
    public double[]? Diagonal { get; }

    /// <summary>Σₗ = left ⊗ right (row-major matrices; the index of W[o, i] is o · Columns + i).</summary>
    public static KroneckerBlock Product(int rows, int columns, ReadOnlySpan<double> left, ReadOnlySpan<double> right)
    {
        Check(left.Length, rows * rows, "left", rows);
        Check(right.Length, columns * columns, "right", columns);
        return new KroneckerBlock(rows, columns, left.ToArray(), right.ToArray(), null);
    }

    /// <summary>Σₗ = (Qₗ ⊗ Qᵣ) diag(D) (Qₗ ⊗ Qᵣ)ᵀ with orthonormal bases (eigenvectors in columns) and D [rows, columns].</summary>
    public static KroneckerBlock Eigenbasis(int rows, int columns, ReadOnlySpan<double> leftBasis, ReadOnlySpan<double> rightBasis, ReadOnlySpan<double> diagonal)
    {
        Check(leftBasis.Length, rows * rows, "leftBasis", rows);
        Check(rightBasis.Length, columns * columns, "rightBasis", columns);
        if (diagonal.Length != rows * columns)
            throw new ArgumentException($"The eigenbasis variances need {rows} × {columns} = {rows * columns} values, but {diagonal.Length} were given.", nameof(diagonal));
        return new KroneckerBlock(rows, columns, leftBasis.ToArray(), rightBasis.ToArray(), diagonal.ToArray());
    }

    private static void Check(int length, int needed, string name, int size)
    {
        if (length != needed) throw new ArgumentException($"'{name}' must be {size} × {size} = {needed} values, but has {length}.", name);
    }
}

/// <summary>Σ block-diagonal over the parametrised layers, each block a <see cref="KroneckerBlock"/> (KFAC).</summary>
public sealed class KroneckerCovariance : Covariance
{
    private readonly KroneckerBlock[] _blocks;
    private readonly LayerTable _layers;

    public KroneckerCovariance(LayerTable layers, IReadOnlyList<KroneckerBlock> blocks) : base(layers.ParameterCount)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count != layers.Count)
            throw new ArgumentException($"A Kronecker covariance needs one block per parametrised layer ({layers.Count}), but {blocks.Count} were given.", nameof(blocks));
        for (int l = 0; l < layers.Count; l++)
        {
            if (blocks[l].Rows != layers[l].WeightRows || blocks[l].Columns != layers[l].AugmentedColumns)
                throw new ArgumentException($"Block {l} is {blocks[l].Rows} × {blocks[l].Columns}, but {layers[l]} needs {layers[l].WeightRows} × {layers[l].AugmentedColumns} (rows × bias-augmented columns).", nameof(blocks));
        }
        _layers = layers;
        _blocks = blocks.ToArray();
    }

    public IReadOnlyList<KroneckerBlock> Blocks => _blocks;

    public override CovarianceStructure Structure => CovarianceStructure.Kronecker;

    public override void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            var block = _blocks[l];
            int rows = block.Rows, cols = block.Columns;
            var w = new double[rows * cols];
            Gather(layer, x, w);
            var result = new double[rows * cols];
            if (block.Diagonal is null)
            {
                // (L ⊗ R) vec(W) = vec(L W Rᵀ) for row-major vec.
                var t = MatMul(block.Left, rows, rows, w, cols, transposeB: false);
                result = MatMul(t, rows, cols, block.Right, cols, transposeB: true);
            }
            else
            {
                // Qₗ (D ⊙ (Qₗᵀ W Qᵣ)) Qᵣᵀ.
                var t = MatMul(Transpose(block.Left, rows), rows, rows, w, cols, transposeB: false);
                var rotated = MatMul(t, rows, cols, block.Right, cols, transposeB: false);
                for (int i = 0; i < rotated.Length; i++) rotated[i] *= block.Diagonal[i];
                var back = MatMul(block.Left, rows, rows, rotated, cols, transposeB: false);
                result = MatMul(back, rows, cols, block.Right, cols, transposeB: true);
            }
            Scatter(layer, result, y);
        }
    }

    internal override void MultiplyLayer(in LayerInfo layer, ReadOnlySpan<double> rows, int count, Span<double> result)
    {
        var block = _blocks[layer.Index];
        int r = block.Rows, cols = block.Columns, np = layer.ParameterCount;
        var local = layer with { WeightOffset = 0, BiasOffset = layer.HasBias ? layer.WeightCount : -1 };
        // Every row as its augmented matrix Wq [r, cols], stacked: M [count·r, cols].
        var stacked = new double[(long)count * r * cols];
        for (int q = 0; q < count; q++) Gather(local, rows.Slice(q * np, np), stacked.AsSpan(q * r * cols, r * cols));
        var right = new double[stacked.Length];
        var left = new double[r * cols];
        if (block.Diagonal is null)
        {
            // (L ⊗ R) vec(W) = vec(L W Rᵀ): M Rᵀ for all rows at once, then L times each block.
            Cpu.Gemm.Multiply(false, true, count * r, cols, cols, 1.0, stacked, cols, block.Right, cols, 0.0, right, cols);
            for (int q = 0; q < count; q++)
            {
                Cpu.Gemm.Multiply(false, false, r, cols, r, 1.0, block.Left, r, right.AsSpan(q * r * cols, r * cols), cols, 0.0, left, cols);
                Scatter(local, left, result.Slice(q * np, np));
            }
            return;
        }
        // Qₗ (D ⊙ (Qₗᵀ W Qᵣ)) Qᵣᵀ.
        Cpu.Gemm.Multiply(false, false, count * r, cols, cols, 1.0, stacked, cols, block.Right, cols, 0.0, right, cols);
        var rotated = new double[r * cols];
        for (int q = 0; q < count; q++)
        {
            Cpu.Gemm.Multiply(true, false, r, cols, r, 1.0, block.Left, r, right.AsSpan(q * r * cols, r * cols), cols, 0.0, rotated, cols);
            System.Numerics.Tensors.TensorPrimitives.Multiply(rotated, block.Diagonal, rotated);
            Cpu.Gemm.Multiply(false, false, r, cols, r, 1.0, block.Left, r, rotated, cols, 0.0, left, cols);
            left.AsSpan().CopyTo(stacked.AsSpan(q * r * cols, r * cols));
        }
        Cpu.Gemm.Multiply(false, true, count * r, cols, cols, 1.0, stacked, cols, block.Right, cols, 0.0, right, cols);
        for (int q = 0; q < count; q++) Scatter(local, right.AsSpan(q * r * cols, r * cols), result.Slice(q * np, np));
    }

    /// <summary>Copies a layer's parameters out of a P-vector as the augmented matrix [W | b] (rows × columns).</summary>
    internal static void Gather(in LayerInfo layer, ReadOnlySpan<double> x, Span<double> w)
    {
        int rows = layer.WeightRows, wc = layer.WeightColumns, cols = layer.AugmentedColumns;
        for (int o = 0; o < rows; o++)
        {
            x.Slice(layer.WeightOffset + o * wc, wc).CopyTo(w.Slice(o * cols, wc));
            if (layer.HasBias) w[o * cols + wc] = x[layer.BiasOffset + o];
        }
    }

    internal static void Scatter(in LayerInfo layer, ReadOnlySpan<double> w, Span<double> y)
    {
        int rows = layer.WeightRows, wc = layer.WeightColumns, cols = layer.AugmentedColumns;
        for (int o = 0; o < rows; o++)
        {
            w.Slice(o * cols, wc).CopyTo(y.Slice(layer.WeightOffset + o * wc, wc));
            if (layer.HasBias) y[layer.BiasOffset + o] = w[o * cols + wc];
        }
    }

    private static double[] Transpose(double[] a, int n)
    {
        var t = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        return t;
    }

    private static double[] MatMul(double[] a, int m, int k, double[] b, int n, bool transposeB)
    {
        var c = new double[m * n];
        Cpu.Gemm.Multiply(false, transposeB, m, n, k, 1.0, a, k, b, transposeB ? k : n, 0.0, c, n);
        return c;
    }
}

/// <summary>Σ a dense P × P matrix, row-major (small networks only: the plan refuses large ones).</summary>
public sealed class DenseCovariance : Covariance
{
    private readonly double[] _matrix;

    public DenseCovariance(int parameterCount, ReadOnlySpan<double> matrix) : base(parameterCount)
    {
        long needed = (long)parameterCount * parameterCount;
        if (matrix.Length != needed)
            throw new ArgumentException($"A dense covariance of {parameterCount} parameters needs {needed:N0} values ({parameterCount} × {parameterCount}), but {matrix.Length:N0} were given.", nameof(matrix));
        _matrix = matrix.ToArray();
    }

    public ReadOnlySpan<double> Matrix => _matrix;

    public override CovarianceStructure Structure => CovarianceStructure.Full;

    public override void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        Cpu.Gemm.Multiply(false, false, ParameterCount, 1, ParameterCount, 1.0, _matrix, ParameterCount, x, 1, 0.0, y, 1);
    }
}
