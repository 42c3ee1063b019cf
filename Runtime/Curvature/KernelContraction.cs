using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using Dnn2Gp.Runtime.Cpu;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>Which blocks of J(X₁) Σ J(X₂)ᵀ a kernel call writes.</summary>
public enum KernelBlocks
{
    /// <summary>
    /// One M₁ × M₂ kernel per seeded output r (c kernels, [c, M₁, M₂]): Kᵣ[i, j] = Jᵣ(xᵢ) Σ Jᵣ(x′ⱼ)ᵀ, ignoring cross-output
    /// covariances (FROMP's independent per-class GPs; summed over r it is DNN2GP's 'diag' aggregation).
    /// </summary>
    PerOutput,

    /// <summary>The whole M₁c × M₂c matrix, row i·c + r, column j·c + s.</summary>
    Full,
}

/// <summary>
/// Contracts two <see cref="FactorSet"/>s through a covariance, layer by layer, using each layer's structure:
/// for a dense layer under Σ = L ⊗ R (isotropic: L = vI, R = I) the kernel factors as (ã₁ᵀ R ã₂)(b₁ᵀ L b₂); under a
/// diagonal Σ (or a Kronecker eigenbasis, after rotating ã and b into it) it is Σₒ b₁,ₒ (Σᵢ ã₁,ᵢ Sₒ,ᵢ ã₂,ᵢ) b₂,ₒ, which
/// costs O(P·M₁M₂) instead of the O(M₁M₂c²P) of explicit Jacobians.
/// </summary>
internal static class KernelContraction
{
    public static void Accumulate(FactorSet x1, FactorSet x2, Covariance covariance, KernelBlocks blocks, Span<double> result)
    {
        var layers = x1.Layers;
        if (covariance is DenseCovariance dense)
        {
            AccumulateDense(x1, x2, dense, blocks, result);
            return;
        }
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Kind != ParametrizedLayerKind.Dense)
            {
                AccumulateExplicitLayer(layer, x1, x2, covariance, blocks, result);
                continue;
            }
            switch (covariance)
            {
                case IsotropicCovariance iso:
                    Product(layer, x1.Augmented(l), x1.Factors(l), x2.Augmented(l), x2.Factors(l), x1.Rows, x2.Rows, x1.Seeds,
                        null, null, iso.Variance, blocks, result);
                    break;
                case KroneckerCovariance kron when kron.Blocks[l].Diagonal is null:
                    Product(layer, x1.Augmented(l), x1.Factors(l), x2.Augmented(l), x2.Factors(l), x1.Rows, x2.Rows, x1.Seeds,
                        kron.Blocks[l].Left, kron.Blocks[l].Right, 1.0, blocks, result);
                    break;
                case KroneckerCovariance kron:
                {
                    var block = kron.Blocks[l];
                    var a1 = Rotate(x1.Augmented(l), x1.Rows, block.Columns, block.Right);
                    var b1 = Rotate(x1.Factors(l), x1.Rows * x1.Seeds, block.Rows, block.Left);
                    var a2 = ReferenceEquals(x1, x2) ? a1 : Rotate(x2.Augmented(l), x2.Rows, block.Columns, block.Right);
                    var b2 = ReferenceEquals(x1, x2) ? b1 : Rotate(x2.Factors(l), x2.Rows * x2.Seeds, block.Rows, block.Left);
                    Diagonal(layer, a1, b1, a2, b2, x1.Rows, x2.Rows, x1.Seeds, block.Diagonal!, blocks, result);
                    break;
                }
                case DiagonalCovariance diag:
                {
                    var s = AugmentedVariances(layer, diag.Variances);
                    Diagonal(layer, x1.AugmentedArray(l), x1.FactorsArray(l), x2.AugmentedArray(l), x2.FactorsArray(l), x1.Rows, x2.Rows, x1.Seeds, s, blocks, result);
                    break;
                }
                default:
                    throw new NotSupportedException($"Kernels under a {covariance.Structure} covariance are not implemented.");
            }
        }
    }

    /// <summary>
    /// Σₗ = L ⊗ R (null: identity) times <paramref name="scale"/>: the Hadamard product of the input products ã₁ R ã₂ᵀ
    /// (M₁ × M₂) and the factor products b₁ L b₂ᵀ, accumulated into <paramref name="result"/>. Scratch matrices are
    /// pooled (a kernel of M = 1,000 would otherwise allocate and zero 16 MB per layer).
    /// </summary>
    private static void Product(in LayerInfo layer, ReadOnlySpan<double> a1, ReadOnlySpan<double> b1, ReadOnlySpan<double> a2, ReadOnlySpan<double> b2,
        int m1, int m2, int c, double[]? left, double[]? right, double scale, KernelBlocks blocks, Span<double> result)
    {
        int cols = layer.AugmentedColumns, outW = layer.OutputSize;
        var pool = System.Buffers.ArrayPool<double>.Shared;
        double[] inputsArray = pool.Rent(m1 * m2);
        double[]? t = null, leftB1 = null, products = null;
        try
        {
            Span<double> inputs = inputsArray.AsSpan(0, m1 * m2);
            if (right is null)
            {
                Gemm.MultiplyParallel(false, true, m1, m2, cols, scale, a1, cols, a2, cols, 0.0, inputs, m2);
            }
            else
            {
                t = pool.Rent(m1 * cols);
                Gemm.Multiply(false, false, m1, cols, cols, scale, a1, cols, right, cols, 0.0, t, cols);
                Gemm.MultiplyParallel(false, true, m1, m2, cols, 1.0, t, cols, a2, cols, 0.0, inputs, m2);
            }
            ReadOnlySpan<double> lb1 = b1;
            if (left is not null)
            {
                leftB1 = pool.Rent(m1 * c * outW);
                Gemm.Multiply(false, false, m1 * c, outW, outW, 1.0, b1, outW, left, outW, 0.0, leftB1, outW);
                lb1 = leftB1.AsSpan(0, m1 * c * outW);
            }
            if (blocks == KernelBlocks.PerOutput || c == 1)
            {
                // c = 1: the full kernel is the single per-output block.
                products = pool.Rent(m1 * m2);
                Span<double> factorProducts = products.AsSpan(0, m1 * m2);
                for (int r = 0; r < c; r++)
                {
                    Gemm.MultiplyParallel(false, true, m1, m2, outW, 1.0, lb1.Slice(r * outW), c * outW, b2.Slice(r * outW), c * outW, 0.0, factorProducts, m2);
                    Span<double> block = result.Slice(r * m1 * m2, m1 * m2);
                    TensorPrimitives.MultiplyAdd(factorProducts, inputs, block, block);
                }
                return;
            }
            int width = m2 * c;
            products = pool.Rent(m1 * c * width);
            Span<double> full = products.AsSpan(0, m1 * c * width);
            Gemm.MultiplyParallel(false, true, m1 * c, width, outW, 1.0, lb1, outW, b2, outW, 0.0, full, width);
            for (int i = 0; i < m1; i++)
            {
                ReadOnlySpan<double> weights = inputs.Slice(i * m2, m2);
                for (int r = 0; r < c; r++)
                {
                    Span<double> dst = result.Slice((i * c + r) * width, width);
                    ReadOnlySpan<double> src = full.Slice((i * c + r) * width, width);
                    for (int j = 0; j < m2; j++)
                    {
                        double w = weights[j];
                        for (int q = j * c; q < j * c + c; q++) dst[q] += w * src[q];
                    }
                }
            }
        }
        finally
        {
            pool.Return(inputsArray);
            if (t is not null) pool.Return(t);
            if (leftB1 is not null) pool.Return(leftB1);
            if (products is not null) pool.Return(products);
        }
    }

    /// <summary>
    /// Σₗ diagonal with variances s [out, cols] over the augmented weight (in the basis the factors are given in). Per
    /// row i of X₁: Tᵢ[o, j] = Σ_col s[o, col] ã₁[i, col] ã₂[j, col] (one GEMM), Xᵢ[o, (j, s)] = Tᵢ[o, j] · b₂[j, s, o],
    /// then the kernel rows of example i are b₁[i] (c × out) · Xᵢ (a second GEMM). Rows of X₁ are split across cores.
    /// </summary>
    private static unsafe void Diagonal(in LayerInfo layer, double[] a1, double[] b1, double[] a2, double[] b2,
        int m1, int m2, int c, double[] s, KernelBlocks blocks, Span<double> result)
    {
        int cols = layer.AugmentedColumns, outW = layer.OutputSize, width = m2 * c;
        // With X₁ = X₂ the kernel is symmetric: example i needs only the columns of examples j ≥ i, mirrored after.
        bool symmetric = ReferenceEquals(a1, a2) && ReferenceEquals(b1, b2);
        // b₂ transposed to [out, (j, s)] so that row o of Xᵢ is an element-wise product with a contiguous row.
        var b2t = new double[(long)outW * width];
        for (int q = 0; q < width; q++)
        {
            for (int o = 0; o < outW; o++) b2t[(long)o * width + q] = b2[(long)q * outW + o];
        }
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, m1));
        int resultLength = result.Length;
        fixed (double* resultPointer = result)
        {
            nint resultAddress = (nint)resultPointer;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var kernel = new Span<double>((double*)resultAddress, resultLength);
                var scaled = new double[outW * cols];
                var t = new double[outW * m2];
                var x = new double[(long)outW * width];
                // Rows are dealt round-robin so that the shrinking rows of the symmetric case balance across workers.
                for (int i = w; i < m1; i += workers)
                {
                    int j0 = symmetric ? i : 0, count = m2 - j0, span = count * c;
                    ReadOnlySpan<double> ai = a1.AsSpan(i * cols, cols);
                    for (int o = 0; o < outW; o++) TensorPrimitives.Multiply(s.AsSpan(o * cols, cols), ai, scaled.AsSpan(o * cols, cols));
                    Gemm.Multiply(false, true, outW, count, cols, 1.0, scaled, cols, a2.AsSpan(j0 * cols), cols, 0.0, t, count);
                    fixed (double* px = x, pt = t, pb = b2t)
                    {
                        for (int o = 0; o < outW; o++)
                        {
                            double* xo = px + (long)o * span, bo = pb + (long)o * width + j0 * c, to = pt + (long)o * count;
                            for (int j = 0; j < count; j++)
                            {
                                double tv = to[j];
                                double* xj = xo + j * c, bj = bo + j * c;
                                for (int q = 0; q < c; q++) xj[q] = tv * bj[q];
                            }
                        }
                    }
                    ReadOnlySpan<double> bi = b1.AsSpan(i * c * outW, c * outW);
                    if (blocks == KernelBlocks.Full)
                    {
                        Gemm.Multiply(false, false, c, span, outW, 1.0, bi, outW, x, span, 1.0, kernel.Slice(i * c * width + j0 * c), width);
                    }
                    else
                    {
                        for (int r = 0; r < c; r++)
                        {
                            Span<double> row = kernel.Slice((r * m1 + i) * m2 + j0, count);
                            for (int o = 0; o < outW; o++)
                            {
                                double bv = bi[r * outW + o];
                                if (bv == 0) continue;
                                ReadOnlySpan<double> xo = x.AsSpan(o * span, span);
                                for (int j = 0; j < count; j++) row[j] += bv * xo[j * c + r];
                            }
                        }
                    }
                }
            });
        }
        if (symmetric) MirrorLayerContribution(result, m1, c, blocks);
    }

    /// <summary>
    /// After a symmetric contraction that wrote only the blocks of example pairs j ≥ i, copies them to j &lt; i. The
    /// strictly lower blocks hold the sums of the earlier layers; they are replaced by the upper ones, which include them.
    /// </summary>
    private static void MirrorLayerContribution(Span<double> result, int m, int c, KernelBlocks blocks)
    {
        if (blocks == KernelBlocks.Full)
        {
            int width = m * c;
            for (int i = 0; i < m; i++)
                for (int j = i + 1; j < m; j++)
                    for (int r = 0; r < c; r++)
                        for (int q = 0; q < c; q++)
                            result[(j * c + q) * width + i * c + r] = result[(i * c + r) * width + j * c + q];
        }
        else
        {
            for (int r = 0; r < c; r++)
            {
                Span<double> block = result.Slice(r * m * m, m * m);
                for (int i = 0; i < m; i++)
                    for (int j = i + 1; j < m; j++) block[j * m + i] = block[i * m + j];
            }
        }
    }

    /// <summary>Non-dense layers: explicit layer rows, the layer's block Σₗₗ applied to X₂'s rows (block-diagonal Σ), then one GEMM.</summary>
    private static void AccumulateExplicitLayer(in LayerInfo layer, FactorSet x1, FactorSet x2, Covariance covariance, KernelBlocks blocks, Span<double> result)
    {
        int np = layer.ParameterCount, c = x1.Seeds, m1 = x1.Rows, m2 = x2.Rows;
        ReadOnlySpan<double> r1 = x1.LayerRows(layer.Index), r2 = x2.LayerRows(layer.Index);
        var y2 = new double[(long)m2 * c * np];
        covariance.MultiplyLayer(layer, r2, m2 * c, y2);
        if (blocks == KernelBlocks.PerOutput)
        {
            for (int r = 0; r < c; r++)
            {
                Gemm.Multiply(false, true, m1, m2, np, 1.0, r1.Slice(r * np), c * np, y2.AsSpan(r * np), c * np, 1.0, result.Slice(r * m1 * m2, m1 * m2), m2);
            }
        }
        else
        {
            Gemm.MultiplyParallel(false, true, m1 * c, m2 * c, np, 1.0, r1, np, y2, np, 1.0, result, m2 * c);
        }
    }

    private static void AccumulateDense(FactorSet x1, FactorSet x2, DenseCovariance covariance, KernelBlocks blocks, Span<double> result)
    {
        int p = covariance.ParameterCount, c = x1.Seeds, m1 = x1.Rows, m2 = x2.Rows;
        var j1 = new double[(long)m1 * c * p];
        var j2 = ReferenceEquals(x1, x2) ? j1 : new double[(long)m2 * c * p];
        x1.ExplicitJacobian(j1);
        if (!ReferenceEquals(x1, x2)) x2.ExplicitJacobian(j2);
        var t = new double[(long)m1 * c * p];
        Gemm.MultiplyParallel(false, false, m1 * c, p, p, 1.0, j1, p, covariance.Matrix, p, 0.0, t, p);
        if (blocks == KernelBlocks.PerOutput)
        {
            for (int r = 0; r < c; r++)
            {
                Gemm.Multiply(false, true, m1, m2, p, 1.0, t.AsSpan(r * p), c * p, j2.AsSpan(r * p), c * p, 1.0, result.Slice(r * m1 * m2, m1 * m2), m2);
            }
        }
        else
        {
            Gemm.MultiplyParallel(false, true, m1 * c, m2 * c, p, 1.0, t, p, j2, p, 1.0, result, m2 * c);
        }
    }

    /// <summary>rows × n matrix times the n × n basis Q: the coordinates of each row in Q's eigenbasis (xᵀ Q).</summary>
    private static double[] Rotate(ReadOnlySpan<double> x, int rows, int n, double[] basis)
    {
        var rotated = new double[(long)rows * n];
        Gemm.MultiplyParallel(false, false, rows, n, n, 1.0, x, n, basis, n, 0.0, rotated, n);
        return rotated;
    }

    /// <summary>A dense layer's variances as the augmented [out, cols] matrix (weights, then the bias in the last column).</summary>
    private static double[] AugmentedVariances(in LayerInfo layer, ReadOnlySpan<double> variances)
    {
        var s = new double[layer.WeightRows * layer.AugmentedColumns];
        KroneckerCovariance.Gather(layer, variances, s);
        return s;
    }
}
