using System;
using System.Globalization;
using System.Linq;
using Dnn2Gp.Runtime.Curvature;

namespace Dnn2Gp.Runtime.Laplace;

/// <summary>How the precisions of a Gaussian prior N(0, P₀⁻¹) with diagonal P₀ are shared among the parameters.</summary>
public enum PriorStructure
{
    /// <summary>One precision δ for every parameter: P₀ = δ I.</summary>
    Isotropic,

    /// <summary>One precision δₗ per parametrised layer (its weight and its bias), in layer order.</summary>
    Layerwise,

    /// <summary>One precision per parameter.</summary>
    Diagonal,
}

/// <summary>
/// The precision P₀ of a zero-mean Gaussian prior over the parameters, diagonal with the sharing of
/// <see cref="PriorStructure"/>: what a Laplace posterior adds to the GGN and what the marginal likelihood tunes.
/// Made from the prior a network was declared with (<see cref="FromDeclared"/>) or given explicitly.
/// </summary>
public sealed class PriorPrecision : IEquatable<PriorPrecision>
{
    private readonly double[] _values;

    private PriorPrecision(PriorStructure structure, double[] values)
    {
        Structure = structure;
        _values = values;
    }

    /// <summary>How the precisions are shared.</summary>
    public PriorStructure Structure { get; }

    /// <summary>The precisions: one (isotropic), one per parametrised layer (layerwise) or one per parameter (diagonal).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>δ of an isotropic prior.</summary>
    /// <exception cref="InvalidOperationException">The prior is not isotropic.</exception>
    public double Delta => Structure == PriorStructure.Isotropic
        ? _values[0]
        : throw new InvalidOperationException($"The prior is {Structure}, not isotropic: read its {_values.Length} precisions from Values.");

    /// <summary>P₀ = δ I.</summary>
    /// <exception cref="ArgumentOutOfRangeException">δ is not positive and finite.</exception>
    public static PriorPrecision Isotropic(double delta)
    {
        Check(delta, "delta", "The prior precision δ");
        return new PriorPrecision(PriorStructure.Isotropic, [delta]);
    }

    /// <summary>P₀ = blockdiag(δₗ I) with one precision per parametrised layer, in layer order.</summary>
    /// <exception cref="ArgumentException">No precisions, or one that is not positive and finite.</exception>
    public static PriorPrecision Layerwise(params double[] deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (deltas.Length == 0) throw new ArgumentException("A layer-wise prior needs one precision per parametrised layer; none were given.", nameof(deltas));
        for (int l = 0; l < deltas.Length; l++) Check(deltas[l], nameof(deltas), $"The prior precision of layer {l}");
        return new PriorPrecision(PriorStructure.Layerwise, (double[])deltas.Clone());
    }

    /// <summary>P₀ = diag(<paramref name="precisions"/>), one per parameter.</summary>
    /// <exception cref="ArgumentException">No precisions, or one that is not positive and finite.</exception>
    public static PriorPrecision Diagonal(ReadOnlySpan<double> precisions)
    {
        if (precisions.Length == 0) throw new ArgumentException("A diagonal prior needs one precision per parameter; none were given.", nameof(precisions));
        for (int i = 0; i < precisions.Length; i++) Check(precisions[i], nameof(precisions), $"The prior precision of parameter {i}");
        return new PriorPrecision(PriorStructure.Diagonal, precisions.ToArray());
    }

    /// <summary>
    /// The prior a network was declared with (<c>[IsotropicGaussianPrior]</c> or <c>[LayerwiseGaussianPrior]</c>; a network
    /// declared without one has δ = 0, which a Laplace posterior cannot use: pass a prior instead).
    /// </summary>
    /// <exception cref="ArgumentException">The declared precision is zero (no prior declared) or of an unknown kind.</exception>
    public static PriorPrecision FromDeclared(Prior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        switch (prior)
        {
            case IsotropicGaussianPrior iso when iso.Precision > 0:
                return Isotropic(iso.Precision);
            case IsotropicGaussianPrior:
                throw new ArgumentException(
                    "The network declares no prior (precision 0), so its Laplace posterior would be improper. Declare [IsotropicGaussianPrior(δ)] " +
                    "or pass a PriorPrecision, e.g. PriorPrecision.Isotropic(1.0).", nameof(prior));
            case LayerwiseGaussianPrior layerwise:
                return Layerwise(layerwise.Precisions.ToArray());
            default:
                throw new ArgumentException($"Unknown prior {prior}.", nameof(prior));
        }
    }

    /// <summary>The precision of every parameter of a network with these <paramref name="layers"/>, written to <paramref name="destination"/> [P].</summary>
    /// <exception cref="ArgumentException">A layer-wise prior with a different number of layers, a diagonal one of a different length, or a short destination.</exception>
    public void Expand(LayerTable layers, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(layers);
        CheckFor(layers);
        if (destination.Length < layers.ParameterCount)
            throw new ArgumentException($"'destination' has {destination.Length:N0} elements, but the network has {layers.ParameterCount:N0} parameters.", nameof(destination));
        switch (Structure)
        {
            case PriorStructure.Isotropic:
                destination.Slice(0, layers.ParameterCount).Fill(_values[0]);
                break;
            case PriorStructure.Layerwise:
                for (int l = 0; l < layers.Count; l++) destination.Slice(layers[l].WeightOffset, layers[l].ParameterCount).Fill(_values[l]);
                break;
            default:
                _values.CopyTo(destination);
                break;
        }
    }

    /// <summary>The per-parameter precisions as a new array [P].</summary>
    public double[] Expand(LayerTable layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var values = new double[layers.ParameterCount];
        Expand(layers, values);
        return values;
    }

    /// <summary>The precision shared by every parameter of layer <paramref name="layer"/>.</summary>
    /// <exception cref="InvalidOperationException">The prior is diagonal and differs within the layer.</exception>
    public double LayerPrecision(LayerTable layers, int layer)
    {
        ArgumentNullException.ThrowIfNull(layers);
        CheckFor(layers);
        var info = layers[layer];
        switch (Structure)
        {
            case PriorStructure.Isotropic: return _values[0];
            case PriorStructure.Layerwise: return _values[layer];
            default:
                double first = _values[info.WeightOffset];
                for (int i = info.WeightOffset; i < info.WeightOffset + info.ParameterCount; i++)
                {
                    if (_values[i] != first)
                        throw new InvalidOperationException($"The diagonal prior is not constant over {info} (parameter {i} has {_values[i]}, parameter {info.WeightOffset} has {first}); this posterior needs one precision per layer.");
                }
                return first;
        }
    }

    /// <summary>Checks that the prior fits a network with these layers.</summary>
    /// <exception cref="ArgumentException">A layer-wise prior with a different number of layers or a diagonal one of a different length.</exception>
    public void CheckFor(LayerTable layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (Structure == PriorStructure.Layerwise && _values.Length != layers.Count)
            throw new ArgumentException($"The layer-wise prior has {_values.Length} precisions, but the network has {layers.Count} parametrised layers: give one per layer.", "prior");
        if (Structure == PriorStructure.Diagonal && _values.Length != layers.ParameterCount)
            throw new ArgumentException($"The diagonal prior has {_values.Length:N0} precisions, but the network has {layers.ParameterCount:N0} parameters: give one per parameter.", "prior");
    }

    public bool Equals(PriorPrecision? other) => other is not null && Structure == other.Structure && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as PriorPrecision);

    public override int GetHashCode() => _values.Aggregate((int)Structure * 397, (h, v) => h * 31 + v.GetHashCode());

    public override string ToString() => Structure switch
    {
        PriorStructure.Isotropic => string.Create(CultureInfo.InvariantCulture, $"isotropic δ = {_values[0]:G6}"),
        PriorStructure.Layerwise => "layer-wise δ = [" + string.Join(", ", _values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]",
        _ => string.Create(CultureInfo.InvariantCulture, $"diagonal ({_values.Length:N0} precisions, {_values.Min():G4} … {_values.Max():G4})"),
    };

    private static void Check(double value, string name, string what)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{what} must be positive and finite, but is {value.ToString("R", CultureInfo.InvariantCulture)}.");
    }
}
