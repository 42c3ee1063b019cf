using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static Dnn2Gp.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace Dnn2Gp.Generators.Tests.Diagnostics;

/// <summary>
/// At least one test per diagnostic ID (the method name starts with the ID; a test below enforces it), each asserting
/// the exact set of diagnostics: ID, span (the offending attribute argument where the descriptor is about one) and
/// message, and nothing else.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string Valid = "[Dense(1)] [GaussianLikelihood(1.0)]";

    [Fact]
    public void DNN2GP001_network_not_partial()
    {
        Verify($$"""
            [Network(2)]
            [Dense(1)]
            [GaussianLikelihood(1.0)]
            public record [|NotPartial|];
            """,
            new ExpectedDiagnostic("DNN2GP001", 0,
                "The network record 'NotPartial' must be declared partial so the generator can add its members (add the 'partial' modifier)"));
    }

    [Fact]
    public void DNN2GP001_containing_type_not_partial()
    {
        Verify($$"""
            public class [|Outer|]
            {
                [Network(2)] {{Valid}}
                public partial record Inner;
            }
            """,
            new ExpectedDiagnostic("DNN2GP001", 0,
                "The network record 'Inner' must be declared partial so the generator can add its members (add the 'partial' modifier to its containing type 'Outer' too)"));
    }

    [Fact]
    public void DNN2GP002_input_size_not_positive()
    {
        Verify($$"""
            [Network([|0|])] {{Valid}}
            public partial record Zero;

            [Network([|input: -3|])] {{Valid}}
            public partial record Negative;
            """,
            new ExpectedDiagnostic("DNN2GP002", 0, "The input size of network 'Zero' must be a positive integer, but it is 0"),
            new ExpectedDiagnostic("DNN2GP002", 1, "The input size of network 'Negative' must be a positive integer, but it is -3"));
    }

    [Fact]
    public void DNN2GP003_no_dense_layer()
    {
        Verify("""
            [[|Network(4)|]] [GaussianLikelihood(1.0)]
            public partial record Empty;

            [[|Network(4)|]] [ActivationLayer(Activation.Relu)] [GaussianLikelihood(1.0)]
            public partial record OnlyActivation;
            """,
            new ExpectedDiagnostic("DNN2GP003", 0, "Network 'Empty' has no dense layer: add at least one [Dense(width)] attribute"),
            new ExpectedDiagnostic("DNN2GP003", 1, "Network 'OnlyActivation' has no dense layer: add at least one [Dense(width)] attribute"));
    }

    [Fact]
    public void DNN2GP004_no_likelihood()
    {
        Verify("""
            [Network(4)]
            [Dense(2)]
            [IsotropicGaussianPrior(1.0)]
            public partial record [|NoLikelihood|];
            """,
            new ExpectedDiagnostic("DNN2GP004", 0,
                "Network 'NoLikelihood' has no likelihood: add one of [GaussianLikelihood(sigma)], [BernoulliLikelihood] or [CategoricalLikelihood]"));
    }

    [Fact]
    public void DNN2GP005_more_than_one_likelihood_or_prior()
    {
        Verify("""
            [Network(4)] [Dense(2)] [CategoricalLikelihood] [[|GaussianLikelihood(1.0)|]]
            public partial record TwoLikelihoods;

            [Network(4)] [Dense(2)] [CategoricalLikelihood] [IsotropicGaussianPrior(1.0)] [[|LayerwiseGaussianPrior(1.0)|]]
            public partial record TwoPriors;
            """,
            new ExpectedDiagnostic("DNN2GP005", 0, "Network 'TwoLikelihoods' declares more than one likelihood: keep exactly one"),
            new ExpectedDiagnostic("DNN2GP005", 1, "Network 'TwoPriors' declares more than one prior: keep exactly one"));
    }

    [Fact]
    public void DNN2GP006_invalid_noise_or_precision()
    {
        Verify("""
            [Network(4)] [Dense(1)] [GaussianLikelihood([|0.0|])]
            public partial record ZeroSigma;

            [Network(4)] [Dense(1)] [GaussianLikelihood([|sigma: double.NaN|])]
            public partial record NaNSigma;

            [Network(4)] [Dense(1)] [GaussianLikelihood([|double.PositiveInfinity|])]
            public partial record InfiniteSigma;

            [Network(4)] [Dense(1)] [GaussianLikelihood(1.0)] [IsotropicGaussianPrior([|-1.0|])]
            public partial record NegativePrecision;
            """,
            new ExpectedDiagnostic("DNN2GP006", 0, "The noise standard deviation σ of [GaussianLikelihood] must be positive and finite, but it is 0"),
            new ExpectedDiagnostic("DNN2GP006", 1, "The noise standard deviation σ of [GaussianLikelihood] must be positive and finite, but it is NaN"),
            new ExpectedDiagnostic("DNN2GP006", 2, "The noise standard deviation σ of [GaussianLikelihood] must be positive and finite, but it is Infinity"),
            new ExpectedDiagnostic("DNN2GP006", 3, "The precision δ of [IsotropicGaussianPrior] must be non-negative and finite, but it is -1"));
    }

    [Fact]
    public void DNN2GP006_invalid_layerwise_precision_points_at_that_precision()
    {
        Verify("""
            [Network(4)] [Dense(3)] [Dense(1)] [GaussianLikelihood(1.0)] [LayerwiseGaussianPrior(1.0, [|-2.0|])]
            public partial record NegativeLayerPrecision;
            """,
            new ExpectedDiagnostic("DNN2GP006", 0, "Precision 1 of [LayerwiseGaussianPrior] must be non-negative and finite, but it is -2"));
    }

    [Fact]
    public void DNN2GP006_message_numbers_are_culture_invariant()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Verify("""
                [Network(4)] [Dense(1)] [GaussianLikelihood([|-0.25|])]
                public partial record NegativeSigma;
                """,
                new ExpectedDiagnostic("DNN2GP006", 0, "The noise standard deviation σ of [GaussianLikelihood] must be positive and finite, but it is -0.25"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void DNN2GP007_argument_not_a_constant_of_the_right_type()
    {
        var result = Verify("""
            [Network(4)] [Dense(1)] [GaussianLikelihood(1.0)] [LayerwiseGaussianPrior([|null|])]
            public partial record NullPrecisions;

            [Network(4)] [Dense([|1.5|])] [GaussianLikelihood(1.0)]
            public partial record FractionalWidth;
            """,
            new ExpectedDiagnostic("DNN2GP007", 0, "The argument 'precisions' of [LayerwiseGaussianPrior] could not be read: it is missing or not a constant of the right type"),
            new ExpectedDiagnostic("DNN2GP007", 1, "The argument 'width' of [Dense] could not be read: the arguments do not match any constructor of the attribute"));

        // The first is ours alone; for the second the compiler reports the type error too.
        Assert.Equal("CS1503", Assert.Single(result.InputErrors).Id);
    }

    [Fact]
    public void DNN2GP008_runtime_not_referenced()
    {
        var result = Verify("""
            [[|Network(2)|]] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record NoRuntime;
            """,
            referenceRuntime: false,
            new ExpectedDiagnostic("DNN2GP008", 0,
                "Network 'NoRuntime' needs a reference to the Dnn2Gp.Runtime assembly, whose types the generated code uses (add a reference to the Dnn2Gp.Runtime package or project)"));

        Assert.Empty(result.GeneratedSources);
        Assert.Empty(result.InputErrors);
    }

    [Fact]
    public void DNN2GP009_generic_network()
    {
        Verify($$"""
            [Network(2)] {{Valid}}
            public partial record [|Generic|]<T>;

            public partial class Outer<T>
            {
                [Network(2)] {{Valid}}
                public partial record [|Inner|];
            }
            """,
            new ExpectedDiagnostic("DNN2GP009", 0, "Network 'Generic' cannot be generic: declare a non-generic partial record"),
            new ExpectedDiagnostic("DNN2GP009", 1, "Network 'Inner' cannot be generic: declare a non-generic partial record"));
    }

    [Fact]
    public void DNN2GP101_layer_width_not_positive()
    {
        Verify("""
            [Network(4)] [Dense([|0|])] [GaussianLikelihood(1.0)]
            public partial record ZeroWidth;

            [Network(4)] [Dense(3, Activation.Relu)] [Dense([|width: -1|])] [GaussianLikelihood(1.0)]
            public partial record NegativeWidth;
            """,
            new ExpectedDiagnostic("DNN2GP101", 0, "Layer 0 of network 'ZeroWidth' must have a positive width, but it is 0"),
            // The layer index is the PyTorch module index: the ReLU after the first dense layer is module 1.
            new ExpectedDiagnostic("DNN2GP101", 1, "Layer 2 of network 'NegativeWidth' must have a positive width, but it is -1"));
    }

    [Fact]
    public void DNN2GP101_invalid_output_width_is_not_reported_twice()
    {
        Verify("""
            [Network(4)] [Dense(8)] [Dense([|0|])] [CategoricalLikelihood]
            public partial record ZeroClasses;
            """,
            new ExpectedDiagnostic("DNN2GP101", 0, "Layer 1 of network 'ZeroClasses' must have a positive width, but it is 0"));
    }

    [Fact]
    public void DNN2GP010_static_network()
    {
        var result = Verify($$"""
            [Network(2)] {{Valid}}
            public static partial class [|StaticNet|] { }
            """,
            new ExpectedDiagnostic("DNN2GP010", 0, "Network 'StaticNet' cannot be static: the generated code implements an interface on it (remove the 'static' modifier)"));

        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void DNN2GP104_too_many_parameters()
    {
        var result = Verify("""
            [Network(100000)] [Dense([|100000|])] [Dense(2)] [CategoricalLikelihood]
            public partial record Huge;
            """,
            new ExpectedDiagnostic("DNN2GP104", 0, "Network 'Huge' would have 10000100000 parameters, more than a parameter vector can index (2147483647): make the layers narrower"));

        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void DNN2GP102_output_width_does_not_fit_the_likelihood()
    {
        Verify("""
            [Network(4)] [Dense(2)] [[|BernoulliLikelihood|]]
            public partial record TwoLogits;

            [Network(4)] [Dense(1)] [[|CategoricalLikelihood|]]
            public partial record OneClass;
            """,
            new ExpectedDiagnostic("DNN2GP102", 0, "The Bernoulli likelihood needs exactly 1 network output(s), but network 'TwoLogits' ends with a layer of width 2"),
            new ExpectedDiagnostic("DNN2GP102", 1, "The Categorical likelihood needs at least 2 network output(s), but network 'OneClass' ends with a layer of width 1"));
    }

    [Fact]
    public void DNN2GP103_layerwise_prior_count_mismatch()
    {
        Verify("""
            [Network(4)] [Dense(1)] [GaussianLikelihood(1.0)] [LayerwiseGaussianPrior([|1.0|], 2.0)]
            public partial record TooMany;

            [Network(4)] [Dense(3)] [Dense(1)] [GaussianLikelihood(1.0)] [[|LayerwiseGaussianPrior()|]]
            public partial record None;
            """,
            // With precisions, the diagnostic points at the first one (the params argument); without, at the attribute.
            new ExpectedDiagnostic("DNN2GP103", 0, "[LayerwiseGaussianPrior] gives 2 precision(s), but network 'TooMany' has 1 dense or convolution layer(s): give one per such layer"),
            new ExpectedDiagnostic("DNN2GP103", 1, "[LayerwiseGaussianPrior] gives 0 precision(s), but network 'None' has 2 dense or convolution layer(s): give one per such layer"));
    }

    [Fact]
    public void DNN2GP201_unknown_enum_value()
    {
        Verify("""
            [Network(4)] [Dense(10, [|(Activation)42|])] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record UnknownActivation;

            [Network(4)] [ActivationLayer([|(Activation)(-1)|])] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record UnknownStandaloneActivation;

            [Network(4, [|Precision = (ElementType)7|])] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record UnknownPrecision;
            """,
            new ExpectedDiagnostic("DNN2GP201", 0, "(Activation)42 is not a known Activation value"),
            new ExpectedDiagnostic("DNN2GP201", 1, "(Activation)-1 is not a known Activation value"),
            new ExpectedDiagnostic("DNN2GP201", 2, "(ElementType)7 is not a known ElementType value"));
    }

    [Fact]
    public void DNN2GP202_activation_before_a_likelihood_with_a_link_is_a_warning_and_code_is_still_generated()
    {
        var result = Verify("""
            [Network(2)] [Dense(1, Activation.Sigmoid)] [[|BernoulliLikelihood|]]
            public partial record SquashedTwice;

            [Network(2)] [Dense(3)] [ActivationLayer(Activation.Tanh)] [[|CategoricalLikelihood|]]
            public partial record TanhLogits;
            """,
            new ExpectedDiagnostic("DNN2GP202", 0,
                "Network 'SquashedTwice' ends with a Sigmoid activation before the Bernoulli likelihood, which applies its own link: the output is squashed twice (remove the final activation)",
                DiagnosticSeverity.Warning),
            new ExpectedDiagnostic("DNN2GP202", 1,
                "Network 'TanhLogits' ends with a Tanh activation before the Categorical likelihood, which applies its own link: the output is squashed twice (remove the final activation)",
                DiagnosticSeverity.Warning));

        Assert.Equal(2, result.Specs.Count);
        Assert.Equal(10, result.GeneratedSources.Length);
        Assert.True(result.CompilationErrors.IsEmpty, HarnessResult.Format(result.CompilationErrors));
    }

    [Fact]
    public void No_diagnostic_for_an_output_activation_before_a_gaussian_likelihood()
    {
        Verify("""
            [Network(2)] [Dense(1, Activation.Sigmoid)] [GaussianLikelihood(0.1)]
            public partial record BoundedRegression;
            """);
    }

    [Fact]
    public void A_network_with_an_error_generates_nothing()
    {
        var result = GeneratorHarness.Run(DiagnosticAssert.Usings + "[Network(4)] [Dense(0)] [GaussianLikelihood(1.0)] public partial record Broken;");

        Assert.NotEmpty(result.GeneratorDiagnostics);
        Assert.Empty(result.Specs);
        Assert.Empty(result.GeneratedSources);
        Assert.Null(Assert.Single(result.ParseResults).Spec);
    }

    [Fact]
    public void Every_descriptor_has_a_test_named_after_its_id()
    {
        var tested = typeof(DiagnosticTests).GetMethods()
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any(f => f.Skip is null))
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(DiagnosticCatalogueTests.Descriptors(), d => Assert.Contains(d.Id, tested));
    }
}
