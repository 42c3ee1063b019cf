using System;
using System.Linq;
using Dnn2Gp.Generators.Helpers;
using Dnn2Gp.Generators.Model;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Parsing;

/// <summary>Source text → <see cref="NetworkSpec"/>, compared with an expected record by record equality. No emission.</summary>
public sealed class NetworkParserTests
{
    private const string Namespace = "Dnn2Gp.Examples.Inputs";

    private static readonly HierarchyInfo InputsNamespace = new(Namespace, EquatableArray<ParentType>.Empty);

    private static readonly PriorSpec FlatPrior = new(PriorKind.Isotropic, Array(0.0));

    private static NetworkSpec Parse(string declaration) =>
        GeneratorHarness.Run($"using Dnn2Gp.Dsl;\nnamespace {Namespace};\n{declaration}").Spec;

    private static NetworkSpec ParseInput(string fileName) => GeneratorHarness.Run(GeneratorHarness.Input(fileName)).Spec;

    private static EquatableArray<T> Array<T>(params T[] items) where T : IEquatable<T> => items.ToEquatableArray();

    private static LayerSpec Dense(int input, int output, int module, int dense, int offset, bool bias = true) =>
        new(LayerKind.Dense, input, output, bias, OpKind.Identity, module, dense, offset);

    private static LayerSpec Act(OpKind op, int width, int module, int offset) =>
        new(LayerKind.Activation, width, width, false, op, module, -1, offset);

    [Fact]
    public void MnistMlp_has_pytorch_module_indices_and_parameter_offsets()
    {
        var expected = new NetworkSpec("MnistMlp", "record", InputsNamespace, 784, ElementKind.Single,
            Array(
                Dense(784, 100, module: 0, dense: 0, offset: 0),
                Act(OpKind.Relu, 100, module: 1, offset: 78500),
                Dense(100, 100, module: 2, dense: 1, offset: 78500),
                Act(OpKind.Relu, 100, module: 3, offset: 88600),
                Dense(100, 10, module: 4, dense: 2, offset: 88600)),
            new LossSpec(LossKind.Categorical, 0),
            FlatPrior);

        var spec = ParseInput("MnistMlp.cs");

        Assert.Equal(expected, spec);
        Assert.Equal(89610, spec.ParameterCount);
        Assert.Equal(10, spec.OutputSize);
        Assert.Equal(1, spec.TargetSize);
        Assert.Equal(new[] { 78400, 88500, 89600 }, spec.Layers.Where(l => l.Kind == LayerKind.Dense).Select(l => l.BiasOffset));
    }

    [Fact]
    public void TanhRegression_has_gaussian_noise_and_isotropic_prior()
    {
        var expected = new NetworkSpec("TanhRegression", "record", InputsNamespace, 1, ElementKind.Single,
            Array(
                Dense(1, 50, module: 0, dense: 0, offset: 0),
                Act(OpKind.Tanh, 50, module: 1, offset: 100),
                Dense(50, 50, module: 2, dense: 1, offset: 100),
                Act(OpKind.Tanh, 50, module: 3, offset: 2650),
                Dense(50, 1, module: 4, dense: 2, offset: 2650)),
            new LossSpec(LossKind.Gaussian, 0.316),
            new PriorSpec(PriorKind.Isotropic, Array(1.0)));

        var spec = ParseInput("TanhRegression.cs");

        Assert.Equal(expected, spec);
        Assert.Equal(2701, spec.ParameterCount);
        Assert.Equal(1, spec.TargetSize);
    }

    [Fact]
    public void LogisticNet_has_bias_free_layer_standalone_activation_and_layerwise_prior()
    {
        var expected = new NetworkSpec("LogisticNet", "record", InputsNamespace, 2, ElementKind.Single,
            Array(
                Dense(2, 16, module: 0, dense: 0, offset: 0, bias: false),
                Act(OpKind.Sigmoid, 16, module: 1, offset: 32),
                Dense(16, 8, module: 2, dense: 1, offset: 32),
                Act(OpKind.Softplus, 8, module: 3, offset: 168),
                Dense(8, 1, module: 4, dense: 2, offset: 168)),
            new LossSpec(LossKind.Bernoulli, 0),
            new PriorSpec(PriorKind.Layerwise, Array(0.5, 1.0, 2.0)));

        var spec = ParseInput("LogisticNet.cs");

        Assert.Equal(expected, spec);
        Assert.Equal(177, spec.ParameterCount);
        Assert.Equal(0, spec.Layers[0].ParameterCount - spec.Layers[0].WeightCount);
    }

    [Fact]
    public void DoubleNet_computes_in_double()
    {
        var expected = new NetworkSpec("DoubleNet", "record", InputsNamespace, 3, ElementKind.Double,
            Array(
                Dense(3, 4, module: 0, dense: 0, offset: 0),
                Act(OpKind.Gelu, 4, module: 1, offset: 16),
                Dense(4, 2, module: 2, dense: 1, offset: 16)),
            new LossSpec(LossKind.Gaussian, 0.5),
            new PriorSpec(PriorKind.Isotropic, Array(0.01)));

        Assert.Equal(expected, ParseInput("DoubleNet.cs"));
    }

    [Fact]
    public void NestedNetwork_records_its_containing_type()
    {
        var spec = ParseInput("NestedNetwork.cs");

        Assert.Equal(new HierarchyInfo(Namespace, Array(new ParentType("class", "NetworkZoo"))), spec.Hierarchy);
        Assert.Equal("NestedNetwork", spec.TypeName);
        Assert.Equal("record", spec.Keyword);
    }

    [Fact]
    public void Hierarchy_lists_containing_types_outermost_first_with_their_keywords()
    {
        var spec = GeneratorHarness.Run("""
            using Dnn2Gp.Dsl;
            namespace A.B
            {
                public partial class Outer
                {
                    public partial record struct Middle
                    {
                        internal partial record Inner
                        {
                            [Network(2)] [Dense(1)] [GaussianLikelihood(1.0)]
                            public partial record Net;
                        }
                    }
                }
            }
            """).Spec;

        var expected = new HierarchyInfo("A.B", Array(
            new ParentType("class", "Outer"), new ParentType("record struct", "Middle"), new ParentType("record", "Inner")));
        Assert.Equal(expected, spec.Hierarchy);
    }

    [Fact]
    public void Network_in_the_global_namespace_has_an_empty_namespace()
    {
        var spec = GeneratorHarness.Run("""
            using Dnn2Gp.Dsl;
            [Network(2)] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record GlobalNet;
            """).Spec;

        Assert.Equal(new HierarchyInfo("", EquatableArray<ParentType>.Empty), spec.Hierarchy);
    }

    [Theory]
    [InlineData("partial record", "record")]
    [InlineData("partial record class", "record")]
    [InlineData("partial record struct", "record struct")]
    [InlineData("partial class", "class")]
    [InlineData("sealed partial class", "class")]
    public void Keyword_is_what_the_generated_part_reopens(string declaration, string keyword)
    {
        var spec = Parse($"[Network(2)] [Dense(1)] [GaussianLikelihood(1.0)] public {declaration} Net {{ }}");

        Assert.Equal(keyword, spec.Keyword);
    }

    [Fact]
    public void Same_source_twice_gives_equal_specs_with_equal_hash_codes_but_not_the_same_object()
    {
        string source = System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Inputs", "LogisticNet.cs"));

        var first = GeneratorHarness.Run(source).Spec;
        var second = GeneratorHarness.Run(source).Spec;

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotSame(first, second);
        Assert.NotSame(first.Layers[0], second.Layers[0]);
    }

    [Fact]
    public void Equivalent_sources_give_equal_specs()
    {
        var compact = Parse("[Network(784)][Dense(100, Activation.Relu)][Dense(10)][CategoricalLikelihood] public partial record Net;");
        var reformatted = Parse("""
            // A comment before the declaration.
            [Network(input: 784)]
            [Dense(width: 100, activation: Activation.Relu)] /* a trailing comment */
            [Dense(
                10)]
            [CategoricalLikelihood()]
            public partial record Net
            {
                // The body is empty but for this comment.
            }
            """);
        var oneList = Parse("[Network(784), Dense(100, Activation.Relu), Dense(10), CategoricalLikelihood] public partial record Net;");
        var fullNames = Parse("[Dnn2Gp.Dsl.NetworkAttribute(784)][global::Dnn2Gp.Dsl.Dense(100, Dnn2Gp.Dsl.Activation.Relu)][Dense(10)][CategoricalLikelihood] public partial record Net;");

        Assert.Equal(compact, reformatted);
        Assert.Equal(compact, oneList);
        Assert.Equal(compact, fullNames);
        Assert.Equal(compact.GetHashCode(), reformatted.GetHashCode());
    }

    [Fact]
    public void Dense_activation_shorthand_equals_a_standalone_activation_layer()
    {
        var shorthand = Parse("[Network(4)][Dense(8, Activation.Tanh)][Dense(1)][GaussianLikelihood(1.0)] public partial record Net;");
        var standalone = Parse("[Network(4)][Dense(8)][ActivationLayer(Activation.Tanh)][Dense(1)][GaussianLikelihood(1.0)] public partial record Net;");

        Assert.Equal(shorthand, standalone);
    }

    [Fact]
    public void Standalone_activation_takes_a_module_index_and_no_parameters()
    {
        var spec = Parse("[Network(3)][ActivationLayer(Activation.Erf)][Dense(2)][ActivationLayer(Activation.Identity)][GaussianLikelihood(1.0)] public partial record Net;");

        var expected = Array(
            Act(OpKind.Erf, 3, module: 0, offset: 0),
            Dense(3, 2, module: 1, dense: 0, offset: 0),
            Act(OpKind.Identity, 2, module: 2, offset: 8));
        Assert.Equal(expected, spec.Layers);
        Assert.Equal(8, spec.ParameterCount);
    }

    [Theory]
    [InlineData("[Dense(100, Activation.Relu)][Dense(11)]", "a different output width")]
    [InlineData("[Dense(101, Activation.Relu)][Dense(10)]", "a different hidden width")]
    [InlineData("[Dense(100, Activation.Tanh)][Dense(10)]", "a different activation")]
    [InlineData("[Dense(100, Activation.Relu, Bias = false)][Dense(10)]", "no bias")]
    [InlineData("[Dense(100)][ActivationLayer(Activation.Relu)][ActivationLayer(Activation.Relu)][Dense(10)]", "an extra activation layer")]
    public void Different_sources_give_unequal_specs(string layers, string difference)
    {
        var baseline = Parse("[Network(784)][Dense(100, Activation.Relu)][Dense(10)][CategoricalLikelihood] public partial record Net;");
        var changed = Parse($"[Network(784)]{layers}[CategoricalLikelihood] public partial record Net;");

        Assert.True(!baseline.Equals(changed), $"Specs with {difference} compare equal.");
    }

    [Theory]
    [InlineData("[GaussianLikelihood(0.5)]", "[GaussianLikelihood(0.25)]")]
    [InlineData("[GaussianLikelihood(0.5)][IsotropicGaussianPrior(1.0)]", "[GaussianLikelihood(0.5)][IsotropicGaussianPrior(2.0)]")]
    [InlineData("[GaussianLikelihood(0.5)][LayerwiseGaussianPrior(1.0)]", "[GaussianLikelihood(0.5)][IsotropicGaussianPrior(1.0)]")]
    [InlineData("[GaussianLikelihood(0.5)]", "[GaussianLikelihood(0.5)][IsotropicGaussianPrior(0.0)]")]
    public void Likelihood_and_prior_are_part_of_the_spec(string a, string b)
    {
        var first = Parse($"[Network(2)][Dense(1)]{a} public partial record Net;");
        var second = Parse($"[Network(2)][Dense(1)]{b} public partial record Net;");

        // No prior means a flat isotropic prior (δ = 0), so the last pair is equal by design.
        if (b.Contains("IsotropicGaussianPrior(0.0)", StringComparison.Ordinal)) Assert.Equal(first, second);
        else Assert.NotEqual(first, second);
    }

    [Fact]
    public void Layer_order_is_meaningful()
    {
        var ab = Parse("[Network(4)][Dense(8)][Dense(2)][CategoricalLikelihood] public partial record Net;");
        var ba = Parse("[Network(4)][Dense(2)][Dense(8)][CategoricalLikelihood] public partial record Net;");

        Assert.NotEqual(ab, ba);
        Assert.Equal(new[] { 8, 2 }, ab.Layers.Select(l => l.OutputWidth));
    }

    [Fact]
    public void Position_of_likelihood_and_prior_among_the_layers_does_not_matter()
    {
        var last = Parse("[Network(4)][Dense(8, Activation.Relu)][Dense(2)][CategoricalLikelihood][IsotropicGaussianPrior(0.5)] public partial record Net;");
        var first = Parse("[IsotropicGaussianPrior(0.5)][CategoricalLikelihood][Network(4)][Dense(8, Activation.Relu)][Dense(2)] public partial record Net;");
        var between = Parse("[Network(4)][Dense(8, Activation.Relu)][CategoricalLikelihood][Dense(2)][IsotropicGaussianPrior(0.5)] public partial record Net;");

        Assert.Equal(last, first);
        Assert.Equal(last, between);
    }

    [Fact]
    public void Layers_split_over_partial_declarations_are_ordered_by_file_path_whatever_the_compilation_order()
    {
        var a = new SourceFile("Net.A.cs", "using Dnn2Gp.Dsl;\n[Network(4)][Dense(8, Activation.Relu)] public partial record Net;");
        var b = new SourceFile("Net.B.cs", "using Dnn2Gp.Dsl;\n[Dense(2)][CategoricalLikelihood] public partial record Net;");

        var ab = GeneratorHarness.Run(a, b).Spec;
        var ba = GeneratorHarness.Run(b, a).Spec;

        Assert.Equal(ab, ba);
        Assert.Equal(new[] { 8, 8, 2 }, ab.Layers.Select(l => l.OutputWidth));
    }

    [Fact]
    public void Networks_declared_in_any_order_give_the_same_specs()
    {
        const string A = "[Network(2)][Dense(1)][GaussianLikelihood(1.0)] public partial record A;";
        const string B = "[Network(3)][Dense(2)][CategoricalLikelihood] public partial record B;";
        const string C = "[Network(4)][Dense(1)][BernoulliLikelihood] public partial record C;";

        var abc = GeneratorHarness.Run($"using Dnn2Gp.Dsl;\n{A}\n{B}\n{C}").Specs.OrderBy(s => s.TypeName, StringComparer.Ordinal);
        var cab = GeneratorHarness.Run($"using Dnn2Gp.Dsl;\n{C}\n{A}\n{B}").Specs.OrderBy(s => s.TypeName, StringComparer.Ordinal);

        Assert.Equal(abc, cab);
    }
}
