using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Infrastructure;

/// <summary>
/// File snapshots of generated code without Verify (STYLE Appendix E). Each generated file is compared with
/// <c>Snapshots/{TestClass}.{TestMethod}#{HintNameWithoutCs}.verified.cs</c>. A mismatch or a missing verified file
/// writes <c>.received.cs</c> beside it and fails; accept by renaming (<c>accept-snapshots.sh</c>) or by running the
/// tests with <c>DNN2GP_ACCEPT_SNAPSHOTS=1</c> (ignored when <c>CI</c> is set).
/// </summary>
internal static partial class Snapshot
{
    public const string AcceptVariable = "DNN2GP_ACCEPT_SNAPSHOTS";
    private const string VersionPlaceholder = "%VERSION%";

    /// <summary>The test project's directory, from the AssemblyMetadata the csproj writes.</summary>
    public static string ProjectDirectory { get; } = typeof(Snapshot).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ProjectDirectory").Value
        ?? throw new InvalidOperationException("The ProjectDirectory assembly metadata is missing.");

    public static string SnapshotDirectory { get; } = Path.Combine(ProjectDirectory, "Snapshots");

    /// <summary>The repository root (two levels above the test project).</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    /// <summary>Accepting is requested and allowed: a CI pipeline can never approve its own output.</summary>
    public static bool AcceptRequested =>
        Environment.GetEnvironmentVariable(AcceptVariable) == "1"
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Matches one generated file; the test class name is taken from the calling file's name.</summary>
    public static void Match(GeneratedSourceResult source, [CallerMemberName] string test = "", [CallerFilePath] string file = "") =>
        Match(source.HintName, source.SourceText.ToString(), Path.GetFileNameWithoutExtension(file), test);

    /// <summary>Matches text under an explicit snapshot name <c>{testClass}.{test}#{HintNameWithoutCs}</c>.</summary>
    public static void Match(string hintName, string text, string testClass, string test)
    {
        string? failure = Check(hintName, text, testClass, test);
        if (failure is not null) Assert.Fail(failure);
    }

    /// <summary>
    /// Compares without failing: returns null on a match (or an accepted change), otherwise writes the
    /// <c>.received.cs</c> file and returns the failure message. Lets a test check every part before it fails.
    /// </summary>
    public static string? Check(string hintName, string text, string testClass, string test)
    {
        string name = $"{testClass}.{test}#{Path.GetFileNameWithoutExtension(hintName)}";
        string verified = Path.Combine(SnapshotDirectory, name + ".verified.cs");
        string received = Path.Combine(SnapshotDirectory, name + ".received.cs");
        string actual = Normalize(text);

        string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return null;
        }
        Directory.CreateDirectory(SnapshotDirectory);
        if (AcceptRequested)
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return null;
        }
        File.WriteAllText(received, actual);
        return Describe(verified, received, expected, actual);
    }

    /// <summary>
    /// <c>\r\n</c> to <c>\n</c>, exactly one trailing newline, and the generator version in
    /// <c>GeneratedCode("Dnn2Gp.Generators", "…")</c> replaced by a placeholder. Nothing else is scrubbed.
    /// </summary>
    public static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        text = GeneratedCodeVersion().Replace(text, $"${{prefix}}{VersionPlaceholder}\")");
        return text.TrimEnd('\n') + "\n";
    }

    private static string Describe(string verified, string received, string? expected, string actual)
    {
        var message = new StringBuilder();
        if (expected is null)
        {
            message.AppendLine($"New snapshot — review and accept: {Relative(received)}");
        }
        else
        {
            string[] e = expected.Split('\n'), a = actual.Split('\n');
            int line = 0;
            while (line < e.Length && line < a.Length && e[line] == a[line]) line++;
            message.AppendLine($"Snapshot differs at line {line + 1}:");
            message.AppendLine($"  verified: {(line < e.Length ? e[line] : "<end of file>")}");
            message.AppendLine($"  received: {(line < a.Length ? a[line] : "<end of file>")}");
            message.AppendLine($"  verified file: {Relative(verified)}");
            message.AppendLine($"  received file: {Relative(received)}");
            message.AppendLine($"Review: git diff --no-index {Relative(verified)} {Relative(received)}");
        }
        message.AppendLine($"Accept all: {Relative(Path.Combine(ProjectDirectory, "accept-snapshots.sh"))}");
        message.Append($"   or: {AcceptVariable}=1 dotnet test {Relative(ProjectDirectory)} (ignored when CI is set)");
        return message.ToString();
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');

    [GeneratedRegex("""(?<prefix>GeneratedCode\("Dnn2Gp\.Generators", ")[^"]*"\)""")]
    private static partial Regex GeneratedCodeVersion();
}
