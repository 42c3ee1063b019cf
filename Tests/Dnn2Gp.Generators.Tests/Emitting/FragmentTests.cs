using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Emitting;

/// <summary>
/// Inline expectations for small fragments where the text is the point of the test (STYLE Appendix E3): the layout
/// table, one layer's forward and backward lines, kernel signatures, file headers.
/// </summary>
public sealed class FragmentTests
{
    private static HarnessResult Generate(string input)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Input(input));
        Assert.Null(result.Exception);
        Assert.Empty(result.GeneratorDiagnostics);
        return result;
    }

    [Fact]
    public void MnistMlp_layout_lists_tensors_in_state_dict_order_with_offsets_and_shapes()
    {
        string network = Generate("MnistMlp.cs").Part("Network");

        var tensors = System.Text.RegularExpressions.Regex.Matches(network, @"new global::Dnn2Gp\.Runtime\.ParameterTensor\([^)]*\)")
            .Select(m => m.Value);

        AssertLines("""
            new global::Dnn2Gp.Runtime.ParameterTensor("0.weight", 0, 100, 784)
            new global::Dnn2Gp.Runtime.ParameterTensor("0.bias", 78400, 100)
            new global::Dnn2Gp.Runtime.ParameterTensor("2.weight", 78500, 100, 100)
            new global::Dnn2Gp.Runtime.ParameterTensor("2.bias", 88500, 100)
            new global::Dnn2Gp.Runtime.ParameterTensor("4.weight", 88600, 10, 100)
            new global::Dnn2Gp.Runtime.ParameterTensor("4.bias", 89600, 10)
            """, tensors);
    }

    [Fact]
    public void MnistMlp_layout_is_a_constructor_call_over_the_tensors()
    {
        string network = Generate("MnistMlp.cs").Part("Network");

        AssertLines("""
            public static global::Dnn2Gp.Runtime.ParameterLayout Layout { get; } = new(
                new global::Dnn2Gp.Runtime.ParameterTensor("0.weight", 0, 100, 784),
                new global::Dnn2Gp.Runtime.ParameterTensor("0.bias", 78400, 100),
                new global::Dnn2Gp.Runtime.ParameterTensor("2.weight", 78500, 100, 100),
                new global::Dnn2Gp.Runtime.ParameterTensor("2.bias", 88500, 100),
                new global::Dnn2Gp.Runtime.ParameterTensor("4.weight", 88600, 10, 100),
                new global::Dnn2Gp.Runtime.ParameterTensor("4.bias", 89600, 10)
            );
            """, Block(network, "public static global::Dnn2Gp.Runtime.ParameterLayout Layout"));
    }

    [Fact]
    public void MnistMlp_architecture_comment_mirrors_pytorch()
    {
        string network = Generate("MnistMlp.cs").Part("Network");

        AssertLines("""
            // Architecture (PyTorch nn.Sequential equivalent):
            //   (0) Linear(in_features=784, out_features=100, bias=True)
            //   (1) ReLU()
            //   (2) Linear(in_features=100, out_features=100, bias=True)
            //   (3) ReLU()
            //   (4) Linear(in_features=100, out_features=10, bias=True)
            """, Block(network, "// Architecture"));
    }

    [Fact]
    public void MnistMlp_first_dense_relu_layer_is_one_gemm_and_one_fused_bias_activation()
    {
        string forward = Generate("MnistMlp.cs").Part("Forward");

        AssertLines("""
            // layer 0: Dense 784 -> 100 (0.weight [100, 784] at 0, 0.bias [100] at 78400), then ReLU
            global::System.Span<float> z0 = ws.Slice(n * 0, n * 100);
            global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply(false, true, n, 100, 784, 1f, inputs, 784, parameters.Slice(0, 78400), 784, 0f, z0, 100);
            global::Dnn2Gp.Runtime.Cpu.BiasDriver.AddBiasAndApply<global::Dnn2Gp.Runtime.Ops.Relu>(z0, parameters.Slice(78400, 100), n, z0);
            """, Block(forward, "// layer 0:"));
    }

    [Fact]
    public void MnistMlp_forward_kernel_writes_the_last_layer_straight_into_the_outputs()
    {
        string forward = Generate("MnistMlp.cs").Part("Forward");

        AssertLines("""
            // layer 4: Dense 100 -> 10 (4.weight [10, 100] at 88600, 4.bias [10] at 89600)
            global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply(false, true, n, 10, 100, 1f, z1, 100, parameters.Slice(88600, 1000), 100, 0f, outputs, 10);
            global::Dnn2Gp.Runtime.Cpu.BiasDriver.AddBias(outputs, parameters.Slice(89600, 10), n);
            """, Block(forward, "// layer 4:"));
    }

    [Fact]
    public void TanhRegression_backward_through_a_dense_tanh_layer()
    {
        string gradient = Generate("TanhRegression.cs").Part("Gradient");

        AssertLines("""
            // backward through layer 2: Dense 50 -> 50 (2.weight [50, 50] at 100, 2.bias [50] at 2600), then Tanh
            global::Dnn2Gp.Runtime.Cpu.BackwardDriver.Apply<global::Dnn2Gp.Runtime.Ops.Tanh>(z1, a1, d2, d2);
            global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply(true, false, 50, 50, n, 1f, d2, 50, a0, 50, 0f, gradient.Slice(100, 2500), 50);
            global::Dnn2Gp.Runtime.Cpu.BiasDriver.SumRows(d2, n, 50, gradient.Slice(2600, 50));
            global::System.Span<float> d1 = g0.Slice(0, n * 50);
            global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply(false, false, n, 50, 50, 1f, d2, 50, parameters.Slice(100, 2500), 50, 0f, d1, 50);
            """, Block(gradient, "// backward through layer 2:"));
    }

    [Fact]
    public void TanhRegression_likelihood_gets_sigma_as_an_invariant_literal()
    {
        string gradient = Generate("TanhRegression.cs").Part("Gradient");

        AssertLines("""
            // likelihood: Gaussian, σ = 0.316; d = scale · ∂ℓ/∂f
            global::System.Span<float> d3 = g0.Slice(0, n * 1);
            double loss = global::Dnn2Gp.Runtime.Likelihoods.Gaussian.LossAndResidual(z2, targets, n, 1, 0.316, scale, d3);
            """, Block(gradient, "// likelihood:"));
    }

    [Fact]
    public void LogisticNet_bias_free_layer_applies_its_activation_without_a_bias()
    {
        string forward = Generate("LogisticNet.cs").Part("Forward");

        AssertLines("""
            // layer 0: Dense 2 -> 16 (0.weight [16, 2] at 0, no bias), then Sigmoid
            global::System.Span<float> z0 = ws.Slice(n * 0, n * 16);
            global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply(false, true, n, 16, 2, 1f, inputs, 2, parameters.Slice(0, 32), 2, 0f, z0, 16);
            global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<global::Dnn2Gp.Runtime.Ops.Sigmoid>(z0, z0);
            """, Block(forward, "// layer 0:"));
    }

    [Fact]
    public void LogisticNet_layerwise_prior_penalises_each_dense_layer_with_its_precision()
    {
        string network = Generate("LogisticNet.cs").Part("Network");

        AssertLines("""
            global::Dnn2Gp.Runtime.NetworkArguments.CheckParameters(Name, parameters.Length, ParameterCount);
            double sum = 0.0;
            sum += global::Dnn2Gp.Runtime.Priors.GaussianPenalty.Value(parameters.Slice(0, 32), 0.5);
            sum += global::Dnn2Gp.Runtime.Priors.GaussianPenalty.Value(parameters.Slice(32, 136), 1.0);
            sum += global::Dnn2Gp.Runtime.Priors.GaussianPenalty.Value(parameters.Slice(168, 9), 2.0);
            return sum;
            """, Body(network, "public static double PriorPenalty("));
    }

    [Fact]
    public void DoubleNet_gpu_kernel_signature_uses_double_views()
    {
        string gpu = Generate("DoubleNet.cs").Part("Gpu");

        Assert.Contains(
            "public static void GpuForward(global::ILGPU.Index1D example, global::ILGPU.ArrayView<double> parameters, global::ILGPU.ArrayView<double> inputs, global::ILGPU.ArrayView<double> scratch, global::ILGPU.ArrayView<double> outputs)",
            Lines(gpu).Select(l => l.Trim()));
        Assert.DoesNotContain("float", gpu, StringComparison.Ordinal);
    }

    [Fact]
    public void DoubleNet_gpu_activation_calls_the_runtime_op()
    {
        string gpu = Generate("DoubleNet.cs").Part("Gpu");

        AssertLines("""
            // layer 1: GELU
            for (int o = 0; o < 4; o++) scratch[buffer1 + o] = global::Dnn2Gp.Runtime.Ops.Gelu.Value(scratch[buffer0 + o]);
            """, Block(gpu, "// layer 1:"));
    }

    [Fact]
    public void NestedNetwork_reopens_its_containing_type()
    {
        string network = Generate("NestedNetwork.cs").Part("Network");

        AssertLines("""
            namespace Dnn2Gp.Examples.Inputs
            {
                partial class NetworkZoo
                {
            """, Lines(network).Skip(4).Take(4));
    }

    [Theory]
    [InlineData("MnistMlp.cs")]
    [InlineData("TanhRegression.cs")]
    [InlineData("LogisticNet.cs")]
    [InlineData("DoubleNet.cs")]
    [InlineData("NestedNetwork.cs")]
    public void Every_file_has_the_auto_generated_header_and_no_usings(string input)
    {
        foreach (var source in Generate(input).GeneratedSources)
        {
            var lines = Lines(source.SourceText.ToString()).ToList();
            Assert.Equal("// <auto-generated/>", lines[0]);
            Assert.Equal("#nullable enable", lines[2]);
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("using ", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("#pragma", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.EndsWith(' ') || l.Contains('\t', StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GeneratedCode_attribute_marks_each_generated_type_exactly_once()
    {
        var result = Generate("MnistMlp.cs");

        // GeneratedCodeAttribute has AllowMultiple = false, and attributes on the parts of a partial type merge.
        int count = result.GeneratedSources.Sum(s => Lines(s.SourceText.ToString()).Count(l => l.Contains("GeneratedCode(\"Dnn2Gp.Generators\"", StringComparison.Ordinal)));
        Assert.Equal(1, count);
    }

    // ----- helpers -----

    private static IEnumerable<string> Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>The lines from the first one starting (trimmed) with <paramref name="start"/> up to the next blank line.</summary>
    private static IEnumerable<string> Block(string text, string start)
    {
        var lines = Lines(text).ToList();
        int first = lines.FindIndex(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal));
        Assert.True(first >= 0, $"No line starts with '{start}'.");
        return lines.Skip(first).TakeWhile(l => l.Trim().Length > 0);
    }

    /// <summary>The lines inside the braces of the member whose header starts with <paramref name="header"/>.</summary>
    private static IEnumerable<string> Body(string text, string header)
    {
        var lines = Lines(text).ToList();
        int first = lines.FindIndex(l => l.TrimStart().StartsWith(header, StringComparison.Ordinal));
        Assert.True(first >= 0, $"No line starts with '{header}'.");
        Assert.Equal("{", lines[first + 1].Trim());
        string indent = lines[first + 1].Substring(0, lines[first + 1].IndexOf('{', StringComparison.Ordinal));
        return lines.Skip(first + 2).TakeWhile(l => l != indent + "}");
    }

    /// <summary>Compares line by line after removing the common indentation of the actual lines.</summary>
    private static void AssertLines(string expected, IEnumerable<string> actual)
    {
        var lines = actual.ToList();
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        string dedented = string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
        Assert.Equal(expected.Replace("\r\n", "\n", StringComparison.Ordinal), dedented);
    }
}
