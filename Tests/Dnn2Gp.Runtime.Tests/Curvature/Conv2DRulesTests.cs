using System;
using Dnn2Gp.Runtime.Cpu;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Curvature;

/// <summary>
/// The convolution curvature rules in float (the direct kernels where they apply) against the same rules in double
/// (unfold and GEMM, which the integration tests check against explicit Jacobians), on random activations and
/// factors: odd shapes, padding, dilation, stride 2 (unfolded in both), no bias, LeNet's layers.
/// </summary>
public sealed class Conv2DRulesTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, bool> Layers() => new()
    {
        // cin, h, w, cout, k, stride, padding, dilation, bias
        { 1, 28, 28, 6, 5, 1, 0, 1, true },
        { 6, 12, 12, 16, 5, 1, 0, 1, true },
        { 3, 9, 11, 5, 3, 1, 1, 1, false },
        { 2, 9, 9, 3, 3, 1, 0, 2, true },
        { 3, 9, 8, 4, 3, 2, 1, 1, true },
    };

    private static LayerInfo Layer(int cin, int h, int w, int cout, int k, int s, int p, int d, bool bias) =>
        LayerInfo.Conv2D(0, 0, new Conv2DGeometry(cin, h, w, cout, Conv2D.OutputLength(h, k, s, p, d), Conv2D.OutputLength(w, k, s, p, d), k, k, s, s, p, p, d, d), 0, bias);

    [Theory]
    [MemberData(nameof(Layers))]
    public void Float_diagonal_jacobian_rows_and_kfac_match_double(int cin, int h, int w, int cout, int k, int s, int p, int d, bool bias)
    {
        var layer = Layer(cin, h, w, cout, k, s, p, d, bias);
        const int n = 3, c = 4;
        var input = TestData.Uniform(n * layer.InputSize, 1);
        var factors = TestData.Uniform(n * c * layer.OutputSize, 2);
        var inputF = Array.ConvertAll(input, v => (float)v);
        var factorsF = Array.ConvertAll(factors, v => (float)v);
        int np = layer.ParameterCount;

        var diagonal = new double[np];
        LayerRules.AccumulateDiagonal(layer, input, factors, n, c, new double[LayerRules.DiagonalScratch(layer, n, c)], diagonal);
        var diagonalF = new double[np];
        LayerRules.AccumulateDiagonal(layer, inputF, factorsF, n, c, new float[LayerRules.DiagonalScratch(layer, n, c)], diagonalF);
        double scale = 0;
        foreach (double v in diagonal) scale = Math.Max(scale, v);
        for (int i = 0; i < np; i++) Assert.True(Math.Abs(diagonal[i] - diagonalF[i]) <= 1e-5 * scale, $"{layer}: diagonal[{i}] float {diagonalF[i]}, double {diagonal[i]}");

        var rows = new double[n * c * np];
        LayerRules.JacobianRows(layer, input, factors, n, c, rows, np);
        var rowsF = new float[n * c * np];
        LayerRules.JacobianRows(layer, inputF, factorsF, n, c, rowsF, np);
        double rowScale = 0;
        foreach (double v in rows) rowScale = Math.Max(rowScale, Math.Abs(v));
        for (int i = 0; i < rows.Length; i++) Assert.True(Math.Abs(rows[i] - rowsF[i]) <= 1e-5 * rowScale, $"{layer}: row element {i} float {rowsF[i]}, double {rows[i]}");

        // The diagonal is the column sums of the squared rows.
        for (int j = 0; j < np; j++)
        {
            double sum = 0;
            for (int q = 0; q < n * c; q++) sum += rows[q * np + j] * rows[q * np + j];
            Assert.True(Math.Abs(sum - diagonal[j]) <= 1e-10 * (1 + scale), $"{layer}: diagonal[{j}] {diagonal[j]} vs squared rows {sum}");
        }

        int cols = layer.AugmentedColumns, wr = layer.WeightRows;
        var a = new double[cols * cols];
        var g = new double[wr * wr];
        LayerRules.AccumulateKfac(layer, input, factors, n, c, new double[LayerRules.KfacScratch(layer, n, c)], a, g);
        var aF = new double[cols * cols];
        var gF = new double[wr * wr];
        LayerRules.AccumulateKfac(layer, inputF, factorsF, n, c, new float[LayerRules.KfacScratch(layer, n, c)], aF, gF);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - aF[i]) <= 1e-4 * (1 + Math.Abs(a[i])), $"{layer}: A[{i}]");
        for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - gF[i]) <= 1e-4 * (1 + Math.Abs(g[i])), $"{layer}: G[{i}]");
    }
}
