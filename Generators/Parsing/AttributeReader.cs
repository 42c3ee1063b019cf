using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Dnn2Gp.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dnn2Gp.Generators.Parsing;

/// <summary>
/// Reads constructor and named arguments of one attribute application and finds the syntax of each argument, so
/// diagnostics point at the offending argument rather than at the whole record.
/// </summary>
internal readonly struct AttributeReader
{
    private readonly AttributeData _data;
    private readonly AttributeSyntax? _syntax;

    public AttributeReader(AttributeData data, CancellationToken ct)
    {
        _data = data;
        _syntax = data.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
    }

    /// <summary>The attribute's short name as written by a user, e.g. <c>Dense</c>.</summary>
    public string DisplayName
    {
        get
        {
            string name = _data.AttributeClass?.Name ?? "attribute";
            return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }
    }

    /// <summary>Whether the compiler bound the attribute to a constructor (false for wrong argument types or counts).</summary>
    public bool IsBound => _data.AttributeConstructor is not null;

    /// <summary>The number of constructor arguments the compiler bound (0 when unbound).</summary>
    public int ConstructorCount => IsBound ? _data.ConstructorArguments.Length : 0;

    /// <summary>Whether the named property argument <paramref name="name"/> was written.</summary>
    public bool HasNamed(string name) => _data.NamedArguments.Any(pair => pair.Key == name);

    /// <summary>The location of the whole attribute.</summary>
    public LocationInfo? Location => LocationInfo.From(_syntax) ?? LocationInfo.From(_data.ApplicationSyntaxReference?.GetSyntax().GetLocation());

    /// <summary>The location of constructor parameter <paramref name="position"/> (named <paramref name="parameterName"/>), or of the attribute.</summary>
    public LocationInfo? ArgumentLocation(int position, string parameterName)
    {
        var arguments = _syntax?.ArgumentList?.Arguments;
        if (arguments is null) return Location;
        foreach (var argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == parameterName) return LocationInfo.From(argument);
        }
        int index = 0;
        foreach (var argument in arguments)
        {
            if (argument.NameColon is not null || argument.NameEquals is not null) continue;
            if (index == position) return LocationInfo.From(argument);
            index++;
        }
        return Location;
    }

    /// <summary>The location of the named property argument <paramref name="propertyName"/>, or of the attribute.</summary>
    public LocationInfo? NamedArgumentLocation(string propertyName)
    {
        var arguments = _syntax?.ArgumentList?.Arguments;
        if (arguments is null) return Location;
        foreach (var argument in arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == propertyName) return LocationInfo.From(argument);
        }
        return Location;
    }

    /// <summary>The constructor argument at <paramref name="position"/>, or null when missing or erroneous.</summary>
    public TypedConstant? Constructor(int position)
    {
        if (!IsBound || position >= _data.ConstructorArguments.Length) return null;
        var value = _data.ConstructorArguments[position];
        return value.Kind == TypedConstantKind.Error ? null : value;
    }

    /// <summary>The named argument <paramref name="name"/>, or null when not given or erroneous.</summary>
    public TypedConstant? Named(string name)
    {
        foreach (var pair in _data.NamedArguments)
        {
            if (pair.Key == name) return pair.Value.Kind == TypedConstantKind.Error ? null : pair.Value;
        }
        return null;
    }

    /// <summary>The values of an array constructor argument, or null when missing, erroneous or null.</summary>
    public ImmutableArray<TypedConstant>? ConstructorArray(int position)
    {
        var value = Constructor(position);
        if (value is null || value.Value.Kind != TypedConstantKind.Array || value.Value.IsNull) return null;
        var values = value.Value.Values;
        return values.Any(v => v.Kind == TypedConstantKind.Error) ? null : values;
    }
}
