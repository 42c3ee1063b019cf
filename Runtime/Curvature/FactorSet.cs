using System;
using System.Numerics;

namespace Dnn2Gp.Runtime.Curvature;

/// <summary>
/// The per-layer pieces of the Jacobians of M examples (c seeded output combinations each), kept in factored form so a
/// kernel J(X₁) Σ J(X₂)ᵀ never needs the M·c × P Jacobian: for a dense layer the bias-augmented input activations
/// ã = [a, 1] [M, AugmentedColumns] and the back-propagated factors [M, c, out]; for other layers the explicit rows of
/// the layer's own Jacobian [M, c, layer parameters]. Stored in double.
/// </summary>
public sealed class FactorSet
{
    private readonly double[]?[] _augmented;
    private readonly double[]?[] _factors;
    private readonly double[]?[] _rows;

    internal FactorSet(LayerTable layers, int rows, int seeds)
    {
        Layers = layers;
        Rows = rows;
        Seeds = seeds;
        _augmented = new double[layers.Count][];
        _factors = new double[layers.Count][];
        _rows = new double[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Kind == ParametrizedLayerKind.Dense)
            {
                _augmented[l] = new double[(long)rows * layer.AugmentedColumns];
                _factors[l] = new double[(long)rows * seeds * layer.OutputSize];
            }
            else
            {
                _rows[l] = new double[(long)rows * seeds * layer.ParameterCount];
            }
        }
    }

    /// <summary>The network's parametrised layers.</summary>
    public LayerTable Layers { get; }

    /// <summary>M, the number of examples.</summary>
    public int Rows { get; }

    /// <summary>c, the seeded output combinations per example.</summary>
    public int Seeds { get; }

    /// <summary>Bytes this set holds.</summary>
    public long Bytes
    {
        get
        {
            long total = 0;
            for (int l = 0; l < Layers.Count; l++) total += 8L * ((_augmented[l]?.Length ?? 0) + (_factors[l]?.Length ?? 0) + (_rows[l]?.Length ?? 0));
            return total;
        }
    }

    /// <summary>Dense layer <paramref name="layer"/>: ã [M, AugmentedColumns].</summary>
    public ReadOnlySpan<double> Augmented(int layer) => _augmented[layer] ?? throw NotDense(layer);

    /// <summary>Dense layer <paramref name="layer"/>: the factors [M, c, out].</summary>
    public ReadOnlySpan<double> Factors(int layer) => _factors[layer] ?? throw NotDense(layer);

    /// <summary>Non-dense layer <paramref name="layer"/>: its explicit Jacobian rows [M, c, layer parameters].</summary>
    public ReadOnlySpan<double> LayerRows(int layer) => _rows[layer] ?? throw new InvalidOperationException($"Layer {layer} is dense: it is stored factored (Augmented, Factors).");

    /// <summary>Writes the full explicit Jacobian rows [M·c, P] (the expensive form; small networks and tests only).</summary>
    public void ExplicitJacobian(Span<double> jacobian)
    {
        int p = Layers.ParameterCount;
        long needed = (long)Rows * Seeds * p;
        if (jacobian.Length < needed) throw new ArgumentException($"The Jacobian of {Rows} × {Seeds} rows and {p} parameters needs {needed:N0} values, but {jacobian.Length:N0} were given.", nameof(jacobian));
        for (int l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            if (layer.Kind == ParametrizedLayerKind.Dense)
            {
                ReadOnlySpan<double> a = _augmented[l], b = _factors[l];
                int cols = layer.AugmentedColumns, inW = layer.InputSize, outW = layer.OutputSize;
                for (int e = 0; e < Rows; e++)
                {
                    for (int r = 0; r < Seeds; r++)
                    {
                        Span<double> row = jacobian.Slice((e * Seeds + r) * p, p);
                        ReadOnlySpan<double> f = b.Slice((e * Seeds + r) * outW, outW);
                        for (int o = 0; o < outW; o++)
                        {
                            for (int i = 0; i < inW; i++) row[layer.WeightOffset + o * inW + i] = f[o] * a[e * cols + i];
                            if (layer.HasBias) row[layer.BiasOffset + o] = f[o];
                        }
                    }
                }
            }
            else
            {
                ReadOnlySpan<double> rows = _rows[l];
                int np = layer.ParameterCount;
                for (int q = 0; q < Rows * Seeds; q++) rows.Slice(q * np, np).CopyTo(jacobian.Slice(q * p + layer.WeightOffset, np));
            }
        }
    }

    internal void Store<T>(in LayerInfo layer, int start, ReadOnlySpan<T> input, ReadOnlySpan<T> factors, int n, int c, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c != Seeds) throw new InvalidOperationException($"The pass produced {c} seeds per example, but the set holds {Seeds}.");
        int l = layer.Index;
        if (layer.Kind == ParametrizedLayerKind.Dense)
        {
            int cols = layer.AugmentedColumns, inW = layer.InputSize, outW = layer.OutputSize;
            Span<double> a = _augmented[l].AsSpan(start * cols, n * cols);
            for (int e = 0; e < n; e++)
            {
                for (int i = 0; i < inW; i++) a[e * cols + i] = double.CreateTruncating(input[e * inW + i]);
                if (layer.HasBias) a[e * cols + inW] = 1.0;
            }
            Span<double> b = _factors[l].AsSpan(start * c * outW, n * c * outW);
            for (int i = 0; i < b.Length; i++) b[i] = double.CreateTruncating(factors[i]);
        }
        else
        {
            int np = layer.ParameterCount;
            Span<T> rows = scratch.Slice(0, n * c * np);
            // The layer's rows are written at column offset WeightOffset of a row of stride np: shift by −WeightOffset.
            var shifted = layer with { WeightOffset = 0, BiasOffset = layer.HasBias ? layer.WeightCount : -1 };
            LayerRules.JacobianRows(shifted, input, factors, n, c, rows, np);
            Span<double> dst = _rows[l].AsSpan(start * c * np, n * c * np);
            for (int i = 0; i < dst.Length; i++) dst[i] = double.CreateTruncating(rows[i]);
        }
    }

    internal double[] AugmentedArray(int layer) => _augmented[layer] ?? throw NotDense(layer);

    internal double[] FactorsArray(int layer) => _factors[layer] ?? throw NotDense(layer);

    private static InvalidOperationException NotDense(int layer) =>
        new($"Layer {layer} is not dense: it is stored as explicit rows (LayerRows).");
}
