namespace Dnn2Gp.Plots;

/// <summary>The colour maps a heat map or probability field can use.</summary>
public enum ColorMap
{
    /// <summary>Perceptually uniform dark blue → green → yellow (matplotlib's default).</summary>
    Viridis,

    /// <summary>Black → white.</summary>
    Greys,

    /// <summary>White → dark blue (for accuracies and other values in [0, 1]).</summary>
    Blues,

    /// <summary>Blue → white → red, white at the middle of the range (for probabilities and signed kernels).</summary>
    BlueWhiteRed,

    /// <summary>Black → purple → orange → yellow.</summary>
    Inferno,
}
