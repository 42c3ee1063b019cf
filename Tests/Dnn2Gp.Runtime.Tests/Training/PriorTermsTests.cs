using Dnn2Gp.Runtime.Training;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Training;

public sealed class PriorTermsTests
{
    [Fact]
    public void OnlyAPriorWithEveryPrecisionZeroIsLeftOut()
    {
        Assert.True(PriorTerms.IsZero(new IsotropicGaussianPrior(0)));
        Assert.False(PriorTerms.IsZero(new IsotropicGaussianPrior(1e-4)));
        Assert.True(PriorTerms.IsZero(new LayerwiseGaussianPrior(0, 0, 0)));
        Assert.False(PriorTerms.IsZero(new LayerwiseGaussianPrior(0, 1e-3, 0)));
    }
}
