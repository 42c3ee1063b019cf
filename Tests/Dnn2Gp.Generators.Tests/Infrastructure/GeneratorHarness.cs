using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Dnn2Gp.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="NetworkGenerator"/> over source texts through Roslyn's <see cref="CSharpGeneratorDriver"/>.
/// Every run is also a caching test: the driver runs a second time on <c>compilation.Clone()</c> and every tracked
/// step must report equal, cached outputs; the model and parse outputs must hold no Roslyn object (STJ's
/// <c>SourceGenModelDoesNotEncapsulateSymbolsOrCompilationData</c>).
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>C# latest, as the solution builds with.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> AllReferences = new(LoadReferences);

    /// <summary>The names of the steps the generator tracks (the const fields of <see cref="TrackingNames"/>).</summary>
    public static IReadOnlyList<string> TrackedStepNames { get; } = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Runs the generator over <paramref name="sources"/>, named <c>Source0.cs</c>, <c>Source1.cs</c>, ...</summary>
    public static HarnessResult Run(params string[] sources) =>
        Run(sources.Select((text, i) => new SourceFile($"Source{i}.cs", text)).ToArray());

    /// <summary>Runs the generator over files with explicit paths.</summary>
    public static HarnessResult Run(params SourceFile[] files) => Run(files, referenceRuntime: true);

    /// <summary>Runs the generator; without <paramref name="referenceRuntime"/> the compilation lacks Dnn2Gp.Runtime.</summary>
    public static HarnessResult Run(IReadOnlyList<SourceFile> files, bool referenceRuntime)
    {
        var compilation = CreateCompilation(files, referenceRuntime);
        GeneratorDriver driver = CreateDriver();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var result = new HarnessResult(compilation, output, run, generatorDiagnostics);

        if (result.Exception is null)
        {
            var rerun = driver.RunGenerators((CSharpCompilation)compilation.Clone()).GetRunResult();
            AssertCachedRerun(run, rerun);
            AssertNoRoslynObjects(run);
        }
        return result;
    }

    /// <summary>A compilation of <paramref name="files"/> against the test host's trusted platform assemblies.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<SourceFile> files, bool referenceRuntime = true)
    {
        var references = referenceRuntime
            ? AllReferences.Value
            : AllReferences.Value.Where(r => !string.Equals(Path.GetFileNameWithoutExtension(r.Display), "Dnn2Gp.Runtime", StringComparison.Ordinal)).ToImmutableArray();
        return CSharpCompilation.Create(
            "Dnn2Gp.GeneratorTests.Input",
            files.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>A driver for <see cref="NetworkGenerator"/> with step tracking switched on.</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new NetworkGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Reads an input file copied next to the test assembly (<c>Inputs/{name}</c>).</summary>
    public static SourceFile Input(string fileName) =>
        new($"Inputs/{fileName}", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inputs", fileName)));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string self = typeof(GeneratorHarness).Assembly.Location;
        string tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES is not set");
        var references = tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !string.Equals(path, self, StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
        foreach (string required in new[] { "Dnn2Gp.Dsl", "Dnn2Gp.Runtime", "ILGPU", "System.Numerics.Tensors" })
        {
            Assert.Contains(references, r => string.Equals(Path.GetFileNameWithoutExtension(r.Display), required, StringComparison.Ordinal));
        }
        return references;
    }

    /// <summary>
    /// The second run saw an identical compilation: every tracked step must produce equal outputs, each Cached or
    /// Unchanged, and every source output must be Cached.
    /// </summary>
    private static void AssertCachedRerun(GeneratorDriverRunResult first, GeneratorDriverRunResult second)
    {
        var firstSteps = first.Results[0].TrackedSteps;
        var secondSteps = second.Results[0].TrackedSteps;
        foreach (string name in TrackedStepNames)
        {
            var before = firstSteps.TryGetValue(name, out var b) ? b : ImmutableArray<IncrementalGeneratorRunStep>.Empty;
            var after = secondSteps.TryGetValue(name, out var a) ? a : ImmutableArray<IncrementalGeneratorRunStep>.Empty;
            var beforeValues = before.SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
            var afterOutputs = after.SelectMany(s => s.Outputs).ToList();
            Assert.True(beforeValues.Count == afterOutputs.Count,
                $"Step '{name}' produced {beforeValues.Count} outputs, then {afterOutputs.Count} on an identical compilation.");
            for (int i = 0; i < beforeValues.Count; i++)
            {
                Assert.True(Equals(beforeValues[i], afterOutputs[i].Value),
                    $"Step '{name}' output {i} is not equal across identical runs: the model is not structurally equatable.\n  first:  {beforeValues[i]}\n  second: {afterOutputs[i].Value}");
                Assert.True(afterOutputs[i].Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' output {i} has reason {afterOutputs[i].Reason} on an identical compilation (expected Cached or Unchanged).");
            }
        }
        foreach (var (name, steps) in second.Results[0].TrackedOutputSteps)
        {
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason == IncrementalStepRunReason.Cached,
                    $"Source output '{name}' has reason {output.Reason} on an identical compilation (expected Cached).");
            }
        }
    }

    private static void AssertNoRoslynObjects(GeneratorDriverRunResult run)
    {
        var steps = run.Results[0].TrackedSteps;
        foreach (string name in new[] { TrackingNames.Parse, TrackingNames.Model, TrackingNames.Diagnostics })
        {
            if (!steps.TryGetValue(name, out var runSteps)) continue;
            foreach (var output in runSteps.SelectMany(s => s.Outputs))
            {
                ModelGraph.AssertContainsNoRoslynObjects(output.Value, $"{name} step output");
            }
        }
    }
}

/// <summary>A source file fed to the compilation.</summary>
internal sealed record SourceFile(string Path, string Text);

/// <summary>What one generator run produced.</summary>
internal sealed class HarnessResult
{
    private readonly Lazy<ImmutableArray<Diagnostic>> _outputDiagnostics;
    private readonly Lazy<ImmutableArray<Diagnostic>> _inputErrors;

    public HarnessResult(CSharpCompilation input, Compilation output, GeneratorDriverRunResult run, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        InputCompilation = input;
        OutputCompilation = output;
        RunResult = run;
        GeneratorDiagnostics = generatorDiagnostics;
        GeneratedSources = run.Results[0].GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToImmutableArray();
        _outputDiagnostics = new(() => output.GetDiagnostics());
        _inputErrors = new(() => input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    public CSharpCompilation InputCompilation { get; }

    public Compilation OutputCompilation { get; }

    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The generated sources, sorted by hint name (ordinal).</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources { get; }

    /// <summary>What the generator reported (including the driver's "generator failed" warnings).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The exception the generator threw, if any.</summary>
    public Exception? Exception => RunResult.Results[0].Exception;

    /// <summary>Errors of the output compilation (user code plus generated code).</summary>
    public ImmutableArray<Diagnostic> CompilationErrors => _outputDiagnostics.Value.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    /// <summary>Warnings the compiler reports inside generated files.</summary>
    public ImmutableArray<Diagnostic> GeneratedCodeWarnings => _outputDiagnostics.Value
        .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && !InputCompilation.SyntaxTrees.Contains(tree))
        .ToImmutableArray();

    /// <summary>Errors the compiler reports on the user's code alone, before generation.</summary>
    public ImmutableArray<Diagnostic> InputErrors => _inputErrors.Value;

    /// <summary>The output values of the <c>Model</c> step: one spec per valid network.</summary>
    public IReadOnlyList<NetworkSpec> Specs => StepValues<NetworkSpec>(TrackingNames.Model);

    /// <summary>The output values of the <c>Parse</c> step: one per <c>[Network]</c> declaration.</summary>
    public IReadOnlyList<ParseResult> ParseResults => StepValues<ParseResult>(TrackingNames.Parse);

    /// <summary>The one spec of a single-network run.</summary>
    public NetworkSpec Spec => Assert.Single(Specs);

    /// <summary>The generated source whose hint name ends with <c>.{part}.g.cs</c> (exactly one).</summary>
    public string Part(string part) =>
        Assert.Single(GeneratedSources, s => s.HintName.EndsWith($".{part}.g.cs", StringComparison.Ordinal)).SourceText.ToString();

    public IReadOnlyList<T> StepValues<T>(string step) =>
        RunResult.Results[0].TrackedSteps.TryGetValue(step, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (T)o.Value).ToList()
            : Array.Empty<T>();

    /// <summary>Asserts the generator reported nothing and threw nothing, and that the output compiles without errors.</summary>
    public HarnessResult AssertCleanAndCompiles()
    {
        Assert.Null(Exception);
        Assert.True(GeneratorDiagnostics.IsEmpty, "Generator diagnostics:\n" + Format(GeneratorDiagnostics));
        Assert.True(CompilationErrors.IsEmpty, "Compilation errors:\n" + Format(CompilationErrors));
        return this;
    }

    public static string Format(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => "  " + d.ToString()));
}
