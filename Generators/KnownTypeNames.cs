namespace Dnn2Gp.Generators;

/// <summary>Metadata names of the Dsl types the generator matches. A test pins each against typeof(...).FullName.</summary>
internal static class KnownTypeNames
{
    public const string NetworkAttribute = "Dnn2Gp.Dsl.NetworkAttribute";
    public const string DenseAttribute = "Dnn2Gp.Dsl.DenseAttribute";
    public const string ActivationLayerAttribute = "Dnn2Gp.Dsl.ActivationLayerAttribute";
    public const string Conv2DAttribute = "Dnn2Gp.Dsl.Conv2DAttribute";
    public const string MaxPool2DAttribute = "Dnn2Gp.Dsl.MaxPool2DAttribute";
    public const string AvgPool2DAttribute = "Dnn2Gp.Dsl.AvgPool2DAttribute";
    public const string FlattenAttribute = "Dnn2Gp.Dsl.FlattenAttribute";
    public const string DropoutAttribute = "Dnn2Gp.Dsl.DropoutAttribute";
    public const string GaussianLikelihoodAttribute = "Dnn2Gp.Dsl.GaussianLikelihoodAttribute";
    public const string BernoulliLikelihoodAttribute = "Dnn2Gp.Dsl.BernoulliLikelihoodAttribute";
    public const string CategoricalLikelihoodAttribute = "Dnn2Gp.Dsl.CategoricalLikelihoodAttribute";
    public const string IsotropicGaussianPriorAttribute = "Dnn2Gp.Dsl.IsotropicGaussianPriorAttribute";
    public const string LayerwiseGaussianPriorAttribute = "Dnn2Gp.Dsl.LayerwiseGaussianPriorAttribute";
    public const string Activation = "Dnn2Gp.Dsl.Activation";
    public const string ElementType = "Dnn2Gp.Dsl.ElementType";
    public const string RuntimeNetworkInterface = "Dnn2Gp.Runtime.INetwork`2";
}
