using System.Linq;

namespace Dnn2Gp.Runtime.Training;

/// <summary>What a training step needs of a network's prior.</summary>
internal static class PriorTerms
{
    /// <summary>
    /// Whether the prior's penalty and gradient are zero for any parameters (every precision δ is 0), so that a step
    /// can leave them out: adding them would cost two passes over the parameters per step and change nothing.
    /// </summary>
    public static bool IsZero(Prior prior) => prior switch
    {
        IsotropicGaussianPrior isotropic => isotropic.Precision == 0,
        LayerwiseGaussianPrior layerwise => layerwise.Precisions.All(p => p == 0),
        _ => false,
    };
}
