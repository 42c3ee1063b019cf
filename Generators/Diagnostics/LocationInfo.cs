using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dnn2Gp.Generators.Diagnostics;

/// <summary>An equatable snapshot of a <see cref="Location"/>, so diagnostics can flow through the cached pipeline.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null) return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());
}
