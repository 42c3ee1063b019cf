using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>A container type: networks may be nested in partial types.</summary>
public partial class NetworkZoo
{
    /// <summary>A network declared inside another type.</summary>
    [Network(4)]
    [Dense(3, Activation.Elu)]
    [Dense(3)]
    [CategoricalLikelihood]
    [IsotropicGaussianPrior(0.1)]
    public partial record NestedNetwork;
}
