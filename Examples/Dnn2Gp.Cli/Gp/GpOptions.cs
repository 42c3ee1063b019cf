namespace Dnn2Gp.Cli.Gp;

/// <summary>The options every <c>dnn2gp gp</c> example takes: where the data are, where the figures go, and how much to run.</summary>
/// <param name="Data">The data folder (null: the shared folder beside the repository).</param>
/// <param name="Out">The folder the figures and CSV files are written to (created if missing).</param>
/// <param name="Repeats">Data sets or splits to average over (null: all of them).</param>
/// <param name="Epochs">Training epochs (null: the published setting).</param>
/// <param name="Sweep">Which sweep(s) of the wine example: delta, sigma, width or all.</param>
internal sealed record GpOptions(string? Data, string Out, int? Repeats, int? Epochs, string Sweep);
