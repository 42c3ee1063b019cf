using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dnn2Gp.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dnn2Gp.Cli;

/// <summary>
/// <c>dnn2gp inspect &lt;network&gt;</c>: prints a built-in network's layout table and the source the generator emits
/// for it. The source is produced by running the same generator in-process on the declarations this program was
/// built from (embedded as a resource), so what is printed is what was compiled.
/// </summary>
internal static class InspectCommand
{
    public static int Run(string name, bool layoutOnly)
    {
        var network = BuiltInNetworks.Find(name);
        if (network is null)
        {
            Console.Error.WriteLine($"Unknown network '{name}'. Built-in networks: {BuiltInNetworks.Names}.");
            return 2;
        }
        Console.WriteLine($"// {network.TypeName}: {network.Description}");
        Console.WriteLine($"// {network.ParameterCount:N0} parameters:");
        foreach (string line in network.Layout.ToString().TrimEnd('\n').Split('\n')) Console.WriteLine("//   " + line);
        if (layoutOnly) return 0;

        foreach (var (hintName, text) in Generate(network.TypeName))
        {
            Console.WriteLine();
            Console.WriteLine($"// ===== {hintName} =====");
            Console.Write(text);
        }
        return 0;
    }

    private static IEnumerable<(string HintName, string Text)> Generate(string typeName)
    {
        using var stream = typeof(InspectCommand).Assembly.GetManifestResourceStream("Dnn2Gp.Cli.Networks.cs")
            ?? throw new InvalidOperationException("The embedded network declarations are missing from this build.");
        string source = new StreamReader(stream).ReadToEnd();
        string? assemblies = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string;
        if (string.IsNullOrEmpty(assemblies))
        {
            throw new InvalidOperationException("inspect needs the framework's reference assemblies, which a single-file build does not expose; run it with 'dotnet run' or from a normal build.");
        }
        var references = assemblies.Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Inspect",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Networks.cs")],
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create(new NetworkGenerator()).RunGenerators(compilation);
        return driver.GetRunResult().Results
            .SelectMany(r => r.GeneratedSources)
            .Where(s => s.HintName.Contains("." + typeName + ".", StringComparison.Ordinal))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => (s.HintName, s.SourceText.ToString()))
            .ToList();
    }
}
