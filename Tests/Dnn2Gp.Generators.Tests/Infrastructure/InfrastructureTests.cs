using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Infrastructure;

/// <summary>Tests of the test infrastructure: the model walker catches what it must, snapshots have owners.</summary>
public sealed class InfrastructureTests
{
    private sealed record HoldsList(List<int> Values);

    private sealed record HoldsImmutableArray(ImmutableArray<string> Values);

    private sealed record HoldsLocation(string Name, Location? Where);

    private sealed record HoldsNode(object Node);

    [Fact]
    public void Model_walker_rejects_roslyn_objects_and_non_equatable_collections()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { }");

        Assert.ThrowsAny<Exception>(() => ModelGraph.AssertContainsNoRoslynObjects(new HoldsList(new List<int> { 1 }), "list"));
        Assert.ThrowsAny<Exception>(() => ModelGraph.AssertContainsNoRoslynObjects(new HoldsImmutableArray(ImmutableArray.Create("a")), "array"));
        Assert.ThrowsAny<Exception>(() => ModelGraph.AssertContainsNoRoslynObjects(new HoldsLocation("x", null), "null location field"));
        Assert.ThrowsAny<Exception>(() => ModelGraph.AssertContainsNoRoslynObjects(new HoldsNode(tree.GetRoot()), "syntax node behind object"));
    }

    [Fact]
    public void Model_walker_accepts_the_example_specs_and_parse_results()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Input("LogisticNet.cs"), GeneratorHarness.Input("BadShapesWithDiagnostics.cs"));

        ModelGraph.AssertContainsNoRoslynObjects(result.Spec, "spec");
        Assert.All(result.ParseResults, r => ModelGraph.AssertContainsNoRoslynObjects(r, "parse result"));
    }

    [Fact]
    public void Tracked_step_names_come_from_TrackingNames()
    {
        Assert.Equal(new[] { "Diagnostics", "Model", "Parse" }, GeneratorHarness.TrackedStepNames);
    }

    [Fact]
    public void Every_verified_snapshot_belongs_to_a_test()
    {
        var tests = typeof(InfrastructureTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var snapshots = Directory.Exists(Snapshot.SnapshotDirectory)
            ? Directory.GetFiles(Snapshot.SnapshotDirectory, "*.verified.cs")
            : Array.Empty<string>();

        foreach (string file in snapshots)
        {
            string name = Path.GetFileName(file);
            string owner = name.Substring(0, name.IndexOf('#', StringComparison.Ordinal));
            Assert.True(tests.Contains(owner), $"Snapshot {name} belongs to no test method '{owner}': delete it or rename it.");
        }
    }

    [Fact]
    public void Normalize_scrubs_only_line_endings_trailing_newlines_and_the_generator_version()
    {
        string text = "a\r\n[global::System.CodeDom.Compiler.GeneratedCode(\"Dnn2Gp.Generators\", \"1.2.3.4\")]\r\n  b  \n\n\n";

        Assert.Equal("a\n[global::System.CodeDom.Compiler.GeneratedCode(\"Dnn2Gp.Generators\", \"%VERSION%\")]\n  b  \n", Snapshot.Normalize(text));
        Assert.Equal("x\n", Snapshot.Normalize("x"));
    }

    [Fact]
    public void Accepting_snapshots_is_refused_on_ci()
    {
        string? accept = Environment.GetEnvironmentVariable(Snapshot.AcceptVariable);
        string? ci = Environment.GetEnvironmentVariable("CI");
        Assert.Equal(accept == "1" && string.IsNullOrEmpty(ci), Snapshot.AcceptRequested);
    }
}
