using Dnn2Gp.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Dnn2Gp.Generators.Diagnostics;

/// <summary>An equatable diagnostic: its descriptor, where it points and its message arguments.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
    {
        var args = new string[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            args[i] = arguments[i] switch
            {
                double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                System.IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                null => "null",
                var o => o.ToString() ?? "",
            };
        }
        return new DiagnosticInfo(descriptor, location, args.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic()
    {
        var args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++) args[i] = Arguments[i];
        return Diagnostic.Create(Descriptor, Location?.ToLocation(), args);
    }
}

internal static class DiagnosticInfoExtensions
{
    public static void Report(this EquatableArray<DiagnosticInfo> diagnostics, SourceProductionContext context)
    {
        foreach (var d in diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
    }
}
