using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// The Snelson 1-D regression data (Snelson &amp; Ghahramani 2005) as the DNN2GP regression-uncertainty experiment
/// (E1) uses it: 200 training points from <c>train_inputs</c>/<c>train_outputs</c>, the points with
/// 1.5 ≤ x ≤ 3 removed to make a gap (148 remain), predictions on 1000 evenly spaced points in [−4, 10].
/// </summary>
public static class Snelson
{
    /// <summary>The shared folder's name.</summary>
    public const string FolderName = SharedDataFolders.Snelson;

    /// <summary>The number of training points in the files.</summary>
    public const int TrainCount = 200;

    /// <summary>The number of training points left after <see cref="RemoveGap"/> with the default gap.</summary>
    public const int GapTrainCount = 148;

    /// <summary>The lower end of the removed gap (inclusive).</summary>
    public const double GapLow = 1.5;

    /// <summary>The upper end of the removed gap (inclusive).</summary>
    public const double GapHigh = 3.0;

    /// <summary>Reads the 200 training points (x, y) from <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder or a file is missing; the message says which files belong there.</exception>
    /// <exception cref="InvalidDataException">A line is not a number, or the input and output files have different lengths.</exception>
    public static RegressionSet LoadTrain(string folder)
    {
        string inputsPath = SharedDataFolders.File(folder, "train_inputs", FolderName, "Snelson");
        string outputsPath = SharedDataFolders.File(folder, "train_outputs", FolderName, "Snelson");
        double[] x = TextNumbers.ReadColumn(inputsPath);
        double[] y = TextNumbers.ReadColumn(outputsPath);
        if (x.Length != y.Length)
            throw new InvalidDataException(
                $"Snelson files disagree: '{inputsPath}' has {x.Length} inputs but '{outputsPath}' has {y.Length} outputs; line i of one pairs with line i of the other.");
        if (x.Length == 0)
            throw new InvalidDataException($"Snelson file '{inputsPath}' holds no numbers.");
        return new RegressionSet("snelson-train", x, 1, y);
    }

    /// <summary>The training points with the E1 gap removed (148 points, in file order).</summary>
    public static RegressionSet LoadTrainWithGap(string folder) => RemoveGap(LoadTrain(folder));

    /// <summary>Reads the 301-point test grid shipped in <c>test_inputs</c> (−3 to 10; not used by the paper's plot).</summary>
    public static double[] LoadTestInputs(string folder) =>
        TextNumbers.ReadColumn(SharedDataFolders.File(folder, "test_inputs", FolderName, "Snelson"));

    /// <summary>
    /// The examples of a 1-D set whose x lies outside [<paramref name="low"/>, <paramref name="high"/>] (both ends
    /// removed, as <c>regression_uncertainty.py</c> does), in their original order.
    /// </summary>
    public static RegressionSet RemoveGap(RegressionSet data, double low = GapLow, double high = GapHigh)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != 1)
            throw new ArgumentException($"RemoveGap needs 1-D inputs; '{data.Name}' has {data.InputSize} features.", nameof(data));
        if (!(low <= high))
            throw new ArgumentException($"The gap [{low}, {high}] is empty; expected low ≤ high.", nameof(high));
        var keep = new List<int>(data.Count);
        ReadOnlySpan<double> x = data.Inputs;
        for (int i = 0; i < data.Count; i++)
        {
            if (x[i] < low || x[i] > high)
                keep.Add(i);
        }
        return data.Subset(keep.ToArray(), $"{data.Name} without [{low}, {high}]");
    }

    /// <summary>The prediction grid of E1: <paramref name="count"/> evenly spaced x from <paramref name="low"/> to <paramref name="high"/> (numpy linspace).</summary>
    public static double[] PredictionGrid(int count = 1000, double low = -4, double high = 10) => Grids.Linspace(low, high, count);
}
