using System;
using System.IO;
using System.Linq;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Xunit;

namespace Dnn2Gp.Generators.Tests;

/// <summary>
/// The naming convention of the dual-use inputs (STYLE D9 rule 32): <c>*WithDiagnostics.cs</c> must produce
/// diagnostics; every other input must produce none and compile, because the integration tests compile it for real.
/// </summary>
public sealed class InputsTests
{
    private static string InputsDirectory => Path.Combine(AppContext.BaseDirectory, "Inputs");

    public static TheoryData<string> Inputs() =>
        new(Directory.GetFiles(InputsDirectory, "*.cs").Select(Path.GetFileName).OfType<string>().OrderBy(f => f, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_follows_the_naming_convention(string fileName)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Input(fileName));

        Assert.Null(result.Exception);
        if (fileName.EndsWith("WithDiagnostics.cs", StringComparison.Ordinal))
        {
            Assert.True(result.GeneratorDiagnostics.Any(d => d.Id.StartsWith("DNN2GP", StringComparison.Ordinal)),
                $"{fileName} is named *WithDiagnostics.cs but the generator reports nothing.");
        }
        else
        {
            result.AssertCleanAndCompiles();
        }
    }

    [Fact]
    public void Inputs_use_the_examples_namespace_and_the_dsl()
    {
        foreach (string file in Directory.GetFiles(InputsDirectory, "*.cs"))
        {
            string text = File.ReadAllText(file);
            Assert.True(text.Contains("using Dnn2Gp.Dsl;", StringComparison.Ordinal), $"{Path.GetFileName(file)} lacks 'using Dnn2Gp.Dsl;'.");
            Assert.True(text.Contains("namespace Dnn2Gp.Examples.Inputs;", StringComparison.Ordinal), $"{Path.GetFileName(file)} is not in namespace Dnn2Gp.Examples.Inputs.");
        }
    }

    [Fact]
    public void All_clean_inputs_compile_together_as_the_integration_tests_compile_them()
    {
        var files = Directory.GetFiles(InputsDirectory, "*.cs")
            .Where(f => !f.EndsWith("WithDiagnostics.cs", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => GeneratorHarness.Input(Path.GetFileName(f)))
            .ToArray();

        var result = GeneratorHarness.Run(files).AssertCleanAndCompiles();

        Assert.Equal(files.Length, result.Specs.Count);
    }
}
