using Dnn2Gp.Dsl;

namespace Dnn2Gp.Cli.Gp;

// The networks of the DNN2GP experiments (METHODS I.9/I.10). Shapes are compile-time in the DSL, so every width of a width sweep
// is its own record; priors and noise levels other than the declared ones are passed at run time.

/// <summary>E1 Snelson: SimpleMLP(1, 32, 2 layers), sigmoid, σ = 0.286, δ = 0.1.</summary>
[Network(1, Precision = ElementType.Double)]
[Dense(32, Activation.Sigmoid)]
[Dense(1)]
[GaussianLikelihood(0.286)]
[IsotropicGaussianPrior(0.1)]
public partial record SnelsonMlp;

/// <summary>E3 toy: SimpleMLP(2, 20, 2 layers), tanh, 81 parameters, σ = 1 (δ swept).</summary>
[Network(2, Precision = ElementType.Double)]
[Dense(20, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(1.0)]
[IsotropicGaussianPrior(0.631)]
public partial record ToyMlp;

/// <summary>E4 wine δ and σ sweeps: SimpleMLP(11, 20, 3 layers), tanh, σ = 0.64 declared.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(20, Activation.Tanh)]
[Dense(20, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(30.0)]
public partial record WineMlp;

/// <summary>E4 wine width sweep: one hidden tanh layer of 1 unit.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(1, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth1;

/// <summary>E4 wine width sweep: one hidden tanh layer of 2 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(2, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth2;

/// <summary>E4 wine width sweep: one hidden tanh layer of 3 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(3, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth3;

/// <summary>E4 wine width sweep: one hidden tanh layer of 4 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(4, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth4;

/// <summary>E4 wine width sweep: one hidden tanh layer of 5 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(5, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth5;

/// <summary>E4 wine width sweep: one hidden tanh layer of 6 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(6, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth6;

/// <summary>E4 wine width sweep: one hidden tanh layer of 7 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(7, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth7;

/// <summary>E4 wine width sweep: one hidden tanh layer of 9 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(9, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth9;

/// <summary>E4 wine width sweep: one hidden tanh layer of 11 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(11, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth11;

/// <summary>E4 wine width sweep: one hidden tanh layer of 13 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(13, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth13;

/// <summary>E4 wine width sweep: one hidden tanh layer of 15 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(15, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth15;

/// <summary>E4 wine width sweep: one hidden tanh layer of 18 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(18, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth18;

/// <summary>E4 wine width sweep: one hidden tanh layer of 22 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(22, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth22;

/// <summary>E4 wine width sweep: one hidden tanh layer of 26 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(26, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth26;

/// <summary>E4 wine width sweep: one hidden tanh layer of 31 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(31, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth31;

/// <summary>E4 wine width sweep: one hidden tanh layer of 37 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(37, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth37;

/// <summary>E4 wine width sweep: one hidden tanh layer of 44 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(44, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth44;

/// <summary>E4 wine width sweep: one hidden tanh layer of 53 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(53, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth53;

/// <summary>E4 wine width sweep: one hidden tanh layer of 63 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(63, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth63;

/// <summary>E4 wine width sweep: one hidden tanh layer of 75 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(75, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth75;

/// <summary>E4 wine width sweep: one hidden tanh layer of 89 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(89, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth89;

/// <summary>E4 wine width sweep: one hidden tanh layer of 106 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(106, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth106;

/// <summary>E4 wine width sweep: one hidden tanh layer of 126 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(126, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth126;

/// <summary>E4 wine width sweep: one hidden tanh layer of 150 units.</summary>
[Network(11, Precision = ElementType.Double)]
[Dense(150, Activation.Tanh)]
[Dense(1)]
[GaussianLikelihood(0.64)]
[IsotropicGaussianPrior(3.0)]
public partial record WineWidth150;
