using System;
using System.Linq;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Emitting;

/// <summary>
/// Whole-file snapshots of every generated part of the example networks (STYLE Appendix E). Each test also asserts
/// that the generator reported nothing and that the generated code compiles without errors or warnings: a snapshot of
/// non-compiling code proves nothing.
/// </summary>
public sealed class SnapshotTests
{
    private static readonly string[] Parts = { "Curvature", "Forward", "Gpu", "Gradient", "Network" };

    [Fact]
    public void MnistMlp() => MatchAllParts("MnistMlp.cs");

    [Fact]
    public void TanhRegression() => MatchAllParts("TanhRegression.cs");

    [Fact]
    public void LogisticNet() => MatchAllParts("LogisticNet.cs");

    [Fact]
    public void DoubleNet() => MatchAllParts("DoubleNet.cs");

    [Fact]
    public void NestedNetwork() => MatchAllParts("NestedNetwork.cs");

    [Fact]
    public void LeNet5() => MatchAllParts("LeNet5.cs");

    [Fact]
    public void ConvDropoutNet() => MatchAllParts("ConvDropoutNet.cs");

    private static void MatchAllParts(string input, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Input(input));
        Assert.Null(result.Exception);
        Assert.Empty(result.GeneratorDiagnostics);

        string prefix = result.Spec.Hierarchy.Namespace + "." + string.Concat(result.Spec.Hierarchy.Parents.Select(p => p.Name + ".")) + result.Spec.TypeName + ".";
        Assert.Equal(Parts.Select(p => prefix + p + ".g.cs"), result.GeneratedSources.Select(s => s.HintName));

        // Every part is compared (and its .received.cs written) before the test fails, so one run shows all changes.
        var failures = result.GeneratedSources
            .Select(source => Snapshot.Check(source.HintName, source.SourceText.ToString(), nameof(SnapshotTests), test))
            .OfType<string>()
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        result.AssertCleanAndCompiles();
        Assert.True(result.GeneratedCodeWarnings.IsEmpty, "Warnings in generated code:\n" + HarnessResult.Format(result.GeneratedCodeWarnings));
    }
}
