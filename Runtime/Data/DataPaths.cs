using System;
using System.IO;

namespace Dnn2Gp.Runtime.Data;

/// <summary>Finds the shared data folders (shared/data/&lt;name&gt;) without writing any machine path into code.</summary>
public static class DataPaths
{
    /// <summary>The environment variable naming a folder that contains the data folders (&lt;DNN2GP_DATA&gt;/mnist, …).</summary>
    public const string EnvironmentVariable = "DNN2GP_DATA";

    /// <summary>
    /// Returns the full path of the folder <c>shared/data/&lt;name&gt;</c>, or null when there is none.
    /// When the environment variable <see cref="EnvironmentVariable"/> is set, only <c>$DNN2GP_DATA/&lt;name&gt;</c> is
    /// considered. Otherwise, starting at <paramref name="startDirectory"/> (by default first
    /// <see cref="AppContext.BaseDirectory"/>, then the current directory), each directory <c>d</c> and its ancestors are
    /// tried: <c>d/shared/data/&lt;name&gt;</c> and <c>d/../shared/data/&lt;name&gt;</c>.
    /// </summary>
    /// <param name="name">The data set's folder name, such as "mnist" or "fashion-mnist".</param>
    /// <param name="startDirectory">Where to start walking up; null for the defaults.</param>
    public static string? FindShared(string name, string? startDirectory = null) =>
        FindShared(name, startDirectory, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary><see cref="FindShared(string, string?)"/> with the environment variable's value passed in (for tests).</summary>
    internal static string? FindShared(string name, string? startDirectory, string? dataRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny([.. Path.GetInvalidFileNameChars()]) >= 0 || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a plain folder name.", nameof(name));

        if (!string.IsNullOrWhiteSpace(dataRoot))
        {
            string candidate = Path.GetFullPath(Path.Combine(dataRoot, name));
            return Directory.Exists(candidate) ? candidate : null;
        }

        if (startDirectory is not null)
            return WalkUp(startDirectory, name);
        return WalkUp(AppContext.BaseDirectory, name) ?? WalkUp(Environment.CurrentDirectory, name);
    }

    private static string? WalkUp(string start, string name)
    {
        if (string.IsNullOrWhiteSpace(start))
            return null;
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            string here = Path.Combine(dir.FullName, "shared", "data", name);
            if (Directory.Exists(here))
                return here;
            if (dir.Parent is { } parent)
            {
                string beside = Path.Combine(parent.FullName, "shared", "data", name);
                if (Directory.Exists(beside))
                    return beside;
            }
        }
        return null;
    }
}
