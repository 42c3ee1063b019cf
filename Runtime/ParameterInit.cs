using System;
using System.Numerics;

namespace Dnn2Gp.Runtime;

/// <summary>Parameter initialisation schemes.</summary>
public static class ParameterInit
{
    /// <summary>
    /// PyTorch's default for <c>nn.Linear</c> (kaiming_uniform with a = √5 for the weight, uniform for the bias): every
    /// element uniform in ±1/√fan_in. <paramref name="layer"/> is the layer's weight followed by its bias.
    /// </summary>
    public static void UniformFanIn<T>(Span<T> layer, int fanIn, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        double bound = 1.0 / Math.Sqrt(fanIn);
        for (int i = 0; i < layer.Length; i++)
        {
            layer[i] = T.CreateChecked((2.0 * random.NextDouble() - 1.0) * bound);
        }
    }
}
