namespace Dnn2Gp.Plots;

/// <summary>A grey-scale image for <see cref="Figures.ImageGrid"/>: Rows × Columns values in [0, 1], row-major, 0 black and 1 white.</summary>
/// <param name="Pixels">Rows·Columns values in [0, 1] (an MNIST input as loaded: pixel / 255).</param>
/// <param name="Rows">Image height in pixels.</param>
/// <param name="Columns">Image width in pixels.</param>
/// <param name="Caption">Text under the image (e.g. "7 (score 0.93)"); may be empty.</param>
public sealed record GreyImage(float[] Pixels, int Rows, int Columns, string Caption)
{
    /// <summary>A 28×28 MNIST image (784 values in [0, 1]).</summary>
    public static GreyImage Mnist(float[] pixels, string caption) => new(pixels, 28, 28, caption);
}
