using Dnn2Gp.Runtime.Data;

namespace Dnn2Gp.Plots;

/// <summary>
/// One panel of a 2-D decision-boundary figure: a probability field over a <see cref="Grid2D"/> (the predicted
/// probability of class 1, shown blue → white → red with the p = 0.5 contour) and scatter points coloured by class.
/// </summary>
/// <param name="Title">The panel's title, e.g. "after task 3".</param>
/// <param name="Grid">The grid the field was evaluated on.</param>
/// <param name="Probability">[Grid.Height, Grid.Width] row-major: Probability[j·Width + i] at (Grid.Xs[i], Grid.Ys[j]); values in [0, 1].</param>
/// <param name="Points">The scatter points, [n, 2] row-major.</param>
/// <param name="Labels">The class of each point (0, 1, …).</param>
public sealed record DecisionPanel(string Title, Grid2D Grid, double[] Probability, float[] Points, int[] Labels)
{
    /// <summary>Points to emphasise (e.g. FROMP's memorable points), [m, 2]; drawn as black-edged markers. Null for none.</summary>
    public float[]? Highlighted { get; init; }

    /// <summary>Draw the p = 0.5 contour.</summary>
    public bool ShowBoundary { get; init; } = true;

    /// <summary>The marker diameter of the scatter points, in pixels.</summary>
    public float MarkerSize { get; init; } = 3;
}
