using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>A zero input size (DNN2GP002), a zero width (DNN2GP101) and a Bernoulli likelihood on 3 outputs (DNN2GP102).</summary>
[Network(0)]
[Dense(0, Activation.Tanh)]
[Dense(3)]
[BernoulliLikelihood]
public partial record BadShapesNetwork;
