using System;
using System.Collections.Generic;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// The catalogue of the shared data folders the project reads (shared/data/&lt;folder&gt;) and the files each holds,
/// so that every "file missing" message can say which files belong in which folder.
/// </summary>
public static class SharedDataFolders
{
    /// <summary>MNIST's four IDX files.</summary>
    public const string Mnist = "mnist";

    /// <summary>Fashion-MNIST's four IDX files (same names as MNIST's).</summary>
    public const string FashionMnist = "fashion-mnist";

    /// <summary>The Snelson 1-D regression data.</summary>
    public const string Snelson = "snelson";

    /// <summary>UCI red wine with its 20 train/test splits.</summary>
    public const string WineQualityRed = "wine-quality-red";

    /// <summary>The DNN2GP toy marginal-likelihood data sets and published curves.</summary>
    public const string MarglikToy = "dnn2gp-marglik-toy";

    /// <summary>The DNN2GP published marginal-likelihood curves on red wine.</summary>
    public const string MarglikWine = "dnn2gp-marglik-wine";

    private static readonly Dictionary<string, string> Contents = new(StringComparer.Ordinal)
    {
        [Mnist] = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally gzipped as .gz)",
        [FashionMnist] = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally gzipped as .gz)",
        [Snelson] = "train_inputs, train_outputs, test_inputs (one number per line)",
        [WineQualityRed] = "data.txt, index_features.txt, index_target.txt, n_splits.txt, index_train_0.txt … index_train_19.txt, index_test_0.txt … index_test_19.txt",
        [MarglikToy] = "toy_train.csv, toy_test.csv, toy_width_train.csv, toy_width_test.csv, toy_grid.csv, delta_sweep_raw.csv, width_sweep_raw.csv, delta_sweep_fits_dataset0.csv",
        [MarglikWine] = "delta_sweep_raw.csv, sigma_sweep_raw.csv, width_sweep_raw.csv",
    };

    /// <summary>The folder names of the catalogue, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mnist, FashionMnist, Snelson, WineQualityRed, MarglikToy, MarglikWine];

    /// <summary>"train_inputs, train_outputs, test_inputs (…)": the files that belong in <paramref name="folder"/>, or null when it is not catalogued.</summary>
    public static string? FilesOf(string folder) => Contents.GetValueOrDefault(folder);

    /// <summary>
    /// The shared folder <paramref name="name"/> found by <see cref="DataPaths.FindShared(string, string?)"/>; when
    /// there is none, throws a <see cref="DirectoryNotFoundException"/> that says which files belong there and where
    /// to put them.
    /// </summary>
    public static string Require(string name)
    {
        string? folder = DataPaths.FindShared(name);
        if (folder is not null)
            return folder;
        throw new DirectoryNotFoundException(
            $"The '{name}' data folder was not found. {Placement(name)} " +
            $"Searched upwards from '{AppContext.BaseDirectory}' and '{Environment.CurrentDirectory}'.");
    }

    /// <summary>"The folder snelson/ holds …; put it at shared/data/snelson beside the repository, or set DNN2GP_DATA …".</summary>
    internal static string Placement(string name)
    {
        string files = FilesOf(name) is { } f ? $"The folder {name}/ holds {f}; put" : "Put";
        return $"{files} it at shared/data/{name} beside the repository (<repository>/../shared/data/{name}) or inside it " +
               $"(<repository>/shared/data/{name}), or set {DataPaths.EnvironmentVariable} to a folder that contains {name}/.";
    }

    /// <summary>
    /// The full path of <paramref name="file"/> inside <paramref name="folder"/>; throws a
    /// <see cref="FileNotFoundException"/> naming the file, the folder's expected contents and where they go when the
    /// folder or the file is missing.
    /// </summary>
    /// <param name="folder">The folder given by the caller.</param>
    /// <param name="file">The file name inside it.</param>
    /// <param name="catalogueName">The folder's catalogue name (e.g. <see cref="Snelson"/>), for the message.</param>
    /// <param name="what">What the data set is called in messages, e.g. "Snelson".</param>
    internal static string File(string folder, string file, string catalogueName, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new FileNotFoundException(
                $"The {what} folder '{full}' does not exist. {Placement(catalogueName)}", full);
        string path = Path.Combine(full, file);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException(
                $"{what} file {file} is missing: '{path}' does not exist. {Placement(catalogueName)}", path);
        return path;
    }
}
