using System;
using System.Collections.Generic;
using System.Globalization;
using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Runtime.Continual;

/// <summary>
/// Test accuracies of a continual-learning run: entry [trained, tested] is the accuracy on task
/// <c>tested</c>'s test set after training on tasks 0…<c>trained</c> (0-based indices; task t of the papers is
/// t − 1). Entries not (yet) measured are NaN. The reported number is <see cref="FinalAverage"/>, the mean over all
/// tasks after the last one; over several runs, <see cref="Summarise"/> gives its mean and population standard
/// deviation (as FROMP reports them).
/// </summary>
public sealed class AccuracyMatrix
{
    private readonly double[] _values;

    /// <summary>An empty (all NaN) matrix for <paramref name="tasks"/> tasks.</summary>
    public AccuracyMatrix(int tasks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tasks);
        Tasks = tasks;
        _values = new double[tasks * tasks];
        Array.Fill(_values, double.NaN);
    }

    /// <summary>The number of tasks (rows and columns).</summary>
    public int Tasks { get; }

    /// <summary>
    /// The accuracy (a fraction in [0, 1]) on task <paramref name="tested"/> after training task
    /// <paramref name="trained"/>; NaN when not measured. Setting NaN clears an entry.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0…Tasks−1, or the accuracy is outside [0, 1].</exception>
    public double this[int trained, int tested]
    {
        get => _values[Offset(trained, tested)];
        set
        {
            if (!double.IsNaN(value) && !(value >= 0 && value <= 1))
                throw new ArgumentOutOfRangeException(nameof(value), value, "An accuracy is a fraction in [0, 1] (or NaN for 'not measured').");
            _values[Offset(trained, tested)] = value;
        }
    }

    /// <summary>Whether every entry with tested ≤ trained (the ones FROMP measures) is set.</summary>
    public bool IsComplete
    {
        get
        {
            for (int t = 0; t < Tasks; t++)
            {
                for (int s = 0; s <= t; s++)
                {
                    if (double.IsNaN(_values[t * Tasks + s]))
                        return false;
                }
            }
            return true;
        }
    }

    /// <summary>The mean accuracy over tasks 0…<paramref name="trained"/> after training task <paramref name="trained"/>.</summary>
    /// <exception cref="InvalidOperationException">One of those entries is not set.</exception>
    public double AverageAfter(int trained)
    {
        Offset(trained, 0);
        double sum = 0;
        for (int s = 0; s <= trained; s++)
        {
            double a = _values[trained * Tasks + s];
            if (double.IsNaN(a))
                throw new InvalidOperationException($"The accuracy on task {s + 1} after training task {trained + 1} has not been recorded.");
            sum += a;
        }
        return sum / (trained + 1);
    }

    /// <summary>The average accuracy over all tasks after the last task: the number the papers report.</summary>
    public double FinalAverage => AverageAfter(Tasks - 1);

    /// <summary>A copy of the matrix as [Tasks, Tasks] row-major (row = trained, column = tested), NaN where not measured.</summary>
    public double[] ToArray() => (double[])_values.Clone();

    /// <summary>
    /// Writes the matrix as CSV: header <c>after_task,task_1,…,task_T,average</c>; row t (1-based task numbers) holds
    /// the accuracies after training task t, an empty cell where not measured, and their average when complete.
    /// </summary>
    public void WriteCsv(string path)
    {
        var header = new string[Tasks + 2];
        header[0] = "after_task";
        for (int s = 0; s < Tasks; s++)
            header[s + 1] = $"task_{s + 1}";
        header[^1] = "average";
        using var csv = new CsvWriter(path, header);
        var cells = new string[Tasks + 2];
        for (int t = 0; t < Tasks; t++)
        {
            cells[0] = (t + 1).ToString(CultureInfo.InvariantCulture);
            bool complete = true;
            for (int s = 0; s < Tasks; s++)
            {
                double a = _values[t * Tasks + s];
                cells[s + 1] = double.IsNaN(a) ? "" : CsvWriter.Format(a);
                if (s <= t && double.IsNaN(a))
                    complete = false;
            }
            cells[^1] = complete ? CsvWriter.Format(AverageAfter(t)) : "";
            csv.WriteRow(cells);
        }
    }

    /// <summary>The mean and population standard deviation of <see cref="FinalAverage"/> over <paramref name="runs"/> (e.g. seeds).</summary>
    /// <exception cref="ArgumentException">No runs, or runs with different numbers of tasks.</exception>
    /// <exception cref="InvalidOperationException">A run's last row is incomplete.</exception>
    public static AccuracySummary Summarise(IReadOnlyList<AccuracyMatrix> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
            throw new ArgumentException("Summarising needs at least one run.", nameof(runs));
        var finals = new double[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            ArgumentNullException.ThrowIfNull(runs[r], nameof(runs));
            if (runs[r].Tasks != runs[0].Tasks)
                throw new ArgumentException($"Run {r} has {runs[r].Tasks} tasks but run 0 has {runs[0].Tasks}.", nameof(runs));
            finals[r] = runs[r].FinalAverage;
        }
        double mean = 0;
        foreach (double f in finals)
            mean += f;
        mean /= finals.Length;
        double squares = 0;
        foreach (double f in finals)
            squares += (f - mean) * (f - mean);
        return new AccuracySummary(mean, Math.Sqrt(squares / finals.Length), finals);
    }

    /// <summary>
    /// Writes one row per run (<c>run,seed,final_average</c>) and then the rows <c>mean</c> and <c>std</c>
    /// (population) in the <c>run</c> column.
    /// </summary>
    /// <exception cref="ArgumentException">The numbers of runs and seeds differ.</exception>
    public static void WriteSummaryCsv(string path, IReadOnlyList<AccuracyMatrix> runs, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        AccuracySummary summary = Summarise(runs);
        if (seeds.Count != runs.Count)
            throw new ArgumentException($"{runs.Count} runs but {seeds.Count} seeds.", nameof(seeds));
        using var csv = new CsvWriter(path, "run", "seed", "final_average");
        for (int r = 0; r < runs.Count; r++)
            csv.WriteRow([(r + 1).ToString(CultureInfo.InvariantCulture), seeds[r].ToString(CultureInfo.InvariantCulture), CsvWriter.Format(summary.FinalAverages[r])]);
        csv.WriteRow(["mean", "", CsvWriter.Format(summary.Mean)]);
        csv.WriteRow(["std", "", CsvWriter.Format(summary.StandardDeviation)]);
    }

    private int Offset(int trained, int tested)
    {
        if ((uint)trained >= (uint)Tasks)
            throw new ArgumentOutOfRangeException(nameof(trained), trained, $"The matrix has {Tasks} tasks (indices 0..{Tasks - 1}).");
        if ((uint)tested >= (uint)Tasks)
            throw new ArgumentOutOfRangeException(nameof(tested), tested, $"The matrix has {Tasks} tasks (indices 0..{Tasks - 1}).");
        return trained * Tasks + tested;
    }
}

/// <summary>The final average accuracy over runs: mean, population standard deviation and the per-run values.</summary>
/// <param name="Mean">The mean of the runs' final averages.</param>
/// <param name="StandardDeviation">Their population standard deviation.</param>
/// <param name="FinalAverages">Each run's final average, in run order.</param>
public sealed record AccuracySummary(double Mean, double StandardDeviation, double[] FinalAverages)
{
    /// <summary>The number of runs.</summary>
    public int Runs => FinalAverages.Length;

    /// <summary>"94.85 ± 0.12 %" style text (percentages, two decimals).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{100 * Mean:F2} ± {100 * StandardDeviation:F2} % over {Runs} run(s)");
}
