using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Helpers;

namespace Dnn2Gp.Generators.Model;

/// <summary>What parsing one declaration produced: a valid spec, or null and the diagnostics that explain why.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
