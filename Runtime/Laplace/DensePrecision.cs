using System;
using System.Globalization;
using System.Numerics.Tensors;
using System.Threading;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.LinearAlgebra;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>
/// The dense posterior precision H = s·GGN + diag(p) of a full or last-layer posterior over d parameters starting at
/// network parameter <c>offset</c>, factored by Cholesky (with the jitter ladder; its use is reported in
/// <see cref="Report"/>), and what it gives: products, solves, log-determinant, samples and, from the shared
/// <see cref="DenseCurvature"/>, the evidence terms for other hyperparameters.
/// </summary>
internal sealed class DensePrecision
{
    private readonly DenseCurvature _curvature;
    private readonly double[] _prior;
    private readonly double _scale;
    private readonly CholeskyFactor _factor;
    private readonly JitterPolicy _jitter;
    private readonly LayerTable _layers;
    private readonly int _offset;
    private double[]? _inverse;

    public DensePrecision(DenseCurvature curvature, LayerTable layers, int offset, double[] priorValues, double scale, JitterPolicy jitter, string name)
    {
        _curvature = curvature;
        _layers = layers;
        _offset = offset;
        int d = curvature.Dimension;
        _prior = priorValues.AsSpan(offset, d).ToArray();
        _scale = scale;
        _jitter = jitter;
        Name = name;
        _factor = Cholesky.Factor(Assemble(_prior, scale), d, jitter, name);
    }

    /// <summary>The matrix's name in messages, e.g. "posterior precision (81×81)".</summary>
    public string Name { get; }

    public int Dimension => _curvature.Dimension;

    public DenseCurvature Curvature => _curvature;

    /// <summary>The Cholesky factor of H (+ jitter).</summary>
    public CholeskyFactor Factor => _factor;

    /// <summary>What the factorisation needed (jitter, attempts, smallest pivot).</summary>
    public CholeskyReport Report => _factor.Report;

    public double LogDeterminant => _factor.LogDeterminant();

    /// <summary>H⁻¹, formed on first use (d × d).</summary>
    public double[] Inverse => LazyInitializer.EnsureInitialized(ref _inverse, () =>
    {
        var inverse = new double[(long)Dimension * Dimension];
        _factor.Inverse(inverse);
        return inverse;
    });

    /// <summary>result = H v.</summary>
    public void Multiply(ReadOnlySpan<double> v, Span<double> result)
    {
        int d = Dimension;
        Cpu.Gemm.Multiply(false, false, d, 1, d, _scale, _curvature.Ggn, d, v, 1, 0.0, result, 1);
        for (int i = 0; i < d; i++) result[i] += _prior[i] * v[i];
    }

    /// <summary>result = H⁻¹ v.</summary>
    public void Solve(ReadOnlySpan<double> v, Span<double> result) => _factor.Solve(v, result);

    /// <summary>L⁻ᵀ z: a draw of N(0, H⁻¹) from a standard normal z (H = L Lᵀ).</summary>
    public void Deviation(ReadOnlySpan<double> z, Span<double> deviation)
    {
        z.CopyTo(deviation);
        Triangular.SolveLowerTransposed(_factor.Lower, Dimension, deviation);
    }

    /// <summary>
    /// log det(s·GGN + P₀) for <paramref name="prior"/> (<paramref name="priorValues"/> [P] per network parameter when it is
    /// diagonal, else null); with <paramref name="traces"/> (1 entry: the total; one per layer: per layer) also the sums of
    /// diag (s·GGN + P₀)⁻¹. A prior constant over the covered parameters uses the cached eigendecomposition (O(d), or
    /// O(d²) for per-layer traces of several layers); any other prior is factored afresh.
    /// </summary>
    public double LogDetAndTraces(PriorPrecision prior, double[]? priorValues, double scale, Span<double> traces)
    {
        int d = Dimension;
        int firstLayer = FirstLayer(), lastLayer = LastLayer();
        double delta = double.NaN;
        if (prior.Structure == PriorStructure.Isotropic) delta = prior.Delta;
        else if (prior.Structure == PriorStructure.Layerwise)
        {
            delta = prior.Values[firstLayer];
            for (int l = firstLayer + 1; l <= lastLayer; l++)
            {
                if (prior.Values[l] != delta) delta = double.NaN;
            }
        }
        else
        {
            ReadOnlySpan<double> values = priorValues.AsSpan(_offset, d);
            delta = values[0];
            for (int i = 1; i < d; i++)
            {
                if (values[i] != delta) delta = double.NaN;
            }
        }
        traces.Clear();
        if (!double.IsNaN(delta))
        {
            var eigen = _curvature.Eigen;
            ReadOnlySpan<double> lambda = eigen.Eigenvalues;
            var e = new double[d];
            TensorPrimitives.Multiply(lambda, scale, e);
            TensorPrimitives.Add(e, delta, e);
            if (!(TensorPrimitives.Min<double>(e) > 0))
                throw new ArgumentOutOfRangeException(nameof(prior), string.Create(CultureInfo.InvariantCulture,
                    $"The {Name} is not positive definite for δ = {delta}, scale {scale}: the smallest eigenvalue of the GGN is {lambda[0]:G6}. Raise δ."));
            if (!traces.IsEmpty)
            {
                var inverse = new double[d];
                for (int j = 0; j < d; j++) inverse[j] = 1 / e[j];
                double total = TensorPrimitives.Sum<double>(inverse);
                if (traces.Length == 1) traces[0] = total;
                else if (firstLayer == lastLayer) traces[firstLayer] = total;
                else
                {
                    // (H⁻¹)ᵢᵢ = Σⱼ Qᵢⱼ² / eⱼ, row by row of Q.
                    ReadOnlySpan<double> q = eigen.Eigenvectors;
                    var squares = new double[d];
                    for (int i = 0; i < d; i++)
                    {
                        ReadOnlySpan<double> row = q.Slice(i * d, d);
                        TensorPrimitives.Multiply(row, row, squares);
                        traces[_layers.LayerOf(_offset + i).Index] += TensorPrimitives.Dot(squares, inverse);
                    }
                }
            }
            TensorPrimitives.Log(e, e);
            return TensorPrimitives.Sum<double>(e);
        }
        var p = new double[d];
        for (int i = 0; i < d; i++)
        {
            var layer = _layers.LayerOf(_offset + i);
            p[i] = priorValues is not null ? priorValues[_offset + i] : prior.Values[layer.Index];
        }
        var factor = Cholesky.Factor(Assemble(p, scale), d, _jitter, Name);
        if (!traces.IsEmpty)
        {
            var diagonal = new double[d];
            factor.InverseDiagonal(diagonal);
            for (int i = 0; i < d; i++)
            {
                if (traces.Length == 1) traces[0] += diagonal[i];
                else traces[_layers.LayerOf(_offset + i).Index] += diagonal[i];
            }
        }
        return factor.LogDeterminant();
    }

    private double[] Assemble(double[] prior, double scale)
    {
        int d = Dimension;
        var h = new double[(long)d * d];
        double[] g = _curvature.Ggn;
        for (int i = 0; i < h.Length; i++) h[i] = scale * g[i];
        for (int i = 0; i < d; i++) h[(long)i * d + i] += prior[i];
        return h;
    }

    private int FirstLayer() => _layers.LayerOf(_offset).Index;

    private int LastLayer() => _layers.LayerOf(_offset + Dimension - 1).Index;
}
