using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Infrastructure;

/// <summary>
/// Walks the object graph of a pipeline value and fails on anything that defeats caching or roots a compilation:
/// Roslyn symbols, syntax, locations, compilations and semantic models, and collections without structural
/// equality (<c>ImmutableArray</c>, <c>List</c>, <c>Dictionary</c>). The port of STJ's
/// <c>SourceGenModelDoesNotEncapsulateSymbolsOrCompilationData</c>.
/// </summary>
internal static class ModelGraph
{
    private static readonly Type[] ForbiddenTypes =
    {
        typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location),
        typeof(SemanticModel), typeof(AttributeData), typeof(IOperation),
    };

    private static readonly Type[] ForbiddenGenericDefinitions =
    {
        typeof(ImmutableArray<>), typeof(List<>), typeof(Dictionary<,>),
    };

    /// <summary>Types that are equatable by contract and need not be walked.</summary>
    private static readonly Type[] TrustedLeaves = { typeof(DiagnosticDescriptor) };

    public static void AssertContainsNoRoslynObjects(object? root, string what)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var checkedTypes = new HashSet<Type>();
        Walk(root, what, visited, checkedTypes);
    }

    /// <summary>The reason a type is forbidden in a model, or null when it is allowed.</summary>
    public static string? Forbidden(Type type)
    {
        foreach (var forbidden in ForbiddenTypes)
        {
            if (forbidden.IsAssignableFrom(type)) return forbidden.Name;
        }
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && ForbiddenGenericDefinitions.Contains(t.GetGenericTypeDefinition())) return t.Name;
        }
        return null;
    }

    private static void Walk(object? value, string path, HashSet<object> visited, HashSet<Type> checkedTypes)
    {
        if (value is null) return;
        var type = value.GetType();
        string? reason = Forbidden(type);
        Assert.True(reason is null, $"{path} holds a {type} ({reason}): models must be strings, primitives, enums, EquatableArray and records of those.");
        if (IsLeaf(type)) return;
        if (!type.IsValueType && !visited.Add(value)) return;
        Assert.False(value is Delegate, $"{path} holds a delegate ({type}): delegates compare by reference.");

        CheckFieldTypes(type, path, checkedTypes);
        if (value is Array array)
        {
            int i = 0;
            foreach (object? item in array) Walk(item, $"{path}[{i++}]", visited, checkedTypes);
            return;
        }
        foreach (var field in InstanceFields(type))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", visited, checkedTypes);
        }
    }

    /// <summary>Fails on forbidden declared field types too, so a null ISymbol field is caught as well.</summary>
    private static void CheckFieldTypes(Type type, string path, HashSet<Type> checkedTypes)
    {
        if (!checkedTypes.Add(type)) return;
        foreach (var field in InstanceFields(type))
        {
            var fieldType = field.FieldType.IsArray ? field.FieldType.GetElementType()! : field.FieldType;
            string? reason = Forbidden(fieldType);
            Assert.True(reason is null, $"{path}: field {type.Name}.{field.Name} is declared as {field.FieldType} ({reason}).");
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || TrustedLeaves.Any(t => t.IsAssignableFrom(type));

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }
}
