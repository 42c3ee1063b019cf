// Small double-precision networks, one per likelihood x activation, for finite-difference checks.
// Each has two hidden layers so every activation is differentiated through a GEMM on both sides.
using Dnn2Gp.Dsl;

namespace Dnn2Gp.Integration.Tests.Networks;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.Identity)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianIdentity;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Relu)]
[Dense(4, Activation.Relu)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianRelu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianTanh;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianSigmoid;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianSoftplus;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Elu)]
[Dense(4, Activation.Elu)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianElu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Gelu)]
[Dense(4, Activation.Gelu)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianGelu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Erf)]
[Dense(4, Activation.Erf)]
[Dense(2)]
[GaussianLikelihood(0.7)]
[IsotropicGaussianPrior(0.5)]
public partial record GaussianErf;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.Identity)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliIdentity;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Relu)]
[Dense(4, Activation.Relu)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliRelu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliTanh;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliSigmoid;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliSoftplus;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Elu)]
[Dense(4, Activation.Elu)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliElu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Gelu)]
[Dense(4, Activation.Gelu)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliGelu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Erf)]
[Dense(4, Activation.Erf)]
[Dense(1)]
[BernoulliLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record BernoulliErf;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.Identity)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalIdentity;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Relu)]
[Dense(4, Activation.Relu)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalRelu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalTanh;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalSigmoid;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Softplus)]
[Dense(4, Activation.Softplus)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalSoftplus;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Elu)]
[Dense(4, Activation.Elu)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalElu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Gelu)]
[Dense(4, Activation.Gelu)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalGelu;

[Network(3, Precision = ElementType.Double)]
[Dense(5, Activation.Erf)]
[Dense(4, Activation.Erf)]
[Dense(3)]
[CategoricalLikelihood]
[IsotropicGaussianPrior(0.5)]
public partial record CategoricalErf;
