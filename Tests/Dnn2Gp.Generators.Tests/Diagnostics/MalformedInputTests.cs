using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Diagnostics;

/// <summary>
/// Broken declarations, as they exist while someone is typing: the generator must never throw, and where the
/// compiler itself reports nothing it must explain the problem with a DNN2GP diagnostic.
/// </summary>
public sealed class MalformedInputTests
{
    private const string Rest = "[Dense(1)] [GaussianLikelihood(1.0)]";

    private static readonly IReadOnlyDictionary<string, string> Cases = new Dictionary<string, string>
    {
        ["truncated record"] = "[Network(784)] public partial record",
        ["truncated attribute argument"] = $"[Network(784 {Rest} public partial record Net;",
        ["string input size"] = $"[Network(\"x\")] {Rest} public partial record Net;",
        ["network without arguments"] = $"[Network] {Rest} public partial record Net;",
        ["network with too many arguments"] = $"[Network(4, 5)] {Rest} public partial record Net;",
        ["dense without arguments"] = "[Network(4)] [Dense] [GaussianLikelihood(1.0)] public partial record Net;",
        ["fractional width"] = "[Network(4)] [Dense(1.5)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["integer activation"] = "[Network(4)] [Dense(10, 99)] [Dense(1)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["undefined activation value"] = "[Network(4)] [Dense(10, (Activation)42)] [Dense(1)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["undefined activation name"] = "[Network(4)] [Dense(10, Activation.Swish)] [Dense(1)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["string sigma"] = "[Network(4)] [Dense(1)] [GaussianLikelihood(\"a\")] public partial record Net;",
        ["missing sigma"] = "[Network(4)] [Dense(1)] [GaussianLikelihood] public partial record Net;",
        ["null layerwise precisions"] = $"[Network(4)] {Rest} [LayerwiseGaussianPrior(null)] public partial record Net;",
        ["string layerwise precision"] = $"[Network(4)] {Rest} [LayerwiseGaussianPrior(1.0, \"b\")] public partial record Net;",
        ["non-constant width"] = "[Network(4)] [Dense(System.Environment.ProcessorCount)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["unknown named argument"] = $"[Network(4, Depth = 3)] {Rest} public partial record Net;",
        ["bias not a bool"] = "[Network(4)] [Dense(1, Bias = 1)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["class without layers"] = "[Network(784)] partial class NotARecord { }",
        ["struct"] = $"[Network(4)] {Rest} public partial struct NotAClass {{ }}",
        ["interface"] = $"[Network(4)] {Rest} public partial interface INotAClass {{ }}",
        ["unterminated attribute list"] = "[Network(4)\n[Dense(1)] [GaussianLikelihood(1.0)] public partial record Net;",
        ["unterminated attribute list at end of file"] = "[Network(4), Dense(1), GaussianLikelihood(1.0)",
        ["missing closing brace"] = $"public partial class Outer\n{{\n    [Network(4)] {Rest}\n    public partial record Net\n    {{\n",
        ["duplicate likelihood"] = "[Network(4)] [Dense(1)] [GaussianLikelihood(1.0)] [GaussianLikelihood(2.0)] public partial record Net;",
        ["two likelihoods"] = "[Network(4)] [Dense(1)] [BernoulliLikelihood] [CategoricalLikelihood] public partial record Net;",
        ["generic record"] = $"[Network(4)] {Rest} public partial record Net<T>;",
        ["generic record with constraint"] = $"[Network(4)] {Rest} public partial record Net<T> where T : struct;",
        ["unnamed record in a namespace block"] = "namespace Broken { [Network(4)] public partial record }",
        ["attribute on a method"] = "public partial class Holder { [Network(4)] public void M() { } }",
        ["only a network attribute"] = "[Network(4)] public partial record Net;",
        ["zero everything"] = "[Network(0)] [Dense(0)] [GaussianLikelihood(0.0)] [IsotropicGaussianPrior(-1.0)] public partial record Net;",
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generator_never_throws_and_explains_what_the_compiler_does_not(string name)
    {
        var result = GeneratorHarness.Run(DiagnosticAssert.Usings + Cases[name]);

        Assert.True(result.Exception is null, $"The generator threw on '{name}': {result.Exception}");
        var failures = result.GeneratorDiagnostics.Concat(result.CompilationErrors)
            .Where(d => d.Id is "CS8784" or "CS8785" or "AD0001")
            .ToList();
        Assert.True(failures.Count == 0, "Generator failure diagnostics:\n" + HarnessResult.Format(failures));

        if (result.InputErrors.IsEmpty && !IsNotANetwork(name))
        {
            Assert.True(result.GeneratorDiagnostics.Any(d => d.Id.StartsWith("DNN2GP", StringComparison.Ordinal)),
                $"The compiler accepts '{name}' and the generator reports nothing.");
        }
    }

    /// <summary>Declarations the generator rightly ignores: [Network] on a method is not a type declaration.</summary>
    private static bool IsNotANetwork(string name) => name == "attribute on a method";

    [Fact]
    public void A_partial_class_is_a_network_too()
    {
        var result = GeneratorHarness.Run(DiagnosticAssert.Usings +
            "[Network(4)] [Dense(3, Activation.Relu)] [Dense(2)] [CategoricalLikelihood] public sealed partial class ClassNet { }");

        Assert.Equal("class", result.Spec.Keyword);
        Assert.Equal(5, result.GeneratedSources.Length);
        result.AssertCleanAndCompiles();
    }

    [Fact]
    public void Without_a_reference_to_the_runtime_DNN2GP008_is_reported_and_nothing_generated()
    {
        var result = GeneratorHarness.Run(new[] { GeneratorHarness.Input("MnistMlp.cs") }, referenceRuntime: false);

        Assert.Equal("DNN2GP008", Assert.Single(result.GeneratorDiagnostics).Id);
        Assert.Empty(result.GeneratedSources);
    }

    // ----- Regression tests for generator bugs found by this suite. -----

    [Fact]
    public void Network_attribute_on_two_partial_declarations_does_not_crash_the_generator()
    {
        var result = GeneratorHarness.Run(DiagnosticAssert.Usings +
            "[Network(4)] [Dense(2)] [CategoricalLikelihood] public partial record Twice;\n[Network(4)] public partial record Twice;");

        Assert.Contains(result.InputErrors, d => d.Id == "CS0579");
        Assert.True(result.Exception is null, $"The generator threw: {result.Exception?.Message}");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }

    [Fact]
    public void A_parameter_count_beyond_int_range_is_reported()
    {
        var result = GeneratorHarness.Run(DiagnosticAssert.Usings +
            "[Network(100000)] [Dense(100000)] [Dense(2)] [CategoricalLikelihood] public partial record Huge;");

        Assert.Empty(result.InputErrors);
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id.StartsWith("DNN2GP1", StringComparison.Ordinal));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void A_static_class_is_reported_not_generated()
    {
        var result = GeneratorHarness.Run(DiagnosticAssert.Usings +
            "[Network(4)] [Dense(2)] [CategoricalLikelihood] public static partial class StaticNet { }");

        Assert.Empty(result.InputErrors);
        Assert.Contains(result.GeneratorDiagnostics, d => d.Id.StartsWith("DNN2GP0", StringComparison.Ordinal));
        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("[Network(4)] [Dense(2)] [CategoricalLikelihood] public partial record @event;")]
    [InlineData("public partial class @class { [Network(4)] [Dense(2)] [CategoricalLikelihood] public partial record Net; }")]
    public void Keyword_named_types_are_escaped_in_generated_code(string declaration)
    {
        GeneratorHarness.Run(DiagnosticAssert.Usings + declaration).AssertCleanAndCompiles();
    }
}
