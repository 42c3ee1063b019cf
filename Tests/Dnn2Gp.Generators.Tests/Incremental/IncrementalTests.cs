using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Incremental;

/// <summary>
/// Edit scenarios (STYLE D9 rule 30): one driver runs on a compilation, the compilation is edited, the driver runs
/// again, and the reasons of each step we own and of the source outputs are compared with the expected preset.
/// </summary>
public sealed class IncrementalTests
{
    private const string Path = "Networks.cs";

    private const string Header = """
        using Dnn2Gp.Dsl;

        namespace Dnn2Gp.Examples.Inputs;

        """;

    private const string Helper = """
        public sealed class Helper
        {
            public int Value => 42;
        }

        """;

    private const string First = """
        [Network(4)]
        [Dense(8, Activation.Tanh)]
        [Dense(2)]
        [CategoricalLikelihood]
        public partial record First
        {
        }

        """;

    private static readonly string Original = Header + Helper + First;

    [Fact]
    public void Adding_an_unrelated_file_reparses_but_regenerates_nothing()
    {
        var reasons = Session.Start(Original).Run(c => c.AddSyntaxTrees(Tree("Unrelated.cs", "namespace Other; public sealed class Unrelated { }")));

        Assert.Equal(IncrementalGeneratorRunReasons.Reparsed, reasons["First"]);
    }

    [Fact]
    public void Adding_a_comment_inside_the_record_regenerates_nothing()
    {
        string edited = Header + Helper + First.Replace("{\n}", "{\n    // A comment inside the network record.\n}", System.StringComparison.Ordinal);
        Assert.NotEqual(Original, edited);

        var reasons = Session.Start(Original).Run(c => Replace(c, edited));

        Assert.Equal(IncrementalGeneratorRunReasons.Reparsed, reasons["First"]);
    }

    [Fact]
    public void Reformatting_the_attributes_regenerates_nothing()
    {
        string edited = Header + Helper + "[Network(4), Dense(8, Activation.Tanh)]   [Dense(\n    2)]\n[CategoricalLikelihood()]\npublic partial record First { }\n";

        var reasons = Session.Start(Original).Run(c => Replace(c, edited));

        Assert.Equal(IncrementalGeneratorRunReasons.Reparsed, reasons["First"]);
    }

    [Fact]
    public void Moving_the_record_within_the_file_regenerates_nothing()
    {
        var reasons = Session.Start(Original).Run(c => Replace(c, Header + First + Helper));

        Assert.Equal(IncrementalGeneratorRunReasons.Reparsed, reasons["First"]);
    }

    [Fact]
    public void Changing_a_layer_width_regenerates_the_network()
    {
        var reasons = Session.Start(Original).Run(c => Replace(c, Header + Helper + First.Replace("Dense(8,", "Dense(9,", System.StringComparison.Ordinal)));

        Assert.Equal(IncrementalGeneratorRunReasons.Modified, reasons["First"]);
    }

    [Fact]
    public void Changing_an_activation_regenerates_the_network()
    {
        var reasons = Session.Start(Original).Run(c => Replace(c, Header + Helper + First.Replace("Activation.Tanh", "Activation.Relu", System.StringComparison.Ordinal)));

        Assert.Equal(IncrementalGeneratorRunReasons.Modified, reasons["First"]);
    }

    [Fact]
    public void Adding_a_second_network_leaves_the_first_cached()
    {
        string second = Header + First.Replace("record First", "record Second", System.StringComparison.Ordinal);

        var reasons = Session.Start(Original).Run(c => c.AddSyntaxTrees(Tree("Second.cs", second)));

        Assert.Equal(IncrementalGeneratorRunReasons.Reparsed, reasons["First"]);
        Assert.Equal(IncrementalGeneratorRunReasons.New, reasons["Second"]);
    }

    [Fact]
    public void Adding_a_second_network_to_the_same_file_leaves_the_first_cached()
    {
        string both = Original + First.Replace("record First", "record Second", System.StringComparison.Ordinal);

        var reasons = Session.Start(Original).Run(c => Replace(c, both));

        Assert.Equal(IncrementalGeneratorRunReasons.Reparsed, reasons["First"]);
        Assert.Equal(IncrementalGeneratorRunReasons.New, reasons["Second"]);
    }

    [Fact]
    public void Moving_a_network_with_an_error_reports_it_again_at_its_new_location()
    {
        string broken = First.Replace("Dense(8,", "Dense(0,", System.StringComparison.Ordinal);
        var session = Session.Start(Header + Helper + broken);

        var reasons = session.Run(c => Replace(c, Header + broken + Helper));

        var expected = new IncrementalGeneratorRunReasons(
            Parse: IncrementalStepRunReason.Modified,
            Diagnostics: IncrementalStepRunReason.Modified,
            Model: null,
            DiagnosticsOutput: IncrementalStepRunReason.Modified,
            SourceOutput: null);
        Assert.Equal(expected, Assert.Single(reasons.Values));
        Assert.Equal("DNN2GP101", Assert.Single(session.Diagnostics).Id);
    }

    [Fact]
    public void Fixing_an_error_generates_the_network()
    {
        var session = Session.Start(Header + Helper + First.Replace("Dense(8,", "Dense(0,", System.StringComparison.Ordinal));

        var reasons = session.Run(c => Replace(c, Original));

        var expected = IncrementalGeneratorRunReasons.New with
        {
            Parse = IncrementalStepRunReason.Modified,
            Diagnostics = IncrementalStepRunReason.Modified,
            DiagnosticsOutput = IncrementalStepRunReason.Modified,
        };
        Assert.Equal(expected, reasons["First"]);
        Assert.Empty(session.Diagnostics);
    }

    [Fact]
    public void Unchanged_edits_keep_the_generated_text()
    {
        var session = Session.Start(Original);
        var before = session.GeneratedTexts();

        session.Run(c => Replace(c, Header + First + Helper));

        Assert.Equal(before, session.GeneratedTexts());
    }

    private static SyntaxTree Tree(string path, string text) => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path);

    private static CSharpCompilation Replace(CSharpCompilation compilation, string text)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == Path);
        return compilation.ReplaceSyntaxTree(tree, Tree(Path, text));
    }

    /// <summary>One driver kept across edits.</summary>
    private sealed class Session
    {
        private GeneratorDriver _driver;
        private CSharpCompilation _compilation;

        private Session(GeneratorDriver driver, CSharpCompilation compilation)
        {
            _driver = driver;
            _compilation = compilation;
        }

        public IReadOnlyList<Diagnostic> Diagnostics => _driver.GetRunResult().Diagnostics;

        public static Session Start(string text)
        {
            var compilation = GeneratorHarness.CreateCompilation(new[] { new SourceFile(Path, text) });
            var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
            Assert.Null(driver.GetRunResult().Results[0].Exception);
            return new Session(driver, compilation);
        }

        public IReadOnlyDictionary<string, IncrementalGeneratorRunReasons> Run(System.Func<CSharpCompilation, CSharpCompilation> edit)
        {
            _compilation = edit(_compilation);
            _driver = _driver.RunGenerators(_compilation);
            var run = _driver.GetRunResult();
            Assert.Null(run.Results[0].Exception);
            return IncrementalGeneratorRunReasons.Of(run);
        }

        public IReadOnlyList<(string HintName, string Text)> GeneratedTexts() => _driver.GetRunResult().Results[0].GeneratedSources
            .Select(s => (s.HintName, s.SourceText.ToString()))
            .OrderBy(s => s.HintName, System.StringComparer.Ordinal)
            .ToList();
    }
}
