using System;

namespace Dnn2Gp.Runtime.Data;

/// <summary>Evenly spaced grids, as numpy's <c>linspace</c> and <c>logspace</c> make them (both end points included).</summary>
public static class Grids
{
    /// <summary>
    /// <paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/>, both
    /// included (numpy <c>linspace(start, stop, count)</c>: value i = start + i·step, the last value exactly stop).
    /// </summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        CheckFinite(start, nameof(start));
        CheckFinite(stop, nameof(stop));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var values = new double[count];
        if (count == 0)
            return values;
        if (count == 1)
        {
            values[0] = start;
            return values;
        }
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++)
            values[i] = start + i * step;
        values[^1] = stop;
        return values;
    }

    /// <summary>
    /// 10^v for the <paramref name="count"/> values v of <see cref="Linspace"/>(<paramref name="startExponent"/>,
    /// <paramref name="stopExponent"/>, count): numpy <c>logspace</c>, e.g. the DNN2GP δ grid logspace(−2, 2, 21).
    /// </summary>
    public static double[] Logspace(double startExponent, double stopExponent, int count)
    {
        double[] values = Linspace(startExponent, stopExponent, count);
        for (int i = 0; i < values.Length; i++)
            values[i] = Math.Pow(10, values[i]);
        return values;
    }

    private static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, "Grid end points must be finite.");
    }

    /// <summary>The index of the grid point nearest to <paramref name="value"/> (the first of equally near ones).</summary>
    /// <exception cref="ArgumentException"><paramref name="grid"/> is empty.</exception>
    public static int Nearest(ReadOnlySpan<double> grid, double value)
    {
        if (grid.IsEmpty) throw new ArgumentException("The grid is empty.", nameof(grid));
        int best = 0;
        for (int i = 1; i < grid.Length; i++)
        {
            if (Math.Abs(grid[i] - value) < Math.Abs(grid[best] - value)) best = i;
        }
        return best;
    }
}
