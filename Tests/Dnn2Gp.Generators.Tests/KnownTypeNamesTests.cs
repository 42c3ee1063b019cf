using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Dnn2Gp.Generators.Emitting;
using Dnn2Gp.Generators.Model;
using Xunit;

namespace Dnn2Gp.Generators.Tests;

/// <summary>
/// Pins the generator's string view of the Dsl and Runtime against the real types, so a rename breaks a test instead
/// of silently stopping generation (STYLE D2 rule 2, D7 rule 25).
/// </summary>
public sealed class KnownTypeNamesTests
{
    private static readonly Assembly Runtime = typeof(Dnn2Gp.Runtime.INetwork<,>).Assembly;

    /// <summary>Each constant of <see cref="KnownTypeNames"/> and the type it must name.</summary>
    private static readonly IReadOnlyDictionary<string, Type> Expected = new Dictionary<string, Type>
    {
        [nameof(KnownTypeNames.NetworkAttribute)] = typeof(Dnn2Gp.Dsl.NetworkAttribute),
        [nameof(KnownTypeNames.DenseAttribute)] = typeof(Dnn2Gp.Dsl.DenseAttribute),
        [nameof(KnownTypeNames.ActivationLayerAttribute)] = typeof(Dnn2Gp.Dsl.ActivationLayerAttribute),
        [nameof(KnownTypeNames.Conv2DAttribute)] = typeof(Dnn2Gp.Dsl.Conv2DAttribute),
        [nameof(KnownTypeNames.MaxPool2DAttribute)] = typeof(Dnn2Gp.Dsl.MaxPool2DAttribute),
        [nameof(KnownTypeNames.AvgPool2DAttribute)] = typeof(Dnn2Gp.Dsl.AvgPool2DAttribute),
        [nameof(KnownTypeNames.FlattenAttribute)] = typeof(Dnn2Gp.Dsl.FlattenAttribute),
        [nameof(KnownTypeNames.DropoutAttribute)] = typeof(Dnn2Gp.Dsl.DropoutAttribute),
        [nameof(KnownTypeNames.GaussianLikelihoodAttribute)] = typeof(Dnn2Gp.Dsl.GaussianLikelihoodAttribute),
        [nameof(KnownTypeNames.BernoulliLikelihoodAttribute)] = typeof(Dnn2Gp.Dsl.BernoulliLikelihoodAttribute),
        [nameof(KnownTypeNames.CategoricalLikelihoodAttribute)] = typeof(Dnn2Gp.Dsl.CategoricalLikelihoodAttribute),
        [nameof(KnownTypeNames.IsotropicGaussianPriorAttribute)] = typeof(Dnn2Gp.Dsl.IsotropicGaussianPriorAttribute),
        [nameof(KnownTypeNames.LayerwiseGaussianPriorAttribute)] = typeof(Dnn2Gp.Dsl.LayerwiseGaussianPriorAttribute),
        [nameof(KnownTypeNames.Activation)] = typeof(Dnn2Gp.Dsl.Activation),
        [nameof(KnownTypeNames.ElementType)] = typeof(Dnn2Gp.Dsl.ElementType),
        [nameof(KnownTypeNames.RuntimeNetworkInterface)] = typeof(Dnn2Gp.Runtime.INetwork<,>),
    };

    private static IEnumerable<string> ConstantNames() => typeof(KnownTypeNames)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => f.Name);

    public static TheoryData<string> Constants() => new(ConstantNames());

    [Theory]
    [MemberData(nameof(Constants))]
    public void Each_constant_is_the_metadata_name_of_its_type(string constant)
    {
        Assert.True(Expected.TryGetValue(constant, out var type), $"KnownTypeNames.{constant} has no expected type in this test: add it.");
        string value = (string)typeof(KnownTypeNames).GetField(constant, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

        Assert.Equal(type!.FullName, value);
    }

    [Fact]
    public void Every_expected_type_has_a_constant()
    {
        var constants = ConstantNames().ToHashSet(StringComparer.Ordinal);

        Assert.All(Expected.Keys, key => Assert.Contains(key, constants));
    }

    [Fact]
    public void OpKind_mirrors_Activation_by_name_and_value() =>
        AssertMirrors<OpKind, Dnn2Gp.Dsl.Activation>();

    [Fact]
    public void ElementKind_mirrors_ElementType_by_name_and_value() =>
        AssertMirrors<ElementKind, Dnn2Gp.Dsl.ElementType>();

    [Fact]
    public void OpTable_has_a_row_and_a_display_name_for_every_OpKind()
    {
        foreach (var op in Enum.GetValues<OpKind>())
        {
            Assert.True(OpTable.Entries.ContainsKey(op), $"OpTable has no row for OpKind.{op}.");
            Assert.False(string.IsNullOrWhiteSpace(OpTable.DisplayName(op)));
        }
        Assert.Equal(Enum.GetValues<OpKind>().Length, OpTable.Entries.Count);
        Assert.Equal(OpTable.Entries.Count, OpTable.Entries.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void OpTable_rows_name_Runtime_ops_implementing_IVectorOp()
    {
        var vectorOp = typeof(Dnn2Gp.Runtime.Ops.IVectorOp<>);
        foreach (var (op, name) in OpTable.Entries)
        {
            Assert.StartsWith("global::", name, StringComparison.Ordinal);
            string metadataName = name.Substring("global::".Length);
            var type = Runtime.GetType(metadataName);
            Assert.True(type is not null, $"OpTable row {op} names {name}, which is not a type in {Runtime.GetName().Name}.");
            Assert.True(type!.IsValueType && type.IsPublic, $"{metadataName} must be a public struct.");
            Assert.True(type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == vectorOp && i.GetGenericArguments()[0] == type),
                $"{metadataName} does not implement IVectorOp<{type.Name}>.");
        }
    }

    [Fact]
    public void Likelihood_rows_name_Runtime_types()
    {
        foreach (var loss in Enum.GetValues<LossKind>())
        {
            string name = OpTable.LikelihoodType(loss).Substring("global::".Length);
            Assert.True(Runtime.GetType(name) is not null, $"The {loss} likelihood row names {name}, which is not a type in Dnn2Gp.Runtime.");
        }
    }

    private static void AssertMirrors<TGenerator, TDsl>()
        where TGenerator : struct, Enum
        where TDsl : struct, Enum
    {
        var generator = Enum.GetValues<TGenerator>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)));
        var dsl = Enum.GetValues<TDsl>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(dsl, generator);
    }
}
