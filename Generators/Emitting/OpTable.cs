using System;
using System.Collections.Generic;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// Maps each <see cref="OpKind"/> to the Runtime struct that holds its math (value, derivative, SIMD). Generated
/// code calls these structs; it never inlines math text. A test asserts every OpKind has a row and every row names
/// a Runtime type implementing IVectorOp.
/// </summary>
internal static class OpTable
{
    public static IReadOnlyDictionary<OpKind, string> Entries { get; } = new Dictionary<OpKind, string>
    {
        [OpKind.Identity] = "global::Dnn2Gp.Runtime.Ops.Identity",
        [OpKind.Relu] = "global::Dnn2Gp.Runtime.Ops.Relu",
        [OpKind.Tanh] = "global::Dnn2Gp.Runtime.Ops.Tanh",
        [OpKind.Sigmoid] = "global::Dnn2Gp.Runtime.Ops.Sigmoid",
        [OpKind.Softplus] = "global::Dnn2Gp.Runtime.Ops.Softplus",
        [OpKind.Elu] = "global::Dnn2Gp.Runtime.Ops.Elu",
        [OpKind.Gelu] = "global::Dnn2Gp.Runtime.Ops.Gelu",
        [OpKind.Erf] = "global::Dnn2Gp.Runtime.Ops.Erf",
    };

    public static string TypeOf(OpKind op) =>
        Entries.TryGetValue(op, out var name) ? name : throw new InvalidOperationException($"unhandled OpKind {op}");

    /// <summary>The name used in comments, e.g. <c>ReLU</c>.</summary>
    public static string DisplayName(OpKind op) => op switch
    {
        OpKind.Identity => "Identity",
        OpKind.Relu => "ReLU",
        OpKind.Tanh => "Tanh",
        OpKind.Sigmoid => "Sigmoid",
        OpKind.Softplus => "Softplus",
        OpKind.Elu => "ELU",
        OpKind.Gelu => "GELU",
        OpKind.Erf => "Erf",
        _ => throw new InvalidOperationException($"unhandled OpKind {op}"),
    };

    /// <summary>The Runtime static class holding a likelihood's math.</summary>
    public static string LikelihoodType(LossKind loss) => loss switch
    {
        LossKind.Gaussian => "global::Dnn2Gp.Runtime.Likelihoods.Gaussian",
        LossKind.Bernoulli => "global::Dnn2Gp.Runtime.Likelihoods.Bernoulli",
        LossKind.Categorical => "global::Dnn2Gp.Runtime.Likelihoods.Categorical",
        _ => throw new InvalidOperationException($"unhandled LossKind {loss}"),
    };
}
