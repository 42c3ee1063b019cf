using System;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The KFAC Laplace posterior: per layer the precision block s·(G ⊗ A)/N + δₗ I over the bias-augmented weight [W | b],
/// kept as the eigendecompositions A = Q_A diag(λ_A) Q_Aᵀ and G = Q_G diag(λ_G) Q_Gᵀ (laplace-torch's approach), so its
/// eigenvalues are s·λ_G,i λ_A,j / N + δₗ and every product, solve, sample and log-determinant costs O(rows·cols·(rows + cols))
/// per layer, and the evidence for another prior or noise O(P). The prior must be constant within each layer.
/// </summary>
public sealed class KfacLaplace<TNet, T> : LaplacePosterior<TNet, T>
    where TNet : INetwork<TNet, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly KfacEigen _eigen;
    private readonly double[][] _eigenvalues;
    private KroneckerCovariance? _covariance;

    internal KfacLaplace(T[] mean, LikelihoodTerms terms, KfacEigen eigen, PriorPrecision prior, double? sigma)
        : base(mean, terms, prior, sigma)
    {
        _eigen = eigen;
        var layers = TNet.Layers;
        _eigenvalues = new double[layers.Count][];
        for (int l = 0; l < layers.Count; l++) _eigenvalues[l] = BlockEigenvalues(l, prior.LayerPrecision(layers, l), GgnScale);
    }

    public override LaplaceStructure Structure => LaplaceStructure.Kfac;

    /// <summary>The KFAC factors A and G of every layer (at the declared likelihood).</summary>
    public KfacFactors Factors => _eigen.Factors;

    public override double LogDeterminant
    {
        get
        {
            double sum = 0;
            foreach (var values in _eigenvalues)
            {
                foreach (double e in values) sum += Math.Log(e);
            }
            return sum;
        }
    }

    /// <summary>Σ per layer in the Kronecker eigenbasis, (Q_G ⊗ Q_A) diag(1/(s·λ_G λ_Aᵀ/N + δₗ)) (Q_G ⊗ Q_A)ᵀ.</summary>
    public override Covariance Covariance
    {
        get
        {
            if (_covariance is not null) return _covariance;
            var layers = TNet.Layers;
            var blocks = new KroneckerBlock[layers.Count];
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                blocks[l] = KroneckerBlock.Eigenbasis(layer.WeightRows, layer.AugmentedColumns, _eigen.LeftBasis(l), _eigen.RightBasis(l), Reciprocal(_eigenvalues[l]));
            }
            return _covariance = new KroneckerCovariance(layers, blocks);
        }
    }

    private protected override void CheckPriorForStructure(PriorPrecision prior) => CheckPrior(prior);

    /// <summary>KFAC needs one precision per layer: a diagonal prior must be constant within every layer.</summary>
    internal static void CheckPrior(PriorPrecision prior)
    {
        var layers = TNet.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            try
            {
                prior.LayerPrecision(layers, l);
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException($"{TNet.Name}: a KFAC posterior adds one precision per layer to (G ⊗ A)/N; {e.Message} Use an isotropic or layer-wise prior.", nameof(prior), e);
            }
        }
    }

    private protected override double LogDetAndTraces(PriorPrecision prior, double[]? priorValues, double scale, Span<double> traces)
    {
        var layers = TNet.Layers;
        double logDet = 0, n = _eigen.Factors.Examples;
        traces.Clear();
        for (int l = 0; l < layers.Count; l++)
        {
            double delta = priorValues is null ? prior.LayerPrecision(layers, l) : priorValues[layers[l].WeightOffset];
            ReadOnlySpan<double> g = _eigen.LeftValues(l), a = _eigen.RightValues(l);
            var row = new double[a.Length];
            double trace = 0;
            for (int i = 0; i < g.Length; i++)
            {
                // Row i of the block's eigenvalues, s·λ_G,i λ_A / N + δ, vectorised.
                TensorPrimitives.Multiply(a, scale * g[i] / n, row);
                TensorPrimitives.Add(row, delta, row);
                if (!traces.IsEmpty)
                {
                    foreach (double e in row) trace += 1 / e;
                }
                TensorPrimitives.Log(row, row);
                logDet += TensorPrimitives.Sum<double>(row);
            }
            if (traces.Length == 1) traces[0] += trace;
            else if (!traces.IsEmpty) traces[l] = trace;
        }
        return logDet;
    }

    private protected override void PrecisionProduct(ReadOnlySpan<double> vector, Span<double> result) => Apply(vector, result, _eigenvalues, power: 1);

    private protected override void CovarianceProduct(ReadOnlySpan<double> vector, Span<double> result) => Apply(vector, result, _eigenvalues, power: -1);

    private protected override void Deviation(ReadOnlySpan<double> z, Span<double> deviation) => Apply(z, deviation, _eigenvalues, power: -0.5);

    private protected override void AccumulateFunctionalCovariance(ReadOnlySpan<T> inputs, int m, Span<double> covariances)
    {
        var layers = TNet.Layers;
        var variances = new LayerVariances?[layers.Count];
        for (int l = 0; l < layers.Count; l++) variances[l] = LayerVariances.Eigenbasis(_eigen.LeftBasis(l), _eigen.RightBasis(l), Reciprocal(_eigenvalues[l]));
        RunFunctionalCovariance(inputs, m, variances, covariances);
    }

    private protected override LaplacePosterior<TNet, T> Rebuild(PriorPrecision prior, double? sigma) =>
        new KfacLaplace<TNet, T>(MeanStorage, Terms, _eigen, prior, sigma);

    /// <summary>s·λ_G λ_Aᵀ / N + δ of layer l, [rows, cols].</summary>
    private double[] BlockEigenvalues(int l, double delta, double scale)
    {
        ReadOnlySpan<double> g = _eigen.LeftValues(l), a = _eigen.RightValues(l);
        double n = _eigen.Factors.Examples;
        var e = new double[g.Length * a.Length];
        for (int i = 0; i < g.Length; i++)
        {
            for (int j = 0; j < a.Length; j++) e[i * a.Length + j] = scale * g[i] * a[j] / n + delta;
        }
        return e;
    }

    /// <summary>Per layer: W ↦ Q_G (E^power ⊙ (Q_Gᵀ W Q_A)) Q_Aᵀ on the augmented weight.</summary>
    private void Apply(ReadOnlySpan<double> x, Span<double> y, double[][] eigenvalues, double power)
    {
        var layers = TNet.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int rows = layer.WeightRows, cols = layer.AugmentedColumns;
            var w = new double[rows * cols];
            var t = new double[rows * cols];
            KroneckerCovariance.Gather(layer, x, w);
            ReadOnlySpan<double> qg = _eigen.LeftBasis(l), qa = _eigen.RightBasis(l);
            Gemm.Multiply(true, false, rows, cols, rows, 1.0, qg, rows, w, cols, 0.0, t, cols);
            Gemm.Multiply(false, false, rows, cols, cols, 1.0, t, cols, qa, cols, 0.0, w, cols);
            double[] e = eigenvalues[l];
            for (int i = 0; i < w.Length; i++) w[i] *= power == 1 ? e[i] : power == -1 ? 1 / e[i] : Math.Pow(e[i], power);
            Gemm.Multiply(false, false, rows, cols, rows, 1.0, qg, rows, w, cols, 0.0, t, cols);
            Gemm.Multiply(false, true, rows, cols, cols, 1.0, t, cols, qa, cols, 0.0, w, cols);
            KroneckerCovariance.Scatter(layer, w, y);
        }
    }

    private static double[] Reciprocal(double[] values)
    {
        var r = new double[values.Length];
        for (int i = 0; i < values.Length; i++) r[i] = 1 / values[i];
        return r;
    }
}

/// <summary>The eigendecompositions of the KFAC factors of every layer, negative rounding errors set to zero.</summary>
internal sealed class KfacEigen
{
    private readonly double[][] _leftBasis, _leftValues, _rightBasis, _rightValues;

    public KfacEigen(KfacFactors factors, string network, double elementEpsilon)
    {
        Factors = factors;
        int count = factors.Layers.Count;
        _leftBasis = new double[count][];
        _leftValues = new double[count][];
        _rightBasis = new double[count][];
        _rightValues = new double[count][];
        for (int l = 0; l < count; l++)
        {
            var layer = factors.Layers[l];
            (_leftValues[l], _leftBasis[l]) = Decompose(factors.G(l), layer.WeightRows, $"{network}: KFAC factor G of {layer}", elementEpsilon);
            (_rightValues[l], _rightBasis[l]) = Decompose(factors.A(l), layer.AugmentedColumns, $"{network}: KFAC factor A of {layer}", elementEpsilon);
        }
    }

    public KfacFactors Factors { get; }

    public double[] LeftBasis(int layer) => _leftBasis[layer];

    public ReadOnlySpan<double> LeftValues(int layer) => _leftValues[layer];

    public double[] RightBasis(int layer) => _rightBasis[layer];

    public ReadOnlySpan<double> RightValues(int layer) => _rightValues[layer];

    /// <summary>
    /// Eigenvalues (ascending) and eigenvectors of a Gram matrix Σ x xᵀ, which is PSD by construction: eigenvalues in
    /// [−64·n·ε·λ_max, 0) (ε of the network's element type, in which the chunks of the factor were summed) are rounding
    /// errors and become 0; anything more negative means the factor is wrong and throws.
    /// </summary>
    private static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int n, string name, double epsilon)
    {
        var values = new double[n];
        var vectors = new double[(long)n * n];
        SymmetricEigen.Decompose(matrix, n, values, vectors, name);
        double largest = Math.Max(Math.Abs(values[0]), Math.Abs(values[n - 1]));
        double tolerance = 64 * n * epsilon * largest;
        for (int i = 0; i < n; i++)
        {
            if (values[i] >= 0) continue;
            if (values[i] < -tolerance)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The {name} ({n}×{n}) has eigenvalue {values[i]:G6}, below −{tolerance:G3}: a Gram matrix cannot, so the factor is corrupt."));
            values[i] = 0;
        }
        return (values, vectors);
    }
}
