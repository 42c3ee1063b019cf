using System.Globalization;
using Dnn2Gp.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>The one place numbers become C# text: culture-invariant, round-trippable, non-finite values spelled out.</summary>
internal static class Literals
{
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    public static string Float(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>A type name as C# source: a keyword used as a name (<c>event</c>) gets its verbatim <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;

    /// <summary>The C# keyword of an element type.</summary>
    public static string Type(ElementKind element) => element == ElementKind.Double ? "double" : "float";

    /// <summary>The literal one in an element type.</summary>
    public static string One(ElementKind element) => element == ElementKind.Double ? "1.0" : "1f";

    /// <summary>The literal zero in an element type.</summary>
    public static string Zero(ElementKind element) => element == ElementKind.Double ? "0.0" : "0f";
}
