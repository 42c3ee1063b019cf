using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A published hyper-parameter sweep of the DNN2GP marginal-likelihood experiments (the <c>*_sweep_raw.csv</c> files
/// of <c>dnn2gp-marglik-toy/</c> and <c>dnn2gp-marglik-wine/</c>): the first column is the swept parameter
/// (<c>delta</c>, <c>width</c> or <c>sigma_noise</c>), the second the data set or split number (<c>dataset</c> or
/// <c>split</c>, 0…G−1), every other column a metric (for example <c>mlh</c>, the GP log marginal likelihood, not
/// negated; <c>test_loss_map</c> or <c>test_mse_map</c>). Every (parameter, group) pair appears exactly once.
/// </summary>
/// <example>
/// <code>
/// var sweep = PublishedSweep.Load(Path.Combine(toyFolder, "delta_sweep_raw.csv"));
/// SweepCurve negMlh = sweep.Curve("mlh", negate: true);      // −log marginal likelihood, mean ± s.e. over data sets
/// Console.WriteLine($"argmin δ = {negMlh.Parameters[negMlh.ArgMin]}");   // 0.631
/// </code>
/// </example>
public sealed class PublishedSweep
{
    private readonly double[] _parameters;
    private readonly Dictionary<string, double[]> _metrics; // [parameter, group] row-major

    private PublishedSweep(string path, string parameterName, string groupName, double[] parameters, int groups,
        string[] metricNames, Dictionary<string, double[]> metrics)
    {
        Path = path;
        ParameterName = parameterName;
        GroupName = groupName;
        _parameters = parameters;
        GroupCount = groups;
        MetricNames = metricNames;
        _metrics = metrics;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The swept parameter's column name: "delta", "width" or "sigma_noise".</summary>
    public string ParameterName { get; }

    /// <summary>The group column's name: "dataset" (toy) or "split" (wine).</summary>
    public string GroupName { get; }

    /// <summary>The distinct parameter values in ascending order.</summary>
    public ReadOnlySpan<double> Parameters => _parameters;

    /// <summary>The number of data sets or splits.</summary>
    public int GroupCount { get; }

    /// <summary>The metric columns, in file order.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>The metric's value at parameter <paramref name="parameterIndex"/> for data set or split <paramref name="group"/>.</summary>
    public double Value(string metric, int parameterIndex, int group)
    {
        double[] values = Metric(metric);
        if ((uint)parameterIndex >= (uint)_parameters.Length)
            throw new ArgumentOutOfRangeException(nameof(parameterIndex), parameterIndex, $"'{Path}' has {_parameters.Length} {ParameterName} values.");
        if ((uint)group >= (uint)GroupCount)
            throw new ArgumentOutOfRangeException(nameof(group), group, $"'{Path}' has {GroupCount} {GroupName} values.");
        return values[parameterIndex * GroupCount + group];
    }

    /// <summary>
    /// The metric per parameter value: mean over the groups and standard error = population std / √G (as
    /// <c>marglik_plots.py</c> draws it); negated first when <paramref name="negate"/> (for −log marginal likelihood).
    /// </summary>
    public SweepCurve Curve(string metric, bool negate = false)
    {
        double[] values = Metric(metric);
        int p = _parameters.Length, g = GroupCount;
        var mean = new double[p];
        var se = new double[p];
        double sign = negate ? -1 : 1;
        for (int i = 0; i < p; i++)
        {
            double sum = 0;
            for (int j = 0; j < g; j++)
                sum += sign * values[i * g + j];
            double m = sum / g, squares = 0;
            for (int j = 0; j < g; j++)
            {
                double e = sign * values[i * g + j] - m;
                squares += e * e;
            }
            mean[i] = m;
            se[i] = Math.Sqrt(squares / g) / Math.Sqrt(g);
        }
        return new SweepCurve(negate ? "-" + metric : metric, ParameterName, _parameters.AsSpan().ToArray(), mean, se, g);
    }

    /// <summary>Reads a sweep file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Fewer than three columns, a malformed cell, a group number that is not an integer in 0…G−1, or a (parameter, group) pair missing or repeated.</exception>
    public static PublishedSweep Load(string path)
    {
        CsvTable table = CsvTable.Read(path);
        if (table.ColumnNames.Count < 3)
            throw new InvalidDataException(
                $"'{path}' has the columns {string.Join(", ", table.ColumnNames)}; a sweep needs the parameter, the data set or split, and at least one metric.");
        if (table.RowCount == 0)
            throw new InvalidDataException($"'{path}' has a header but no data rows.");
        string parameterName = table.ColumnNames[0], groupName = table.ColumnNames[1];
        ReadOnlySpan<double> parameter = table.Column(0), group = table.Column(1);

        var distinct = new SortedSet<double>();
        int groups = 0;
        for (int r = 0; r < table.RowCount; r++)
        {
            distinct.Add(parameter[r]);
            double gv = group[r];
            if (gv < 0 || gv != Math.Floor(gv) || gv > int.MaxValue - 1)
                throw new InvalidDataException($"'{path}' data row {r + 1}: {groupName} {gv} is not a non-negative integer.");
            groups = Math.Max(groups, (int)gv + 1);
        }
        double[] parameters = [.. distinct];
        var position = new Dictionary<double, int>();
        for (int i = 0; i < parameters.Length; i++)
            position[parameters[i]] = i;

        int cells = parameters.Length * groups;
        if (table.RowCount != cells)
            throw new InvalidDataException(
                $"'{path}' has {table.RowCount} data rows, but {parameters.Length} {parameterName} values × {groups} {groupName} values need {cells}, one per pair.");
        var row = new int[cells];
        Array.Fill(row, -1);
        for (int r = 0; r < table.RowCount; r++)
        {
            int cell = position[parameter[r]] * groups + (int)group[r];
            if (row[cell] >= 0)
                throw new InvalidDataException(
                    $"'{path}' data rows {row[cell] + 1} and {r + 1} are both for {parameterName} {parameter[r]}, {groupName} {group[r]}.");
            row[cell] = r;
        }

        var metricNames = new string[table.ColumnNames.Count - 2];
        var metrics = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int c = 2; c < table.ColumnNames.Count; c++)
        {
            ReadOnlySpan<double> column = table.Column(c);
            var values = new double[cells];
            for (int cell = 0; cell < cells; cell++)
                values[cell] = column[row[cell]];
            metricNames[c - 2] = table.ColumnNames[c];
            metrics[table.ColumnNames[c]] = values;
        }
        return new PublishedSweep(path, parameterName, groupName, parameters, groups, metricNames, metrics);
    }

    /// <summary>
    /// Reads a published sweep of a shared folder by name: <paramref name="file"/> (e.g. "delta_sweep_raw.csv") in
    /// <paramref name="folder"/>, which is the <c>dnn2gp-marglik-toy/</c> or <c>dnn2gp-marglik-wine/</c> folder
    /// named by <paramref name="catalogueName"/> (<see cref="SharedDataFolders.MarglikToy"/> or
    /// <see cref="SharedDataFolders.MarglikWine"/>) for the message when it is missing.
    /// </summary>
    public static PublishedSweep Load(string folder, string file, string catalogueName) =>
        Load(SharedDataFolders.File(folder, file, catalogueName, "Published DNN2GP sweep"));

    private double[] Metric(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (_metrics.TryGetValue(metric, out double[]? values))
            return values;
        throw new KeyNotFoundException($"'{Path}' has no metric '{metric}'; its metrics are {string.Join(", ", MetricNames)}.");
    }
}

/// <summary>One metric of a <see cref="PublishedSweep"/> (or of our own sweep) as a curve over the parameter: mean and standard error per value.</summary>
/// <param name="Metric">The metric's name ("-mlh" when negated).</param>
/// <param name="ParameterName">The swept parameter's name.</param>
/// <param name="Parameters">The parameter values, ascending.</param>
/// <param name="Mean">The mean over data sets or splits, per parameter value.</param>
/// <param name="StandardError">Population standard deviation / √groups, per parameter value.</param>
/// <param name="Groups">The number of data sets or splits averaged.</param>
public sealed record SweepCurve(string Metric, string ParameterName, double[] Parameters, double[] Mean, double[] StandardError, int Groups)
{
    /// <summary>The index of the smallest mean (the first one on ties).</summary>
    public int ArgMin
    {
        get
        {
            int best = 0;
            for (int i = 1; i < Mean.Length; i++)
            {
                if (Mean[i] < Mean[best])
                    best = i;
            }
            return best;
        }
    }
}
