using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Emitting;
using Dnn2Gp.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dnn2Gp.Generators;

/// <summary>
/// Generates shape-specialised network code for every <c>[Network]</c> record: parse (symbols → equatable spec and
/// diagnostics), then emit. Wiring only; the work lives in Parsing/ and Emitting/.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider.Select(GeneratorOptions.Read);

        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownTypeNames.NetworkAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => NetworkParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        var diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        var models = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(diagnostics, static (spc, d) => d.Report(spc));
        context.RegisterSourceOutput(models.Combine(options), static (spc, pair) => Emit.All(spc, pair.Left!, pair.Right));
    }
}
