using System;
using System.Collections.Generic;
using System.Linq;
using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Helpers;
using Dnn2Gp.Generators.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Incremental;

/// <summary>
/// The run reasons of one network's pipeline entries after an edit (Mapperly's <c>IncrementalGeneratorRunReasons</c>):
/// the steps we own and the two source outputs (diagnostics, code). <see cref="Model"/> and <see cref="SourceOutput"/>
/// are null when the network has no valid spec.
/// </summary>
internal sealed record IncrementalGeneratorRunReasons(
    IncrementalStepRunReason Parse,
    IncrementalStepRunReason Diagnostics,
    IncrementalStepRunReason? Model,
    IncrementalStepRunReason DiagnosticsOutput,
    IncrementalStepRunReason? SourceOutput)
{
    /// <summary>A network seen for the first time.</summary>
    public static IncrementalGeneratorRunReasons New { get; } = new(
        IncrementalStepRunReason.New, IncrementalStepRunReason.New, IncrementalStepRunReason.New, IncrementalStepRunReason.New, IncrementalStepRunReason.New);

    /// <summary>Nothing was recomputed.</summary>
    public static IncrementalGeneratorRunReasons Cached { get; } = new(
        IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);

    /// <summary>The compilation changed, the declaration was parsed again and produced an equal result; nothing downstream ran.</summary>
    public static IncrementalGeneratorRunReasons Reparsed { get; } = Cached with { Parse = IncrementalStepRunReason.Unchanged };

    /// <summary>The network changed: a new spec and new code; the (empty) diagnostics are equal, so they are not re-reported.</summary>
    public static IncrementalGeneratorRunReasons Modified { get; } = Cached with
    {
        Parse = IncrementalStepRunReason.Modified,
        Diagnostics = IncrementalStepRunReason.Unchanged,
        Model = IncrementalStepRunReason.Modified,
        SourceOutput = IncrementalStepRunReason.Modified,
    };

    /// <summary>
    /// The reasons of every network in <paramref name="run"/>, by record name. Parse and Diagnostics outputs are
    /// aligned (one per declaration, in the same order); Model and code outputs are matched by the spec they carry.
    /// </summary>
    public static IReadOnlyDictionary<string, IncrementalGeneratorRunReasons> Of(GeneratorDriverRunResult run)
    {
        var result = run.Results[0];
        var parse = Outputs(result.TrackedSteps, TrackingNames.Parse);
        var diagnostics = Outputs(result.TrackedSteps, TrackingNames.Diagnostics);
        var model = Outputs(result.TrackedSteps, TrackingNames.Model);
        Assert.Equal(parse.Count, diagnostics.Count);

        var sourceOutputs = result.TrackedOutputSteps.TryGetValue("SourceOutput", out var s) ? s : default;
        var diagnosticOutputs = new List<IncrementalStepRunReason>();
        var codeOutputs = new Dictionary<string, IncrementalStepRunReason>(StringComparer.Ordinal);
        foreach (var step in sourceOutputs.IsDefault ? Enumerable.Empty<IncrementalGeneratorRunStep>() : sourceOutputs)
        {
            var (source, index) = step.Inputs[0];
            object input = source.Outputs[index].Value;
            var reason = Assert.Single(step.Outputs).Reason;
            switch (input)
            {
                case EquatableArray<DiagnosticInfo>:
                    diagnosticOutputs.Add(reason);
                    break;
                case ValueTuple<NetworkSpec, GeneratorOptions> pair:
                    codeOutputs.Add(pair.Item1.TypeName, reason);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected source output input {input.GetType()}.");
            }
        }
        Assert.Equal(parse.Count, diagnosticOutputs.Count);

        var reasons = new Dictionary<string, IncrementalGeneratorRunReasons>(StringComparer.Ordinal);
        for (int i = 0; i < parse.Count; i++)
        {
            var parsed = (ParseResult)parse[i].Value;
            string name = parsed.Spec?.TypeName ?? $"#{i}";
            var modelReason = model.Where(m => ((NetworkSpec)m.Value).TypeName == name).Select(m => (IncrementalStepRunReason?)m.Reason).SingleOrDefault();
            var codeReason = codeOutputs.TryGetValue(name, out var r) ? r : (IncrementalStepRunReason?)null;
            reasons.Add(name, new IncrementalGeneratorRunReasons(parse[i].Reason, diagnostics[i].Reason, modelReason, diagnosticOutputs[i], codeReason));
        }
        return reasons;
    }

    private static List<(object Value, IncrementalStepRunReason Reason)> Outputs(
        System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> steps, string name) =>
        steps.TryGetValue(name, out var runSteps) ? runSteps.SelectMany(step => step.Outputs).ToList() : new();
}
