using System;
using System.Linq;
using Dnn2Gp.Generators.Helpers;
using Dnn2Gp.Generators.Model;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Parsing;

/// <summary>Shape inference through image layers: source text → <see cref="NetworkSpec"/>, compared by record equality.</summary>
public sealed class ConvolutionParserTests
{
    private static readonly HierarchyInfo InputsNamespace = new("Dnn2Gp.Examples.Inputs", EquatableArray<ParentType>.Empty);

    private static NetworkSpec Parse(string declaration) =>
        GeneratorHarness.Run($"using Dnn2Gp.Dsl;\nnamespace Dnn2Gp.Examples.Inputs;\n{declaration}").Spec;

    private static SpatialSpec Conv(int cin, int h, int w, int cout, int oh, int ow, int k, int s = 1, int p = 0, int d = 1) =>
        new(cin, h, w, cout, oh, ow, k, k, s, s, p, p, d, d);

    private static SpatialSpec Pool(int c, int h, int w, int oh, int ow, int k, int s) => new(c, h, w, c, oh, ow, k, k, s, s, 0, 0, 1, 1);

    [Fact]
    public void LeNet5_has_pytorch_shapes_module_indices_and_offsets()
    {
        var relu = OpKind.Relu;
        var expected = new NetworkSpec("LeNet5", "record", InputsNamespace, 784, ElementKind.Single,
            new[]
            {
                new LayerSpec(LayerKind.Conv2D, 784, 3456, true, OpKind.Identity, 0, 0, 0, Conv(1, 28, 28, 6, 24, 24, 5)),
                new LayerSpec(LayerKind.Activation, 3456, 3456, false, relu, 1, -1, 156),
                new LayerSpec(LayerKind.MaxPool2D, 3456, 864, false, OpKind.Identity, 2, -1, 156, Pool(6, 24, 24, 12, 12, 2, 2)),
                new LayerSpec(LayerKind.Conv2D, 864, 1024, true, OpKind.Identity, 3, 1, 156, Conv(6, 12, 12, 16, 8, 8, 5)),
                new LayerSpec(LayerKind.Activation, 1024, 1024, false, relu, 4, -1, 2572),
                new LayerSpec(LayerKind.MaxPool2D, 1024, 256, false, OpKind.Identity, 5, -1, 2572, Pool(16, 8, 8, 4, 4, 2, 2)),
                new LayerSpec(LayerKind.Flatten, 256, 256, false, OpKind.Identity, 6, -1, 2572),
                new LayerSpec(LayerKind.Dense, 256, 120, true, OpKind.Identity, 7, 2, 2572),
                new LayerSpec(LayerKind.Activation, 120, 120, false, relu, 8, -1, 33412),
                new LayerSpec(LayerKind.Dense, 120, 84, true, OpKind.Identity, 9, 3, 33412),
                new LayerSpec(LayerKind.Activation, 84, 84, false, relu, 10, -1, 43576),
                new LayerSpec(LayerKind.Dense, 84, 10, true, OpKind.Identity, 11, 4, 43576),
            }.ToEquatableArray(),
            new LossSpec(LossKind.Categorical, 0),
            new PriorSpec(PriorKind.Isotropic, new[] { 1e-4 }.ToEquatableArray()),
            new[] { 1, 28, 28 }.ToEquatableArray());

        var spec = GeneratorHarness.Run(GeneratorHarness.Input("LeNet5.cs")).Spec;

        Assert.Equal(expected, spec);
        Assert.Equal(44426, spec.ParameterCount);
        Assert.Equal(new[] { 150, 2400 }, spec.Layers.Where(l => l.Kind == LayerKind.Conv2D).Select(l => l.WeightCount));
        Assert.Equal(new[] { 6, 16 }, spec.Layers.Where(l => l.Kind == LayerKind.Conv2D).Select(l => l.BiasCount));
        Assert.False(spec.HasDropout);
    }

    [Fact]
    public void FROMP_cifar_net_flattens_to_2304_features()
    {
        var spec = Parse("""
            [Network(3, 32, 32)]
            [Conv2D(32, 3, Activation.Relu, Padding = 1)] [Conv2D(32, 3, Activation.Relu)] [MaxPool2D(2)] [Dropout(0.25)]
            [Conv2D(64, 3, Activation.Relu, Padding = 1)] [Conv2D(64, 3, Activation.Relu)] [MaxPool2D(2)] [Dropout(0.25)]
            [Flatten] [Dense(512, Activation.Relu)] [Dropout(0.5)] [Dense(60)]
            [CategoricalLikelihood]
            public partial record CifarNet;
            """);

        var convs = spec.Layers.Where(l => l.Kind == LayerKind.Conv2D).Select(l => l.Spatial).ToArray();
        Assert.Equal(new[]
        {
            Conv(3, 32, 32, 32, 32, 32, 3, p: 1), Conv(32, 32, 32, 32, 30, 30, 3), Conv(32, 15, 15, 64, 15, 15, 3, p: 1), Conv(64, 15, 15, 64, 13, 13, 3),
        }, convs);
        var dense = spec.Layers.First(l => l.Kind == LayerKind.Dense);
        Assert.Equal(2304, dense.InputWidth);
        Assert.Equal(3 * 32 * 9 + 32 + 32 * 32 * 9 + 32 + 32 * 64 * 9 + 64 + 64 * 64 * 9 + 64 + 2304 * 512 + 512 + 512 * 60 + 60, spec.ParameterCount);
        Assert.True(spec.HasDropout);
        Assert.Equal(new[] { 0.25, 0.25, 0.5 }, spec.Layers.Where(l => l.Kind == LayerKind.Dropout).Select(l => l.Rate));
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, spec.Layers.Where(l => l.IsParametrised).Select(l => l.DenseIndex));
    }

    [Theory]
    [InlineData("[Conv2D(2, 3, Stride = 2)]", 2, 4, 4)]                       // ⌊(9 − 3) / 2⌋ + 1, ⌊(10 − 3) / 2⌋ + 1
    [InlineData("[Conv2D(2, 3, Stride = 2, Padding = 1)]", 2, 5, 5)]
    [InlineData("[Conv2D(2, 3, Dilation = 2)]", 2, 5, 6)]
    [InlineData("[Conv2D(2, 1)]", 2, 9, 10)]
    [InlineData("[MaxPool2D(3)]", 1, 3, 3)]                                  // stride defaults to the kernel
    [InlineData("[AvgPool2D(2, Stride = 1)]", 1, 8, 9)]
    public void Output_sizes_follow_pytorch(string layer, int channels, int height, int width)
    {
        var spec = Parse($"[Network(1, 9, 10)] {layer} [Flatten] [Dense(2)] [CategoricalLikelihood] public partial record Net;");
        var image = spec.Layers[0].Spatial!;
        Assert.Equal((channels, height, width), (image.OutChannels, image.OutHeight, image.OutWidth));
        Assert.Equal(channels * height * width, spec.Layers.First(l => l.Kind == LayerKind.Dense).InputWidth);
    }

    [Fact]
    public void Flat_networks_keep_a_flat_input_shape_and_the_same_spec()
    {
        var spec = Parse("[Network(5)] [Dropout(0.1)] [Dense(3)] [GaussianLikelihood(1.0)] public partial record Flat;");
        Assert.False(spec.HasImageInput);
        Assert.Empty(spec.InputShape);
        Assert.Equal(LayerKind.Dropout, spec.Layers[0].Kind);
        Assert.Equal(5, spec.Layers[1].InputWidth);
        Assert.Equal(0, spec.Layers[1].DenseIndex);
    }
}
