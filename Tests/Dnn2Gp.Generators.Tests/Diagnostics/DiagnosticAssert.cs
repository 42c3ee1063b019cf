using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Diagnostics;

/// <summary>An expected diagnostic: its ID, the index of the marked span it must cover exactly, and its message.</summary>
internal sealed record ExpectedDiagnostic(string Id, int Span, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error);

/// <summary>
/// Runs the generator on marked-up source and asserts the exact set of generator diagnostics: ID, severity, file,
/// line and column span, the covered text and the message (Mapperly's <c>HaveDiagnostics</c> plus
/// <c>HaveAssertedAllDiagnostics</c>).
/// </summary>
internal static class DiagnosticAssert
{
    public const string Usings = "using Dnn2Gp.Dsl;\n\nnamespace Dnn2Gp.Examples.Inputs;\n\n";

    public static HarnessResult Verify(string markup, params ExpectedDiagnostic[] expected) =>
        Verify(markup, referenceRuntime: true, expected);

    public static HarnessResult Verify(string markup, bool referenceRuntime, params ExpectedDiagnostic[] expected)
    {
        var source = Markup.Parse(Usings + markup);
        var result = GeneratorHarness.Run(new[] { new SourceFile("Network.cs", source.Text) }, referenceRuntime);
        Assert.Null(result.Exception);

        var expectedLines = expected.Select(e => Describe(e.Id, e.Severity, "Network.cs", source, source.Spans[e.Span].Start, source.Spans[e.Span].End, e.Message));
        var actualLines = result.GeneratorDiagnostics.Select(d => Describe(
            d.Id, d.Severity, FilePath(d.Location), source, d.Location.SourceSpan.Start, d.Location.SourceSpan.End,
            d.GetMessage(CultureInfo.InvariantCulture)));

        Assert.Equal(Sorted(expectedLines), Sorted(actualLines));
        return result;
    }

    /// <summary>
    /// The file of a location. The generator's diagnostics travel as equatable LocationInfo and come back as external
    /// file locations (no SourceTree), so the path comes from the line span.
    /// </summary>
    private static string FilePath(Location location) =>
        location.SourceTree?.FilePath ?? (location.Kind == LocationKind.None ? "<no location>" : location.GetLineSpan().Path);

    private static string Describe(string id, DiagnosticSeverity severity, string file, Markup source, int start, int end, string message)
    {
        var (line, column) = source.Position(start);
        var (endLine, endColumn) = source.Position(end);
        string covered = start >= 0 && end <= source.Text.Length ? source.Text.Substring(start, end - start) : "?";
        return $"{id} {severity} {file}({line},{column})-({endLine},{endColumn}) `{covered}`: {message}";
    }

    private static List<string> Sorted(IEnumerable<string> lines) => lines.OrderBy(l => l, System.StringComparer.Ordinal).ToList();
}
