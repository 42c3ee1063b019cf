using System;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Dnn2Gp.Generators;

/// <summary>
/// Project-wide generator options from MSBuild properties made visible to the compiler
/// (<c>&lt;CompilerVisibleProperty Include="Dnn2Gp_EmitGpu" /&gt;</c>).
/// </summary>
internal sealed record GeneratorOptions(bool EmitGpu)
{
    public static GeneratorOptions Default { get; } = new(EmitGpu: true);

    public static GeneratorOptions Read(AnalyzerConfigOptionsProvider provider, System.Threading.CancellationToken ct)
    {
        bool emitGpu = !(provider.GlobalOptions.TryGetValue("build_property.Dnn2Gp_EmitGpu", out var value)
                         && string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase));
        return new GeneratorOptions(emitGpu);
    }
}
