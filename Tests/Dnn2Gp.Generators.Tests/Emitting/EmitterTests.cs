using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Dnn2Gp.Generators.Emitting;
using Dnn2Gp.Generators.Helpers;
using Dnn2Gp.Generators.Model;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Emitting;

/// <summary>
/// The emitters called directly, as the pure functions <c>NetworkSpec → string</c> they are (no Roslyn): culture
/// invariance, determinism, agreement with what the driver adds, and the options that select parts.
/// </summary>
public sealed class EmitterTests
{
    /// <summary>A spec with fractional hyperparameters, so a culture with a decimal comma would show.</summary>
    private static readonly NetworkSpec Spec = new(
        "CultureNet", "record", new HierarchyInfo("Culture.Test", EquatableArray<ParentType>.Empty), 3, ElementKind.Single,
        new[]
        {
            new LayerSpec(LayerKind.Dense, 3, 5, true, OpKind.Identity, 0, 0, 0),
            new LayerSpec(LayerKind.Activation, 5, 5, false, OpKind.Tanh, 1, -1, 20),
            new LayerSpec(LayerKind.Dense, 5, 2, true, OpKind.Identity, 2, 1, 20),
        }.ToEquatableArray(),
        new LossSpec(LossKind.Gaussian, 0.316),
        new PriorSpec(PriorKind.Layerwise, new[] { 0.25, 1e-5 }.ToEquatableArray()));

    private static IReadOnlyList<(string Part, string Text)> EmitAll(NetworkSpec spec) => new[]
    {
        ("Network", NetworkEmitter.Emit(spec)),
        ("Forward", ForwardEmitter.EmitForward(spec)),
        ("Gradient", ForwardEmitter.EmitGradient(spec)),
        ("Curvature", CurvatureEmitter.Emit(spec)),
        ("Gpu", GpuKernelEmitter.Emit(spec)),
    };

    private static T InCulture<T>(string culture, Func<T> action)
    {
        var thread = Thread.CurrentThread;
        var (previous, previousUi) = (thread.CurrentCulture, thread.CurrentUICulture);
        thread.CurrentCulture = thread.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return action();
        }
        finally
        {
            thread.CurrentCulture = previous;
            thread.CurrentUICulture = previousUi;
        }
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    [InlineData("fa-IR")]
    public void Emitters_produce_the_same_text_in_any_culture(string culture)
    {
        var invariant = InCulture("", () => EmitAll(Spec));
        var local = InCulture(culture, () => EmitAll(Spec));

        Assert.Equal(invariant, local);
        string network = invariant[0].Text;
        Assert.Contains("new global::Dnn2Gp.Runtime.GaussianLikelihood(0.316)", network, StringComparison.Ordinal);
        Assert.Contains("new global::Dnn2Gp.Runtime.LayerwiseGaussianPrior(0.25, 1E-05)", network, StringComparison.Ordinal);
        Assert.DoesNotContain("0,316", string.Concat(local.Select(p => p.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Emitters_are_deterministic()
    {
        Assert.Equal(EmitAll(Spec), EmitAll(Spec with { }));
    }

    [Fact]
    public void Driver_output_is_exactly_the_emitters_output()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Input("TanhRegression.cs"));
        var spec = result.Spec;

        Assert.Equal(
            EmitAll(spec).Select(p => (FileHeader.HintName(spec, p.Part), p.Text)).OrderBy(p => p.Item1, StringComparer.Ordinal),
            result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    [Theory]
    [InlineData(0.316, "0.316")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(1e300, "1E+300")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.NaN, "double.NaN")]
    [InlineData(double.PositiveInfinity, "double.PositiveInfinity")]
    [InlineData(double.NegativeInfinity, "double.NegativeInfinity")]
    public void Double_literals_round_trip_and_stay_double(double value, string literal)
    {
        Assert.Equal(literal, InCulture("de-DE", () => Literals.Double(value)));
    }

    [Theory]
    [InlineData(0.316f, "0.316f")]
    [InlineData(1f, "1f")]
    [InlineData(1e-5f, "1E-05f")]
    [InlineData(float.NaN, "float.NaN")]
    [InlineData(float.NegativeInfinity, "float.NegativeInfinity")]
    public void Float_literals_are_invariant(float value, string literal)
    {
        Assert.Equal(literal, InCulture("de-DE", () => Literals.Float(value)));
    }

    [Fact]
    public void Hint_names_include_namespace_containing_types_and_part()
    {
        var nested = Spec with { Hierarchy = new HierarchyInfo("A.B", new[] { new ParentType("class", "Outer"), new ParentType("record struct", "Inner") }.ToEquatableArray()) };
        var global = Spec with { Hierarchy = new HierarchyInfo("", EquatableArray<ParentType>.Empty) };

        Assert.Equal("A.B.Outer.Inner.CultureNet.Gpu.g.cs", FileHeader.HintName(nested, "Gpu"));
        Assert.Equal("CultureNet.Network.g.cs", FileHeader.HintName(global, "Network"));
    }

    [Fact]
    public void Network_in_the_global_namespace_is_emitted_without_a_namespace()
    {
        string network = NetworkEmitter.Emit(Spec with { Hierarchy = new HierarchyInfo("", EquatableArray<ParentType>.Empty) });

        Assert.DoesNotContain("namespace", network, StringComparison.Ordinal);
        Assert.Contains("\npartial record CultureNet : global::Dnn2Gp.Runtime.INetwork<CultureNet, float>\n{\n", network, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_activation_is_emitted_through_its_runtime_op()
    {
        foreach (var op in Enum.GetValues<OpKind>().Where(op => op != OpKind.Identity))
        {
            var spec = Spec with
            {
                Layers = new[]
                {
                    new LayerSpec(LayerKind.Dense, 3, 5, true, OpKind.Identity, 0, 0, 0),
                    new LayerSpec(LayerKind.Activation, 5, 5, false, op, 1, -1, 20),
                    new LayerSpec(LayerKind.Dense, 5, 2, true, OpKind.Identity, 2, 1, 20),
                }.ToEquatableArray(),
            };
            string op_ = OpTable.TypeOf(op);
            Assert.Contains($"AddBiasAndApply<{op_}>", ForwardEmitter.EmitForward(spec), StringComparison.Ordinal);
            Assert.Contains($"BackwardDriver.Apply<{op_}>", ForwardEmitter.EmitGradient(spec), StringComparison.Ordinal);
            Assert.Contains($"{op_}.Value(", GpuKernelEmitter.Emit(spec), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EmitGpu_false_leaves_out_the_gpu_part()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { GeneratorHarness.Input("MnistMlp.cs") });
        var driver = GeneratorHarness.CreateDriver()
            .WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider(new Dictionary<string, string> { ["build_property.Dnn2Gp_EmitGpu"] = " False " }))
            .RunGenerators(compilation);

        var hints = driver.GetRunResult().Results[0].GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal);

        Assert.Equal(new[]
        {
            "Dnn2Gp.Examples.Inputs.MnistMlp.Curvature.g.cs",
            "Dnn2Gp.Examples.Inputs.MnistMlp.Forward.g.cs",
            "Dnn2Gp.Examples.Inputs.MnistMlp.Gradient.g.cs",
            "Dnn2Gp.Examples.Inputs.MnistMlp.Network.g.cs",
        }, hints);
    }

    [Fact]
    public void Options_default_to_emitting_the_gpu_part()
    {
        Assert.True(GeneratorOptions.Read(new TestOptionsProvider(new Dictionary<string, string>()), default).EmitGpu);
        Assert.True(GeneratorOptions.Read(new TestOptionsProvider(new Dictionary<string, string> { ["build_property.Dnn2Gp_EmitGpu"] = "" }), default).EmitGpu);
        Assert.False(GeneratorOptions.Read(new TestOptionsProvider(new Dictionary<string, string> { ["build_property.Dnn2Gp_EmitGpu"] = "false" }), default).EmitGpu);
    }

    /// <summary>Global analyzer config options, as MSBuild passes <c>CompilerVisibleProperty</c> values.</summary>
    private sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new Dictionary<string, string>());

        private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
        {
            // [NotNullWhen(true)] cannot be written here: the generator's PolySharp copy of the attribute is visible
            // through InternalsVisibleTo and makes the name ambiguous (CS0433), so the annotation mismatch is accepted.
#pragma warning disable CS8765
            public override bool TryGetValue(string key, out string? value) => values.TryGetValue(key, out value);
#pragma warning restore CS8765
        }
    }
}
