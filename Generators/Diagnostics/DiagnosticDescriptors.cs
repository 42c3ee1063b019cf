using Microsoft.CodeAnalysis;

namespace Dnn2Gp.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, in ID order. Ranges: 001–099 declaration errors, 100–199 shape errors,
/// 200–299 unsupported combinations, 300+ performance warnings. Each ID is listed in AnalyzerReleases.*.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "Dnn2Gp.Declaration";
    private const string Shape = "Dnn2Gp.Shape";
    private const string Combination = "Dnn2Gp.Combination";

    /// <summary>DNN2GP001: The network record '{0}' must be declared partial so the generator can add its members</summary>
    public static readonly DiagnosticDescriptor NetworkNotPartial = new(
        "DNN2GP001", "Network type must be partial",
        "The network record '{0}' must be declared partial so the generator can add its members (add the 'partial' modifier{1})",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The generator emits the network's code into the same record, which needs every declaration of it, and of its containing types, to be partial.");

    /// <summary>DNN2GP002: The {1} of network '{0}' must be a positive integer, but it is {2}</summary>
    public static readonly DiagnosticDescriptor InvalidInputSize = new(
        "DNN2GP002", "Invalid input size",
        "The {1} of network '{0}' must be a positive integer, but it is {2}",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Network(input)] takes the number of input features per example, and [Network(channels, height, width)] the shape of an input image; every size must be at least 1.");

    /// <summary>DNN2GP003: Network '{0}' has no dense layer: add at least one [Dense(width)] attribute</summary>
    public static readonly DiagnosticDescriptor EmptyNetwork = new(
        "DNN2GP003", "Network has no layers",
        "Network '{0}' has no dense layer: add at least one [Dense(width)] attribute",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A network needs at least one dense layer; activations alone have no parameters.");

    /// <summary>DNN2GP004: Network '{0}' has no likelihood: add one of [GaussianLikelihood(sigma)], [BernoulliLikelihood] or [CategoricalLikelihood]</summary>
    public static readonly DiagnosticDescriptor MissingLikelihood = new(
        "DNN2GP004", "Network has no likelihood",
        "Network '{0}' has no likelihood: add one of [GaussianLikelihood(sigma)], [BernoulliLikelihood] or [CategoricalLikelihood]",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The likelihood defines the loss, its gradient and the output Hessian; every network declares exactly one.");

    /// <summary>DNN2GP005: Network '{0}' declares more than one {1}: keep exactly one</summary>
    public static readonly DiagnosticDescriptor DuplicateDeclaration = new(
        "DNN2GP005", "More than one likelihood or prior",
        "Network '{0}' declares more than one {1}: keep exactly one",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A network has exactly one likelihood and at most one prior.");

    /// <summary>DNN2GP006: {0} must be {1}, but it is {2}</summary>
    public static readonly DiagnosticDescriptor InvalidHyperparameter = new(
        "DNN2GP006", "Invalid hyperparameter",
        "{0} must be {1}, but it is {2}",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Noise σ must be positive and finite; prior precisions δ must be non-negative and finite.");

    /// <summary>DNN2GP007: The argument '{0}' of [{1}] could not be read: {2}</summary>
    public static readonly DiagnosticDescriptor InvalidAttributeArgument = new(
        "DNN2GP007", "Invalid attribute argument",
        "The argument '{0}' of [{1}] could not be read: {2}",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "An attribute argument is missing, has the wrong type or is not a compile-time constant.");

    /// <summary>DNN2GP008: Network '{0}' needs a reference to the Dnn2Gp.Runtime assembly, whose types the generated code uses</summary>
    public static readonly DiagnosticDescriptor RuntimeNotReferenced = new(
        "DNN2GP008", "Dnn2Gp.Runtime is not referenced",
        "Network '{0}' needs a reference to the Dnn2Gp.Runtime assembly, whose types the generated code uses (add a reference to the Dnn2Gp.Runtime package or project)",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The generated code calls Dnn2Gp.Runtime (GEMM, ops, likelihoods); without it nothing can be emitted.");

    /// <summary>DNN2GP009: Network '{0}' cannot be generic: declare a non-generic partial record</summary>
    public static readonly DiagnosticDescriptor GenericNetwork = new(
        "DNN2GP009", "Generic network types are not supported",
        "Network '{0}' cannot be generic: declare a non-generic partial record",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Every shape must be known at compile time; a generic network record has nothing to specialise on.");

    /// <summary>DNN2GP010: Network '{0}' cannot be static: the generated code implements an interface on it</summary>
    public static readonly DiagnosticDescriptor StaticNetwork = new(
        "DNN2GP010", "Network type cannot be static",
        "Network '{0}' cannot be static: the generated code implements an interface on it (remove the 'static' modifier)",
        Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A network type implements INetwork<TSelf, T>, which a static type cannot.");

    /// <summary>DNN2GP101: Layer {0} of network '{1}' must have a positive width, but it is {2}</summary>
    public static readonly DiagnosticDescriptor InvalidLayerWidth = new(
        "DNN2GP101", "Invalid layer width",
        "Layer {0} of network '{1}' must have a positive width, but it is {2}",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A dense layer's width is its number of outputs, at least 1.");

    /// <summary>DNN2GP102: The {0} likelihood needs {1} network output(s), but network '{2}' ends with a layer of width {3}</summary>
    public static readonly DiagnosticDescriptor LikelihoodOutputMismatch = new(
        "DNN2GP102", "Output width does not fit the likelihood",
        "The {0} likelihood needs {1} network output(s), but network '{2}' ends with a layer of width {3}",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Bernoulli needs exactly one output (the logit); categorical needs at least two (one logit per class).");

    /// <summary>DNN2GP103: [LayerwiseGaussianPrior] gives {0} precision(s), but network '{1}' has {2} dense or convolution layer(s): give one per such layer</summary>
    public static readonly DiagnosticDescriptor LayerwisePriorCountMismatch = new(
        "DNN2GP103", "Per-layer prior does not match the layers",
        "[LayerwiseGaussianPrior] gives {0} precision(s), but network '{1}' has {2} dense or convolution layer(s): give one per such layer",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A per-layer prior has one precision for each parametrised (dense or convolution) layer, in layer order.");

    /// <summary>DNN2GP104: Network '{0}' would have {1} parameters, more than a parameter vector can index ({2})</summary>
    public static readonly DiagnosticDescriptor TooManyParameters = new(
        "DNN2GP104", "Too many parameters",
        "Network '{0}' would have {1} parameters, more than a parameter vector can index ({2}): make the layers narrower",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Parameters live in one flat span, indexed by int; the total must stay within int.MaxValue.");

    /// <summary>DNN2GP105: The {0} of [{1}] (layer {2} of network '{3}') must be {4}, but it is {5}</summary>
    public static readonly DiagnosticDescriptor InvalidSpatialArgument = new(
        "DNN2GP105", "Invalid convolution or pooling argument",
        "The {0} of [{1}] (layer {2} of network '{3}') must be {4}, but it is {5}",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Output channels, kernel sizes, strides and dilations are at least 1; padding is at least 0.");

    /// <summary>DNN2GP106: The window of [{0}] (layer {1} of network '{2}') spans {3}×{3} pixels, but its input is {4}×{5} pixels (padding included)</summary>
    public static readonly DiagnosticDescriptor KernelLargerThanInput = new(
        "DNN2GP106", "Kernel larger than its input",
        "The window of [{0}] (layer {1} of network '{2}') spans {3}×{3} pixels, but its input is {4}×{5} pixels (padding included): use a smaller kernel or dilation, or more padding",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A convolution or pooling window (dilation·(kernel − 1) + 1 pixels) must fit in its padded input, or the layer has no output.");

    /// <summary>DNN2GP107: [{0}] (layer {1} of network '{2}') does not divide its input exactly along the {3}: ...</summary>
    public static readonly DiagnosticDescriptor InexactDivision = new(
        "DNN2GP107", "Windows do not tile the input exactly",
        "[{0}] (layer {1} of network '{2}') does not divide its input exactly along the {3}: {4} padded pixels less one window of {5} leave {6}, not a multiple of the stride {7} (ExactDivision = true), so {8} pixel(s) would be dropped",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "With ExactDivision = true, (input + 2·padding − dilation·(kernel − 1) − 1) must be a multiple of the stride, instead of the output size being floored as PyTorch does.");

    /// <summary>DNN2GP108: {0} of network '{1}' needs flat features, but its input is an image [{2}]: add [Flatten] before it</summary>
    public static readonly DiagnosticDescriptor FlattenMissing = new(
        "DNN2GP108", "Flatten missing before a dense layer",
        "{0} of network '{1}' needs flat features, but its input is an image [{2}]: add [Flatten] before it",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Dense layers and likelihoods take flat features; an image [channels, height, width] becomes flat through [Flatten].");

    /// <summary>DNN2GP109: [{0}] (layer {1} of network '{2}') needs an image input [channels, height, width], but its input is {3} flat features</summary>
    public static readonly DiagnosticDescriptor ImageLayerOnFlatInput = new(
        "DNN2GP109", "Image layer on flat features",
        "[{0}] (layer {1} of network '{2}') needs an image input [channels, height, width], but its input is {3} flat features: declare the input as [Network(channels, height, width)] and put the image layers before [Flatten]",
        Shape, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Convolution and pooling layers work on images; a network has an image input when declared as [Network(channels, height, width)], until a [Flatten] or dense layer.");

    /// <summary>DNN2GP201: {0} is not a known {1} value</summary>
    public static readonly DiagnosticDescriptor UnknownEnumValue = new(
        "DNN2GP201", "Unknown enum value",
        "{0} is not a known {1} value",
        Combination, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "An enum argument was cast from an integer that names no member; the generator cannot emit code for it.");

    /// <summary>DNN2GP202: Network '{0}' ends with a {1} activation before the {2} likelihood, which applies its own link: the output is squashed twice</summary>
    public static readonly DiagnosticDescriptor ActivationBeforeLink = new(
        "DNN2GP202", "Output activation before a likelihood with a link",
        "Network '{0}' ends with a {1} activation before the {2} likelihood, which applies its own link: the output is squashed twice (remove the final activation)",
        Combination, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Bernoulli and categorical likelihoods take logits and apply sigmoid/softmax themselves; a final activation is almost always a mistake.");
}
