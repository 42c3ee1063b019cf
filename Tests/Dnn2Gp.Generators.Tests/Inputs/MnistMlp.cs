using Dnn2Gp.Dsl;

namespace Dnn2Gp.Examples.Inputs;

/// <summary>The classic MNIST multilayer perceptron: 784-100-100-10 with ReLU, softmax cross-entropy, no prior.</summary>
[Network(784)]
[Dense(100, Activation.Relu)]
[Dense(100, Activation.Relu)]
[Dense(10)]
[CategoricalLikelihood]
public partial record MnistMlp;
