using System;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Dnn2Gp.Generators.Tests.Infrastructure;

/// <summary>
/// Source text with marked spans, as in Roslyn's analyzer tests: <c>[|0|]</c> marks the span a diagnostic must cover.
/// Spans are numbered in the order their opening marker appears; markers do not nest.
/// </summary>
internal sealed record Markup(string Text, ImmutableArray<TextSpan> Spans)
{
    public static Markup Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var spans = ImmutableArray.CreateBuilder<TextSpan>();
        int open = -1;
        for (int i = 0; i < markup.Length; i++)
        {
            if (string.CompareOrdinal(markup, i, "[|", 0, 2) == 0)
            {
                if (open >= 0) throw new ArgumentException("Nested [| markers are not supported.", nameof(markup));
                open = text.Length;
                i++;
            }
            else if (string.CompareOrdinal(markup, i, "|]", 0, 2) == 0)
            {
                if (open < 0) throw new ArgumentException("|] without [|.", nameof(markup));
                spans.Add(TextSpan.FromBounds(open, text.Length));
                open = -1;
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }
        if (open >= 0) throw new ArgumentException("[| without |].", nameof(markup));
        return new Markup(text.ToString(), spans.ToImmutable());
    }

    /// <summary>The marked text of span <paramref name="index"/>.</summary>
    public string this[int index] => Text.Substring(Spans[index].Start, Spans[index].Length);

    /// <summary>The 1-based line and column of a position.</summary>
    public (int Line, int Column) Position(int offset)
    {
        var lines = SourceText.From(Text).Lines;
        var position = lines.GetLinePosition(offset);
        return (position.Line + 1, position.Character + 1);
    }
}
