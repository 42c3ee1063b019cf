using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>Not partial: the generator cannot add members (DNN2GP001).</summary>
[Network(2)]
[Dense(1)]
[GaussianLikelihood(1.0)]
public record NotPartialNetwork;
