using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>A small double-precision network, for derivative checks.</summary>
[Network(3, Precision = ElementType.Double)]
[Dense(4, Activation.Gelu)]
[Dense(2)]
[GaussianLikelihood(0.5)]
[IsotropicGaussianPrior(0.01)]
public partial record DoubleNet;
