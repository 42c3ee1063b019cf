using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>A sigmoid before the Bernoulli likelihood squashes the output twice (warning DNN2GP202); code is still generated.</summary>
[Network(2)]
[Dense(4, Activation.Relu)]
[Dense(1, Activation.Sigmoid)]
[BernoulliLikelihood]
public partial record OutputActivationNetwork;
