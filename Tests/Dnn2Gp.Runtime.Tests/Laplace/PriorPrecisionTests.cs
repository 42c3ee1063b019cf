using System;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Laplace;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Laplace;

public class PriorPrecisionTests
{
    private static readonly LayerTable Layers = new(LayerInfo.Dense(0, 0, 3, 2, 0, true), LayerInfo.Dense(1, 2, 2, 1, 8, false));

    [Fact]
    public void Expands_each_structure_per_parameter()
    {
        Assert.Equal(10, Layers.ParameterCount);
        Assert.All(PriorPrecision.Isotropic(2.5).Expand(Layers), v => Assert.Equal(2.5, v));
        var layerwise = PriorPrecision.Layerwise(1, 4).Expand(Layers);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 4, 4], layerwise);
        Assert.Equal(4, PriorPrecision.Layerwise(1, 4).LayerPrecision(Layers, 1));
        var diagonal = PriorPrecision.Diagonal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        Assert.Equal(9, diagonal.Expand(Layers)[8]);
        Assert.Throws<InvalidOperationException>(() => diagonal.LayerPrecision(Layers, 0));
        Assert.Equal(PriorPrecision.FromDeclared(new LayerwiseGaussianPrior(1, 4)), PriorPrecision.Layerwise(1, 4));
        Assert.Equal(PriorPrecision.Isotropic(3), PriorPrecision.FromDeclared(new IsotropicGaussianPrior(3)));
    }

    [Fact]
    public void Refuses_what_does_not_fit()
    {
        Assert.Throws<ArgumentException>(() => PriorPrecision.Layerwise(1, 2, 3).Expand(Layers));
        Assert.Throws<ArgumentException>(() => PriorPrecision.Diagonal([1, 2]).Expand(Layers));
        Assert.Throws<ArgumentOutOfRangeException>(() => PriorPrecision.Layerwise(1, -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PriorPrecision.Isotropic(0));
        var e = Assert.Throws<ArgumentException>(() => PriorPrecision.FromDeclared(new IsotropicGaussianPrior(0)));
        Assert.Contains("PriorPrecision.Isotropic", e.Message);
        Assert.Throws<InvalidOperationException>(() => PriorPrecision.Layerwise(1, 2).Delta);
    }
}
