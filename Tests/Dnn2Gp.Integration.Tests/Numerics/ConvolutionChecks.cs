using System;
using System.Collections.Generic;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Integration.Tests.Numerics;

/// <summary>
/// Checks specific to convolutional networks: the KFC factors against their definition from the generated pass's own
/// activations and factors, the exact diagonal GGN against the cross-position-free one VOGN's reference code uses, and
/// the training pass (dropout) against central differences of its own loss at fixed masks.
/// </summary>
internal static class ConvolutionChecks
{
    /// <summary>Every layer's input activations and factors, as the generated pass hands them to a visitor.</summary>
    private struct Capture : IFactorVisitor<double>
    {
        public List<(LayerInfo Layer, double[] Input, double[] Factors, int N, int C)> Layers;

        public readonly void Begin(int start, int n, ReadOnlySpan<double> outputs) { }

        public readonly void Layer(in LayerInfo layer, ReadOnlySpan<double> input, ReadOnlySpan<double> factors, int n, int c) =>
            Layers.Add((layer, input.Slice(0, n * layer.InputSize).ToArray(), factors.Slice(0, n * c * layer.OutputSize).ToArray(), n, c));

        public readonly void End() { }
    }

    private static List<(LayerInfo Layer, double[] Input, double[] Factors, int N, int C)> Factors<TNet>(double[] p, double[] x, int batch)
        where TNet : INetwork<TNet, double>
    {
        var seed = new SquareRootHessianSeed<double>(TNet.Likelihood, TNet.OutputSize);
        var capture = new Capture { Layers = new() };
        TNet.BackpropagateFactors(p, x, default, 0, batch, ref seed, ref capture);
        return capture.Layers;
    }

    /// <summary>The bias-augmented patch of output position (oy, ox) of example e's image: the columns of Ũ written out.</summary>
    public static double[] Patch(in LayerInfo layer, double[] input, int e, int position)
    {
        var g = layer.Conv;
        var patch = new double[layer.AugmentedColumns];
        int oy = position / g.OutWidth, ox = position % g.OutWidth;
        for (int c = 0; c < g.InChannels; c++)
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int iy = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                    int ix = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                    bool inside = iy >= 0 && iy < g.InHeight && ix >= 0 && ix < g.InWidth;
                    patch[(c * g.KernelHeight + ky) * g.KernelWidth + kx] = inside ? input[e * layer.InputSize + (c * g.InHeight + iy) * g.InWidth + ix] : 0;
                }
        if (layer.HasBias) patch[g.PatchSize] = 1;
        return patch;
    }

    /// <summary>
    /// KFC: A = Σₑ Σₚ ũₑ,ₚ ũₑ,ₚᵀ and G = Σₑ Σᵣ Σₚ bₑ,ᵣ,ₚ bₑ,ᵣ,ₚᵀ for convolutions (A = Σ ã ãᵀ, G = Σ b bᵀ for dense
    /// layers), from the activations and square-root factors of the generated pass; BlockScale = 1/(N·T).
    /// </summary>
    public static void CheckKfcDefinition<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 5;
        var (p, x, _) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var kfac = Curvature<TNet, double>.Kfac(p, x, batch);
        foreach (var (layer, input, factors, n, c) in Factors<TNet>(p, x, batch))
        {
            int cols = layer.AugmentedColumns, rows = layer.WeightRows;
            bool conv = layer.Kind == ParametrizedLayerKind.Conv2D;
            int positions = conv ? layer.Conv.Positions : 1;
            var a = new double[cols * cols];
            var g = new double[rows * rows];
            for (int e = 0; e < n; e++)
            {
                for (int q = 0; q < positions; q++)
                {
                    double[] u = conv ? Patch(layer, input, e, q) : Augmented(layer, input, e);
                    for (int i = 0; i < cols; i++)
                        for (int j = 0; j < cols; j++) a[i * cols + j] += u[i] * u[j];
                    for (int r = 0; r < c; r++)
                    {
                        int at = (e * c + r) * layer.OutputSize;
                        for (int o1 = 0; o1 < rows; o1++)
                            for (int o2 = 0; o2 < rows; o2++)
                                g[o1 * rows + o2] += factors[at + o1 * positions + q] * factors[at + o2 * positions + q];
                    }
                }
            }
            for (int i = 0; i < a.Length; i++) NetworkChecks.AssertClose(a[i], kfac.A(layer.Index)[i], $"{TNet.Name}: {layer}: A[{i}]", 1e-10);
            for (int i = 0; i < g.Length; i++) NetworkChecks.AssertClose(g[i], kfac.G(layer.Index)[i], $"{TNet.Name}: {layer}: G[{i}]", 1e-10);
            Assert.Equal(1.0 / (batch * positions), kfac.BlockScale(layer.Index), 15);
        }
    }

    /// <summary>
    /// The exact diagonal GGN keeps the products of different output positions: for every convolution it differs from
    /// Σ over positions of (per-position derivative)², the approximation of VOGN's reference code, which it would equal
    /// only if those products vanished; the difference is exactly the cross terms.
    /// </summary>
    public static void CheckCrossPositionTerms<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 3;
        var (p, x, _) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var diagonal = new double[TNet.ParameterCount];
        Curvature<TNet, double>.GgnDiagonal(p, x, batch, diagonal);
        foreach (var (layer, input, factors, n, c) in Factors<TNet>(p, x, batch))
        {
            if (layer.Kind != ParametrizedLayerKind.Conv2D || layer.Conv.Positions == 1) continue;
            int positions = layer.Conv.Positions, cols = layer.WeightColumns;
            double exactTotal = 0, dropped = 0;
            for (int o = 0; o < layer.WeightRows; o++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double exact = 0, withoutCross = 0;
                    for (int e = 0; e < n; e++)
                    {
                        for (int r = 0; r < c; r++)
                        {
                            double sum = 0;
                            for (int q = 0; q < positions; q++)
                            {
                                double term = factors[(e * c + r) * layer.OutputSize + o * positions + q] * Patch(layer, input, e, q)[j];
                                sum += term;
                                withoutCross += term * term;
                            }
                            exact += sum * sum;
                        }
                    }
                    NetworkChecks.AssertClose(exact, diagonal[layer.WeightOffset + o * cols + j], $"{TNet.Name}: {layer}: diagonal GGN [{o},{j}]", 1e-10);
                    exactTotal += exact;
                    dropped += Math.Abs(exact - withoutCross);
                }
            }
            Assert.True(dropped > 1e-3 * exactTotal, $"{TNet.Name}: {layer}: the cross-position terms are negligible here ({dropped} of {exactTotal}); the check shows nothing");
        }
    }

    /// <summary>
    /// The training pass: at a fixed seed the masks are fixed, so its gradient must match central differences of its
    /// own loss; it is reproducible, differs from the evaluation pass and between seeds, and with every dropout layer
    /// active it is not the evaluation gradient.
    /// </summary>
    public static void CheckTrainingGradient<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 6;
        const ulong pass = 42;
        var (p, x, y) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var gradient = new double[p.Length];
        double loss = TNet.TrainingLossAndGradient(p, x, y, batch, gradient, 1.0, pass);
        var again = new double[p.Length];
        Assert.Equal(loss, TNet.TrainingLossAndGradient(p, x, y, batch, again, 1.0, pass));
        Assert.Equal(gradient, again);
        var evaluation = new double[p.Length];
        double evaluationLoss = TNet.LossAndGradient(p, x, y, batch, evaluation, 1.0);
        Assert.NotEqual(evaluationLoss, loss);
        Assert.NotEqual(loss, TNet.TrainingLossAndGradient(p, x, y, batch, again, 1.0, pass + 1));

        var scratch = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double original = p[i], h = 1e-5 * Math.Max(1.0, Math.Abs(original));
            p[i] = original + h;
            double plus = TNet.TrainingLossAndGradient(p, x, y, batch, scratch, 1.0, pass);
            p[i] = original - h;
            double minus = TNet.TrainingLossAndGradient(p, x, y, batch, scratch, 1.0, pass);
            p[i] = original;
            NetworkChecks.AssertClose((plus - minus) / (2 * h), gradient[i], $"{TNet.Name}: training-pass ∂loss/∂θ{i}");
        }
    }

    private static double[] Augmented(in LayerInfo layer, double[] input, int e)
    {
        var a = new double[layer.AugmentedColumns];
        Array.Copy(input, e * layer.InputSize, a, 0, layer.InputSize);
        if (layer.HasBias) a[layer.InputSize] = 1;
        return a;
    }
}
