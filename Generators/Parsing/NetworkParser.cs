using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Helpers;
using Dnn2Gp.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dnn2Gp.Generators.Parsing;

/// <summary>
/// Turns one <c>[Network]</c> declaration into a <see cref="NetworkSpec"/> or diagnostics. The only place that
/// sees symbols and syntax. All validation and shape inference happen here; the emitters assume a valid spec.
/// Never throws on malformed input: every malformed declaration ends as a diagnostic.
/// </summary>
internal static class NetworkParser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (context.TargetSymbol is not INamedTypeSymbol symbol || context.TargetNode is not TypeDeclarationSyntax node)
        {
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }
        // [Network] on two partial declarations is CS0579; each would parse to the same spec and emit the same files.
        if (symbol.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.NetworkAttribute) > 1)
        {
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }
        string name = symbol.Name;
        var identifier = LocationInfo.From(node.Identifier.GetLocation());

        CheckDeclaration(symbol, node, name, identifier, diagnostics);

        var network = new AttributeReader(context.Attributes[0], ct);
        if (context.SemanticModel.Compilation.GetTypeByMetadataName(KnownTypeNames.RuntimeNetworkInterface) is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RuntimeNotReferenced, network.Location, name));
        }
        var inputShape = ReadInputShape(network, name, diagnostics);
        int inputSize = inputShape.Size;
        var element = ReadEnum<ElementKind>(network.Named("Precision"), network.NamedArgumentLocation("Precision"), KnownTypeNames.ElementType, diagnostics) ?? ElementKind.Single;

        // Every other attribute on the record, in source order: the order of the layers is the order they are written.
        var attributes = symbol.GetAttributes()
            .Where(a => a.ApplicationSyntaxReference is not null && a.AttributeClass is { TypeKind: not TypeKind.Error })
            .OrderBy(a => a.ApplicationSyntaxReference!.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(a => a.ApplicationSyntaxReference!.Span.Start)
            .ToList();

        var stack = new LayerStack(name, diagnostics, Math.Max(inputSize, 1), inputShape.Image);
        if (inputShape.InvalidImage) stack.ShapeLost();
        var layers = stack.Layers;
        var losses = new List<(LossSpec Spec, AttributeReader Reader)>();
        var priors = new List<(PriorSpec Spec, AttributeReader Reader, int Count)>();

        foreach (var attribute in attributes)
        {
            ct.ThrowIfCancellationRequested();
            var reader = new AttributeReader(attribute, ct);
            switch (attribute.AttributeClass!.ToDisplayString())
            {
                case KnownTypeNames.DenseAttribute:
                {
                    int layerWidth = ReadWidth(reader, layers.Count, name, diagnostics);
                    var activation = ReadEnum<OpKind>(reader.Constructor(1), reader.ArgumentLocation(1, "activation"), KnownTypeNames.Activation, diagnostics) ?? OpKind.Identity;
                    bool bias = reader.Named("Bias")?.Value is bool b ? b : true;
                    stack.RequireFlat($"Dense layer {stack.Module}", reader.Location);
                    if (!stack.AddParameters((long)stack.Width * layerWidth + (bias ? layerWidth : 0), reader.ArgumentLocation(0, "width")))
                    {
                        return new ParseResult(null, diagnostics.ToEquatableArray());
                    }
                    stack.AddParametrised(LayerKind.Dense, layerWidth, bias, null);
                    stack.AddActivation(activation);
                    break;
                }
                case KnownTypeNames.ActivationLayerAttribute:
                {
                    var activation = reader.Constructor(0) is null
                        ? Missing<OpKind>(reader, 0, "activation", diagnostics)
                        : ReadEnum<OpKind>(reader.Constructor(0), reader.ArgumentLocation(0, "activation"), KnownTypeNames.Activation, diagnostics);
                    stack.AddActivationLayer(activation ?? OpKind.Identity);
                    break;
                }
                case KnownTypeNames.Conv2DAttribute:
                    if (!SpatialLayerParser.Conv2D(reader, stack))
                    {
                        return new ParseResult(null, diagnostics.ToEquatableArray());
                    }
                    break;
                case KnownTypeNames.MaxPool2DAttribute:
                    SpatialLayerParser.Pool(reader, stack, LayerKind.MaxPool2D);
                    break;
                case KnownTypeNames.AvgPool2DAttribute:
                    SpatialLayerParser.Pool(reader, stack, LayerKind.AvgPool2D);
                    break;
                case KnownTypeNames.FlattenAttribute:
                    stack.AddFlatten();
                    break;
                case KnownTypeNames.DropoutAttribute:
                {
                    double rate = ReadDouble(reader, 0, "probability", diagnostics) ?? 0.0;
                    if (!(rate >= 0 && rate < 1))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, reader.ArgumentLocation(0, "probability"),
                            "The drop probability p of [Dropout]", "at least 0 and below 1", rate));
                        rate = 0.0;
                    }
                    stack.AddDropout(rate);
                    break;
                }
                case KnownTypeNames.GaussianLikelihoodAttribute:
                {
                    double sigma = ReadDouble(reader, 0, "sigma", diagnostics) ?? 1.0;
                    if (!(sigma > 0) || double.IsInfinity(sigma))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, reader.ArgumentLocation(0, "sigma"),
                            "The noise standard deviation σ of [GaussianLikelihood]", "positive and finite", sigma));
                    }
                    losses.Add((new LossSpec(LossKind.Gaussian, sigma), reader));
                    break;
                }
                case KnownTypeNames.BernoulliLikelihoodAttribute:
                    losses.Add((new LossSpec(LossKind.Bernoulli, 0), reader));
                    break;
                case KnownTypeNames.CategoricalLikelihoodAttribute:
                    losses.Add((new LossSpec(LossKind.Categorical, 0), reader));
                    break;
                case KnownTypeNames.IsotropicGaussianPriorAttribute:
                {
                    double precision = ReadDouble(reader, 0, "precision", diagnostics) ?? 0.0;
                    CheckPrecision(precision, "The precision δ of [IsotropicGaussianPrior]", reader.ArgumentLocation(0, "precision"), diagnostics);
                    priors.Add((new PriorSpec(PriorKind.Isotropic, new[] { precision }.ToEquatableArray()), reader, 1));
                    break;
                }
                case KnownTypeNames.LayerwiseGaussianPriorAttribute:
                {
                    var values = reader.ConstructorArray(0);
                    var precisions = new List<double>();
                    if (values is null)
                    {
                        Missing<int>(reader, 0, "precisions", diagnostics);
                    }
                    else
                    {
                        foreach (var value in values.Value)
                        {
                            double precision = value.Value is double d ? d : Convert.ToDouble(value.Value, System.Globalization.CultureInfo.InvariantCulture);
                            CheckPrecision(precision, $"Precision {precisions.Count} of [LayerwiseGaussianPrior]", reader.ArgumentLocation(precisions.Count, "precisions"), diagnostics);
                            precisions.Add(precision);
                        }
                    }
                    priors.Add((new PriorSpec(PriorKind.Layerwise, precisions.ToEquatableArray()), reader, values is null ? -1 : precisions.Count));
                    break;
                }
            }
        }

        int dense = stack.ParametrisedCount;
        if (dense == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyNetwork, network.Location, name));
        }
        if (losses.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingLikelihood, identifier, name));
        }
        foreach (var extra in losses.Skip(1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateDeclaration, extra.Reader.Location, name, "likelihood"));
        }
        foreach (var extra in priors.Skip(1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateDeclaration, extra.Reader.Location, name, "prior"));
        }

        var loss = losses.Count > 0 ? losses[0].Spec : null;
        // An invalid width was replaced by 1 to keep inferring shapes; judging the output width on it would report a second, spurious error.
        bool widthError = !stack.ShapeKnown || diagnostics.Any(d => d.Descriptor.Id == DiagnosticDescriptors.InvalidLayerWidth.Id || d.Descriptor.Id == DiagnosticDescriptors.InvalidAttributeArgument.Id);
        if (loss is not null && dense > 0 && !widthError)
        {
            stack.RequireFlat($"The {loss.Kind} likelihood", losses[0].Reader.Location);
            if (stack.ShapeKnown) CheckOutputWidth(loss, losses[0].Reader, name, stack.Width, layers, diagnostics);
        }
        var prior = priors.Count > 0 ? priors[0].Spec : new PriorSpec(PriorKind.Isotropic, new[] { 0.0 }.ToEquatableArray());
        if (priors.Count > 0 && prior.Kind == PriorKind.Layerwise && priors[0].Count >= 0 && priors[0].Count != dense)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerwisePriorCountMismatch, priors[0].Reader.ArgumentLocation(0, "precisions"), priors[0].Count, name, dense));
        }

        bool hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        var spec = hasErrors || loss is null
            ? null
            : new NetworkSpec(name, Keyword(node), Hierarchy(symbol), inputSize, element, layers.ToEquatableArray(), loss, prior,
                inputShape.Image is { } image ? new[] { image.Channels, image.Height, image.Width }.ToEquatableArray() : default);
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    private static void CheckDeclaration(INamedTypeSymbol symbol, TypeDeclarationSyntax node, string name, LocationInfo? identifier, List<DiagnosticInfo> diagnostics)
    {
        if (!node.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, identifier, name, ""));
        }
        for (var parent = node.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, LocationInfo.From(parent.Identifier.GetLocation()), name,
                    $" to its containing type '{parent.Identifier.ValueText}' too"));
            }
        }
        if (symbol.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticNetwork, identifier, name));
        }
        if (symbol.IsGenericType || symbol.ContainingType?.IsGenericType == true)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNetwork, identifier, name));
        }
    }

    private static (int Size, ImageShape? Image, bool InvalidImage) ReadInputShape(AttributeReader network, string name, List<DiagnosticInfo> diagnostics)
    {
        if (network.IsBound && network.ConstructorCount == 3)
        {
            string[] parameters = { "channels", "height", "width" };
            string[] what = { "input channel count", "input height", "input width" };
            var sizes = new int[3];
            bool valid = true;
            for (int i = 0; i < 3; i++)
            {
                var value = network.Constructor(i);
                if (value is null)
                {
                    Missing<int>(network, i, parameters[i], diagnostics);
                    valid = false;
                    continue;
                }
                sizes[i] = value.Value.Value is int v ? v : 0;
                if (sizes[i] <= 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputSize, network.ArgumentLocation(i, parameters[i]), name, what[i], sizes[i]));
                    valid = false;
                }
            }
            if (!valid) return (0, null, true);
            long size = (long)sizes[0] * sizes[1] * sizes[2];
            if (size > int.MaxValue)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputSize, network.Location, name, "input size (channels · height · width)", size));
                return (0, null, true);
            }
            return ((int)size, new ImageShape(sizes[0], sizes[1], sizes[2]), false);
        }
        var input = network.Constructor(0);
        if (input is null)
        {
            Missing<int>(network, 0, "input", diagnostics);
            return (0, null, false);
        }
        int features = input.Value.Value is int f ? f : 0;
        if (features <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputSize, network.ArgumentLocation(0, "input"), name, "input size", features));
        }
        return (features, null, false);
    }

    private static int ReadWidth(AttributeReader reader, int layerIndex, string name, List<DiagnosticInfo> diagnostics)
    {
        var value = reader.Constructor(0);
        if (value is null)
        {
            Missing<int>(reader, 0, "width", diagnostics);
            return 1;
        }
        int width = value.Value.Value is int w ? w : 0;
        if (width <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerWidth, reader.ArgumentLocation(0, "width"), layerIndex, name, width));
            return 1;
        }
        return width;
    }

    internal static double? ReadDouble(AttributeReader reader, int position, string parameter, List<DiagnosticInfo> diagnostics)
    {
        var value = reader.Constructor(position);
        if (value?.Value is double d) return d;
        Missing<int>(reader, position, parameter, diagnostics);
        return null;
    }

    internal static T? Missing<T>(AttributeReader reader, int position, string parameter, List<DiagnosticInfo> diagnostics) where T : struct
    {
        string why = reader.IsBound ? "it is missing or not a constant of the right type" : "the arguments do not match any constructor of the attribute";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttributeArgument, reader.ArgumentLocation(position, parameter), parameter, reader.DisplayName, why));
        return null;
    }

    internal static T? ReadEnum<T>(TypedConstant? value, LocationInfo? location, string enumName, List<DiagnosticInfo> diagnostics) where T : struct, Enum
    {
        if (value?.Value is not int raw) return null;
        if (!Enum.IsDefined(typeof(T), raw))
        {
            string shortName = enumName.Substring(enumName.LastIndexOf('.') + 1);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, location, $"({shortName}){raw}", shortName));
            return null;
        }
        return (T)(object)raw;
    }

    private static void CheckPrecision(double precision, string what, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        if (!(precision >= 0) || double.IsInfinity(precision))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHyperparameter, location, what, "non-negative and finite", precision));
        }
    }

    private static void CheckOutputWidth(LossSpec loss, AttributeReader reader, string name, int outputs, List<LayerSpec> layers, List<DiagnosticInfo> diagnostics)
    {
        string? need = loss.Kind switch
        {
            LossKind.Bernoulli when outputs != 1 => "exactly 1",
            LossKind.Categorical when outputs < 2 => "at least 2",
            _ => null,
        };
        string likelihood = loss.Kind.ToString();
        if (need is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LikelihoodOutputMismatch, reader.Location, likelihood, need, name, outputs));
        }
        var last = layers[layers.Count - 1];
        if (loss.Kind != LossKind.Gaussian && last.Kind == LayerKind.Activation && last.Activation != OpKind.Identity)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActivationBeforeLink, reader.Location, name, last.Activation.ToString(), likelihood));
        }
    }

    private static string Keyword(TypeDeclarationSyntax node) => node switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        _ => "class",
    };

    private static HierarchyInfo Hierarchy(INamedTypeSymbol symbol)
    {
        var parents = new List<ParentType>();
        for (var parent = symbol.ContainingType; parent is not null; parent = parent.ContainingType)
        {
            string keyword = parent.IsRecord
                ? (parent.IsValueType ? "record struct" : "record")
                : parent.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Interface => "interface", _ => "class" };
            parents.Insert(0, new ParentType(keyword, parent.Name));
        }
        string ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new HierarchyInfo(ns, parents.ToEquatableArray());
    }
}
