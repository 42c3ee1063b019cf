using System;

namespace Dnn2Gp.Runtime.Data;

/// <summary>
/// A rectangular grid of 2-D points for drawing decision boundaries: <see cref="Xs"/> (Width values) by
/// <see cref="Ys"/> (Height values). Point (i, j) — column i, row j — is (Xs[i], Ys[j]); flattened, it is point
/// j·Width + i, so a field over the grid is stored row by row with y increasing.
/// </summary>
public sealed class Grid2D
{
    private readonly double[] _xs;
    private readonly double[] _ys;

    /// <summary>A grid of <paramref name="width"/> × <paramref name="height"/> points spanning the given ranges (end points included).</summary>
    /// <exception cref="ArgumentException">A range is empty or not finite, or a size is below 2.</exception>
    public Grid2D(double xMin, double xMax, double yMin, double yMax, int width, int height)
    {
        if (!(double.IsFinite(xMin) && double.IsFinite(xMax) && xMin < xMax))
            throw new ArgumentException($"The x range [{xMin}, {xMax}] must be finite with xMin < xMax.", nameof(xMax));
        if (!(double.IsFinite(yMin) && double.IsFinite(yMax) && yMin < yMax))
            throw new ArgumentException($"The y range [{yMin}, {yMax}] must be finite with yMin < yMax.", nameof(yMax));
        if (width < 2)
            throw new ArgumentOutOfRangeException(nameof(width), width, "A grid needs at least 2 points across.");
        if (height < 2)
            throw new ArgumentOutOfRangeException(nameof(height), height, "A grid needs at least 2 points down.");
        _xs = Grids.Linspace(xMin, xMax, width);
        _ys = Grids.Linspace(yMin, yMax, height);
    }

    /// <summary>
    /// The grid over the bounding box of <paramref name="points"/> ([n, 2] row-major) widened by
    /// <paramref name="margin"/> on every side, with spacing about <paramref name="step"/> (FROMP's toy script:
    /// margin 0.2, step 0.01). The number of points per axis is capped at <paramref name="maxPerAxis"/>.
    /// </summary>
    public static Grid2D Around(ReadOnlySpan<float> points, double margin = 0.2, double step = 0.01, int maxPerAxis = 1000)
    {
        if (points.Length == 0 || points.Length % 2 != 0)
            throw new ArgumentException($"Expected [n, 2] points (an even, non-zero number of values), got {points.Length} values.", nameof(points));
        if (!(margin >= 0 && double.IsFinite(margin)))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be finite and non-negative.");
        if (!(step > 0 && double.IsFinite(step)))
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be finite and positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerAxis, 2);
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        for (int i = 0; i < points.Length; i += 2)
        {
            double x = points[i], y = points[i + 1];
            if (!double.IsFinite(x) || !double.IsFinite(y))
                throw new ArgumentException($"Point {i / 2} is ({x}, {y}); points must be finite.", nameof(points));
            xMin = Math.Min(xMin, x);
            xMax = Math.Max(xMax, x);
            yMin = Math.Min(yMin, y);
            yMax = Math.Max(yMax, y);
        }
        xMin -= margin; xMax += margin; yMin -= margin; yMax += margin;
        if (xMax - xMin < step)
            xMax = xMin + step;
        if (yMax - yMin < step)
            yMax = yMin + step;
        int width = Math.Clamp((int)Math.Round((xMax - xMin) / step) + 1, 2, maxPerAxis);
        int height = Math.Clamp((int)Math.Round((yMax - yMin) / step) + 1, 2, maxPerAxis);
        return new Grid2D(xMin, xMax, yMin, yMax, width, height);
    }

    /// <summary>The x coordinates of the columns, increasing.</summary>
    public ReadOnlySpan<double> Xs => _xs;

    /// <summary>The y coordinates of the rows, increasing.</summary>
    public ReadOnlySpan<double> Ys => _ys;

    /// <summary>Points across (the number of x values).</summary>
    public int Width => _xs.Length;

    /// <summary>Points down (the number of y values).</summary>
    public int Height => _ys.Length;

    /// <summary>Width · Height.</summary>
    public int Count => _xs.Length * _ys.Length;

    /// <summary>Writes the grid's points into <paramref name="destination"/> as [Count, 2] row-major, point j·Width + i = (Xs[i], Ys[j]).</summary>
    public void CopyPoints(Span<float> destination)
    {
        if (destination.Length < 2 * Count)
            throw new ArgumentException($"The grid has {Count} points, which need {2 * Count} values; the destination holds {destination.Length}.", nameof(destination));
        int k = 0;
        for (int j = 0; j < _ys.Length; j++)
        {
            for (int i = 0; i < _xs.Length; i++)
            {
                destination[k++] = (float)_xs[i];
                destination[k++] = (float)_ys[j];
            }
        }
    }

    /// <summary>The grid's points as a new [Count, 2] array (see <see cref="CopyPoints"/>).</summary>
    public float[] Points()
    {
        var points = new float[2 * Count];
        CopyPoints(points);
        return points;
    }
}
