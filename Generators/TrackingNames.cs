namespace Dnn2Gp.Generators;

/// <summary>Names of the pipeline steps, for caching tests (they find them by reflection).</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Model = nameof(Model);
}
