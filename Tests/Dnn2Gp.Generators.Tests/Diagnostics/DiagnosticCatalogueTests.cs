using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dnn2Gp.Generators.Tests.Diagnostics;

/// <summary>The catalogue itself: IDs unique, sorted, well-formed, in their range, and listed in the release files.</summary>
public sealed class DiagnosticCatalogueTests
{
    /// <summary>The descriptors in declaration order.</summary>
    internal static IReadOnlyList<DiagnosticDescriptor> Descriptors() => typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .OrderBy(f => f.MetadataToken)
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    [Fact]
    public void Catalogue_has_every_documented_id()
    {
        var expected = new[]
        {
            "DNN2GP001", "DNN2GP002", "DNN2GP003", "DNN2GP004", "DNN2GP005", "DNN2GP006", "DNN2GP007", "DNN2GP008", "DNN2GP009", "DNN2GP010",
            "DNN2GP101", "DNN2GP102", "DNN2GP103", "DNN2GP104", "DNN2GP105", "DNN2GP106", "DNN2GP107", "DNN2GP108", "DNN2GP109",
            "DNN2GP201", "DNN2GP202",
        };

        Assert.Equal(expected, Descriptors().Select(d => d.Id));
    }

    [Fact]
    public void Ids_are_unique_sorted_and_well_formed()
    {
        var ids = Descriptors().Select(d => d.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.OrderBy(id => id, StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.Matches(@"^DNN2GP\d{3}$", id));
    }

    [Fact]
    public void Each_id_is_in_the_range_of_its_category()
    {
        foreach (var descriptor in Descriptors())
        {
            int number = int.Parse(descriptor.Id.Substring("DNN2GP".Length), System.Globalization.CultureInfo.InvariantCulture);
            string expected = number switch
            {
                < 100 => "Dnn2Gp.Declaration",
                < 200 => "Dnn2Gp.Shape",
                < 300 => "Dnn2Gp.Combination",
                _ => "Dnn2Gp.Performance",
            };
            Assert.True(expected == descriptor.Category, $"{descriptor.Id} has category {descriptor.Category}, expected {expected} for its range.");
        }
    }

    [Fact]
    public void Each_descriptor_is_complete()
    {
        foreach (var d in Descriptors())
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()), $"{d.Id} has no title.");
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat.ToString()), $"{d.Id} has no message format.");
            Assert.False(string.IsNullOrWhiteSpace(d.Description.ToString()), $"{d.Id} has no description.");
            Assert.True(d.IsEnabledByDefault, $"{d.Id} is not enabled by default.");
            Assert.True(d.DefaultSeverity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning, $"{d.Id} has severity {d.DefaultSeverity}.");
        }
    }

    [Fact]
    public void Each_id_is_listed_in_the_analyzer_release_files_with_its_category_severity_and_title()
    {
        string generators = Path.Combine(Snapshot.ProjectDirectory, "..", "..", "Generators");
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(file => File.ReadAllLines(Path.Combine(generators, file)))
            .Select(line => Regex.Match(line, @"^\s*(DNN2GP\d{3})\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*(.*?)\s*$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => (Category: m.Groups[2].Value, Severity: m.Groups[3].Value, Notes: m.Groups[4].Value));

        foreach (var d in Descriptors())
        {
            Assert.True(rows.TryGetValue(d.Id, out var row), $"{d.Id} is not listed in Generators/AnalyzerReleases.*.md.");
            Assert.Equal((d.Category, d.DefaultSeverity.ToString(), d.Title.ToString()), row);
        }
        Assert.Equal(Descriptors().Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), rows.Keys.OrderBy(id => id, StringComparer.Ordinal));
    }
}
