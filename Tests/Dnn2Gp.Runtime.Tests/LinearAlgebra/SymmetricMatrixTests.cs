using System;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

public class SymmetricMatrixTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(33)]
    [InlineData(70)]
    public void Symmetrize_AveragesAndMirror_CopiesLower(int n)
    {
        double[] a = Reference.Random(n, n, seed: n);
        var s = (double[])a.Clone();
        SymmetricMatrix.Symmetrize(s, n);
        var m = (double[])a.Clone();
        SymmetricMatrix.MirrorLower(m, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(0.5 * (a[(i * n) + j] + a[(j * n) + i]), s[(i * n) + j], 1e-15);
                Assert.Equal(a[(Math.Max(i, j) * n) + Math.Min(i, j)], m[(i * n) + j]);
            }
        }
        Assert.True(SymmetricMatrix.IsSymmetric(s, n, 0));
        Assert.True(SymmetricMatrix.IsSymmetric(m, n, 0));
        Assert.Equal(n == 1, SymmetricMatrix.IsSymmetric(a, n, 1e-3));

        float[] f = Array.ConvertAll(a, v => (float)v);
        SymmetricMatrix.MirrorLower(f, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(f[(i * n) + j], f[(j * n) + i]);
            }
        }
    }

    [Fact]
    public void IsSymmetric_UsesRelativeTolerance_AndFindsTheWorstEntry()
    {
        double[] a = [100, 2, 3, 2, 5, 6, 3, 6 + 1e-9, 9];
        Assert.True(SymmetricMatrix.IsSymmetric(a, 3, 1e-10));
        Assert.False(SymmetricMatrix.IsSymmetric(a, 3, 1e-12));
        double r = SymmetricMatrix.RelativeAsymmetry(a, 3, out int row, out int column);
        Assert.Equal(2, row);
        Assert.Equal(1, column);
        Assert.Equal(1e-11, r, 1e-15);
        a[1] = double.NaN;
        Assert.False(SymmetricMatrix.IsSymmetric(a, 3, 1));
    }
}
