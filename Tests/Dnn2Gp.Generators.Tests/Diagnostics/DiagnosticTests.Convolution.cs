using Xunit;
using static Dnn2Gp.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace Dnn2Gp.Generators.Tests.Diagnostics;

/// <summary>The diagnostics of image inputs, convolution, pooling, flatten and dropout: one test per ID, exact sets.</summary>
public sealed partial class DiagnosticTests
{
    private const string Head = "[Flatten] [Dense(2)] [CategoricalLikelihood]";

    [Fact]
    public void DNN2GP002_image_input_size_not_positive()
    {
        Verify($$"""
            [Network([|0|], 28, 28)] [Conv2D(2, 3)] {{Head}}
            public partial record NoChannels;

            [Network(1, [|height: -2|], 28)] [Conv2D(2, 3)] {{Head}}
            public partial record NegativeHeight;
            """,
            new ExpectedDiagnostic("DNN2GP002", 0, "The input channel count of network 'NoChannels' must be a positive integer, but it is 0"),
            new ExpectedDiagnostic("DNN2GP002", 1, "The input height of network 'NegativeHeight' must be a positive integer, but it is -2"));
    }

    [Fact]
    public void DNN2GP006_dropout_probability_out_of_range()
    {
        Verify($$"""
            [Network(4)] [Dense(3)] [Dropout([|1.0|])] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record AlwaysDropped;

            [Network(4)] [Dense(3)] [Dropout([|probability: -0.5|])] [Dense(1)] [GaussianLikelihood(1.0)]
            public partial record NegativeDrop;
            """,
            new ExpectedDiagnostic("DNN2GP006", 0, "The drop probability p of [Dropout] must be at least 0 and below 1, but it is 1"),
            new ExpectedDiagnostic("DNN2GP006", 1, "The drop probability p of [Dropout] must be at least 0 and below 1, but it is -0.5"));
    }

    [Fact]
    public void DNN2GP103_layerwise_prior_counts_convolutions()
    {
        Verify($$"""
            [Network(1, 6, 6)] [Conv2D(2, 3)] {{Head}} [LayerwiseGaussianPrior([|1.0|])]
            public partial record OnePrecisionForTwoLayers;
            """,
            new ExpectedDiagnostic("DNN2GP103", 0, "[LayerwiseGaussianPrior] gives 1 precision(s), but network 'OnePrecisionForTwoLayers' has 2 dense or convolution layer(s): give one per such layer"));
    }

    [Fact]
    public void DNN2GP104_too_many_convolution_parameters()
    {
        var result = Verify($$"""
            [Network(1000, 10, 10)] [Conv2D([|100000|], 5)] {{Head}}
            public partial record HugeConv;
            """,
            new ExpectedDiagnostic("DNN2GP104", 0, "Network 'HugeConv' would have 2500100000 parameters, more than a parameter vector can index (2147483647): make the layers narrower"));

        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void DNN2GP105_zero_channels_and_invalid_convolution_arguments()
    {
        Verify($$"""
            [Network(1, 8, 8)] [Conv2D([|0|], 3)] {{Head}}
            public partial record ZeroChannels;

            [Network(1, 8, 8)] [Conv2D(2, [|kernel: 0|])] {{Head}}
            public partial record ZeroKernel;

            [Network(1, 8, 8)] [Conv2D(2, 3, [|Stride = 0|])] {{Head}}
            public partial record ZeroStride;

            [Network(1, 8, 8)] [Conv2D(2, 3, Activation.Relu, [|Padding = -1|])] [MaxPool2D([|0|])] {{Head}}
            public partial record NegativePadding;

            [Network(1, 8, 8)] [Conv2D(2, 3, [|Dilation = 0|])] [AvgPool2D(2, [|Stride = -1|])] {{Head}}
            public partial record ZeroDilation;
            """,
            new ExpectedDiagnostic("DNN2GP105", 0, "The output channel count of [Conv2D] (layer 0 of network 'ZeroChannels') must be at least 1, but it is 0"),
            new ExpectedDiagnostic("DNN2GP105", 1, "The kernel size of [Conv2D] (layer 0 of network 'ZeroKernel') must be at least 1, but it is 0"),
            new ExpectedDiagnostic("DNN2GP105", 2, "The stride of [Conv2D] (layer 0 of network 'ZeroStride') must be at least 1, but it is 0"),
            new ExpectedDiagnostic("DNN2GP105", 3, "The padding of [Conv2D] (layer 0 of network 'NegativePadding') must be at least 0, but it is -1"),
            // The ReLU of the convolution is module 1, so the pooling layer is module 2.
            new ExpectedDiagnostic("DNN2GP105", 4, "The kernel size of [MaxPool2D] (layer 2 of network 'NegativePadding') must be at least 1, but it is 0"),
            new ExpectedDiagnostic("DNN2GP105", 5, "The dilation of [Conv2D] (layer 0 of network 'ZeroDilation') must be at least 1, but it is 0"),
            new ExpectedDiagnostic("DNN2GP105", 6, "The stride of [AvgPool2D] (layer 1 of network 'ZeroDilation') must be at least 1, but it is -1"));
    }

    [Fact]
    public void DNN2GP106_kernel_larger_than_its_input()
    {
        Verify($$"""
            [Network(1, 4, 6)] [Conv2D(2, [|5|])] {{Head}}
            public partial record TooBig;

            [Network(1, 6, 6)] [Conv2D(2, [|3|], Dilation = 3)] {{Head}}
            public partial record TooDilated;

            [Network(1, 4, 4)] [Conv2D(2, 3, Padding = 1)] [MaxPool2D(2)] [MaxPool2D(2)] [MaxPool2D([|2|])] {{Head}}
            public partial record PooledAway;
            """,
            new ExpectedDiagnostic("DNN2GP106", 0, "The window of [Conv2D] (layer 0 of network 'TooBig') spans 5×5 pixels, but its input is 4×6 pixels (padding included): use a smaller kernel or dilation, or more padding"),
            new ExpectedDiagnostic("DNN2GP106", 1, "The window of [Conv2D] (layer 0 of network 'TooDilated') spans 7×7 pixels, but its input is 6×6 pixels (padding included): use a smaller kernel or dilation, or more padding"),
            new ExpectedDiagnostic("DNN2GP106", 2, "The window of [MaxPool2D] (layer 3 of network 'PooledAway') spans 2×2 pixels, but its input is 1×1 pixels (padding included): use a smaller kernel or dilation, or more padding"));
    }

    [Fact]
    public void DNN2GP107_windows_do_not_tile_the_input_when_exact_division_is_asked_for()
    {
        Verify($$"""
            [Network(1, 28, 28)] [Conv2D(6, 5, [|Stride = 2|], ExactDivision = true)] {{Head}}
            public partial record OddStride;

            [Network(1, 5, 6)] [MaxPool2D([|2|], ExactDivision = true)] [Conv2D(2, 1)] {{Head}}
            public partial record OddHeight;
            """,
            new ExpectedDiagnostic("DNN2GP107", 0, "[Conv2D] (layer 0 of network 'OddStride') does not divide its input exactly along the height: 28 padded pixels less one window of 5 leave 23, not a multiple of the stride 2 (ExactDivision = true), so 1 pixel(s) would be dropped"),
            new ExpectedDiagnostic("DNN2GP107", 0, "[Conv2D] (layer 0 of network 'OddStride') does not divide its input exactly along the width: 28 padded pixels less one window of 5 leave 23, not a multiple of the stride 2 (ExactDivision = true), so 1 pixel(s) would be dropped"),
            new ExpectedDiagnostic("DNN2GP107", 1, "[MaxPool2D] (layer 0 of network 'OddHeight') does not divide its input exactly along the height: 5 padded pixels less one window of 2 leave 3, not a multiple of the stride 2 (ExactDivision = true), so 1 pixel(s) would be dropped"));
    }

    [Fact]
    public void DNN2GP107_not_reported_without_exact_division()
    {
        var result = Verify($$"""
            [Network(1, 28, 28)] [Conv2D(6, 5, Stride = 2)] [MaxPool2D(3)] {{Head}}
            public partial record FlooredLikePyTorch;
            """);

        // PyTorch floors: (28 − 5) / 2 + 1 = 12, then (12 − 3) / 3 + 1 = 4.
        Assert.Equal(6 * 4 * 4, Assert.Single(result.Specs).Layers[2].OutputWidth);
    }

    [Fact]
    public void DNN2GP108_flatten_missing_before_a_dense_layer_or_the_likelihood()
    {
        Verify("""
            [Network(1, 8, 8)] [Conv2D(2, 3, Activation.Relu)] [[|Dense(4)|]] [Dense(2)] [CategoricalLikelihood]
            public partial record NoFlatten;

            [Network(1, 8, 8)] [Conv2D(2, 3)] [MaxPool2D(2)] [[|CategoricalLikelihood|]]
            public partial record ImageOutput;
            """,
            new ExpectedDiagnostic("DNN2GP108", 0, "Dense layer 2 of network 'NoFlatten' needs flat features, but its input is an image [2, 6, 6]: add [Flatten] before it"),
            new ExpectedDiagnostic("DNN2GP108", 1, "The Categorical likelihood of network 'ImageOutput' needs flat features, but its input is an image [2, 3, 3]: add [Flatten] before it"));
    }

    [Fact]
    public void DNN2GP109_image_layer_on_flat_features()
    {
        Verify($$"""
            [Network(64)] [[|Conv2D(2, 3)|]] {{Head}}
            public partial record FlatInput;

            [Network(1, 8, 8)] [Conv2D(2, 3)] [Flatten] [[|AvgPool2D(2)|]] [Dense(2)] [CategoricalLikelihood]
            public partial record PoolAfterFlatten;

            [Network(1, 8, 8)] [Conv2D(2, 3)] [Flatten] [Dense(5)] [[|MaxPool2D(2)|]] [Dense(2)] [CategoricalLikelihood]
            public partial record PoolAfterDense;
            """,
            new ExpectedDiagnostic("DNN2GP109", 0, "[Conv2D] (layer 0 of network 'FlatInput') needs an image input [channels, height, width], but its input is 64 flat features: declare the input as [Network(channels, height, width)] and put the image layers before [Flatten]"),
            new ExpectedDiagnostic("DNN2GP109", 1, "[AvgPool2D] (layer 2 of network 'PoolAfterFlatten') needs an image input [channels, height, width], but its input is 72 flat features: declare the input as [Network(channels, height, width)] and put the image layers before [Flatten]"),
            new ExpectedDiagnostic("DNN2GP109", 2, "[MaxPool2D] (layer 3 of network 'PoolAfterDense') needs an image input [channels, height, width], but its input is 5 flat features: declare the input as [Network(channels, height, width)] and put the image layers before [Flatten]"));
    }

    [Fact]
    public void A_shape_error_is_reported_once_not_for_every_layer_after_it()
    {
        Verify("""
            [Network(1, 4, 4)] [Conv2D(2, [|7|])] [MaxPool2D(2)] [Conv2D(3, 3)] [Dense(4)] [CategoricalLikelihood]
            public partial record OneMistake;
            """,
            new ExpectedDiagnostic("DNN2GP106", 0, "The window of [Conv2D] (layer 0 of network 'OneMistake') spans 7×7 pixels, but its input is 4×4 pixels (padding included): use a smaller kernel or dilation, or more padding"));
    }
}
