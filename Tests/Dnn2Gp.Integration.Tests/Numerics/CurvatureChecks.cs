using System;
using System.Collections.Generic;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Xunit;

namespace Dnn2Gp.Integration.Tests.Numerics;

/// <summary>
/// Checks of the generated curvature passes of a double-precision network: the Jacobian against central finite
/// differences of Forward, and everything else (JVP, VJP, diagonal/full GGN, KFAC, kernels, empirical Fisher,
/// Monte-Carlo GGN) against naive references built from that explicit Jacobian and the output Hessian Λ.
/// </summary>
internal static class CurvatureChecks
{
    private static double[] Jacobian<TNet>(double[] p, double[] x, int batch, KernelOutputs outputs = KernelOutputs.Logits) where TNet : INetwork<TNet, double>
    {
        var j = new double[batch * TNet.OutputSize * TNet.ParameterCount];
        Curvature<TNet, double>.Jacobian(p, x, batch, j, outputs);
        return j;
    }

    /// <summary>J [batch, K, P] against (f(w + h eᵢ) − f(w − h eᵢ)) / 2h.</summary>
    public static void CheckJacobian<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 4;
        int k = TNet.OutputSize, np = TNet.ParameterCount;
        var (p, x, _) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var j = Jacobian<TNet>(p, x, batch);
        var plus = new double[batch * k];
        var minus = new double[batch * k];
        for (int i = 0; i < np; i++)
        {
            double original = p[i], h = 1e-5 * Math.Max(1.0, Math.Abs(original));
            p[i] = original + h;
            TNet.Forward(p, x, plus, batch);
            p[i] = original - h;
            TNet.Forward(p, x, minus, batch);
            p[i] = original;
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < k; o++)
                {
                    double fd = (plus[n * k + o] - minus[n * k + o]) / (2 * h);
                    NetworkChecks.AssertClose(fd, j[(n * k + o) * np + i], $"{TNet.Name}: ∂f[{n},{o}]/∂θ{i}");
                }
            }
        }
    }

    /// <summary>J v (forward mode) against the explicit J times v; Σ Jᵀ u (reverse mode) against Jᵀ u.</summary>
    public static void CheckProducts<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 5;
        int k = TNet.OutputSize, np = TNet.ParameterCount;
        var (p, x, _) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var j = Jacobian<TNet>(p, x, batch);
        var random = new Random(seed + 100);
        var v = RandomVector(random, np);
        var jv = new double[batch * k];
        Curvature<TNet, double>.JacobianVectorProduct(p, x, batch, v, jv);
        for (int row = 0; row < batch * k; row++)
        {
            double expected = 0;
            for (int i = 0; i < np; i++) expected += j[row * np + i] * v[i];
            NetworkChecks.AssertClose(expected, jv[row], $"{TNet.Name}: (J v)[{row}]", 1e-10);
        }
        var u = RandomVector(random, batch * k);
        var jtu = new double[np];
        Curvature<TNet, double>.VectorJacobianProduct(p, x, batch, u, jtu);
        for (int i = 0; i < np; i++)
        {
            double expected = 0;
            for (int row = 0; row < batch * k; row++) expected += j[row * np + i] * u[row];
            NetworkChecks.AssertClose(expected, jtu[i], $"{TNet.Name}: (Jᵀ u)[{i}]", 1e-10);
        }
    }

    /// <summary>Σₙ Jₙᵀ Λₙ Jₙ: the full GGN and its diagonal against the naive product; symmetric and PSD.</summary>
    public static void CheckGgn<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 7;
        int k = TNet.OutputSize, np = TNet.ParameterCount;
        var (p, x, y) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var naive = NaiveGgn<TNet>(p, x, y, batch);

        var full = new double[np * np];
        Curvature<TNet, double>.GgnFull(p, x, batch, full);
        var diagonal = new double[np];
        Curvature<TNet, double>.GgnDiagonal(p, x, batch, diagonal);
        double scale = 0;
        for (int i = 0; i < np * np; i++) scale = Math.Max(scale, Math.Abs(naive[i]));
        for (int a = 0; a < np; a++)
        {
            NetworkChecks.AssertClose(naive[a * np + a], diagonal[a], $"{TNet.Name}: diagonal GGN [{a}]", 1e-10);
            for (int b = 0; b < np; b++)
            {
                Assert.True(Math.Abs(naive[a * np + b] - full[a * np + b]) <= 1e-10 * scale,
                    $"{TNet.Name}: full GGN [{a},{b}] = {full[a * np + b]:R}, naive {naive[a * np + b]:R}");
                Assert.True(Math.Abs(full[a * np + b] - full[b * np + a]) <= 1e-12 * scale, $"{TNet.Name}: full GGN not symmetric at [{a},{b}]");
            }
        }
        var random = new Random(seed);
        for (int trial = 0; trial < 20; trial++)
        {
            var v = RandomVector(random, np);
            double q = 0;
            for (int a = 0; a < np; a++) for (int b = 0; b < np; b++) q += v[a] * full[a * np + b] * v[b];
            Assert.True(q >= -1e-10 * scale * np, $"{TNet.Name}: vᵀ GGN v = {q} < 0");
        }

        // The square-root factor: VᵀV is the GGN.
        int c = TNet.Likelihood is BernoulliLikelihood ? 1 : k;
        var factor = new double[batch * c * np];
        Curvature<TNet, double>.GgnFactor(p, x, batch, factor);
        for (int a = 0; a < np; a++)
        {
            for (int b = 0; b < np; b++)
            {
                double vv = 0;
                for (int row = 0; row < batch * c; row++) vv += factor[row * np + a] * factor[row * np + b];
                Assert.True(Math.Abs(naive[a * np + b] - vv) <= 1e-10 * scale, $"{TNet.Name}: (VᵀV)[{a},{b}] = {vv:R}, GGN {naive[a * np + b]:R}");
            }
        }

        // accumulate adds to what is there.
        var twice = (double[])diagonal.Clone();
        Curvature<TNet, double>.GgnDiagonal(p, x, batch, twice, accumulate: true);
        for (int a = 0; a < np; a++) NetworkChecks.AssertClose(2 * diagonal[a], twice[a], $"{TNet.Name}: accumulated diagonal [{a}]", 1e-12);
    }

    /// <summary>
    /// KFAC: with one example the factors are exact, so Gₗ ⊗ Aₗ equals the layer's block of the GGN (over [W | b]) for
    /// dense layers and single-position convolutions; with several, the factors are the sums of the single-example factors.
    /// </summary>
    public static void CheckKfac<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 4;
        int np = TNet.ParameterCount;
        var (p, x, y) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var all = Curvature<TNet, double>.Kfac(p, x, batch);
        var layers = TNet.Layers;
        var sumA = new List<double[]>();
        var sumG = new List<double[]>();
        foreach (var layer in layers)
        {
            sumA.Add(new double[layer.AugmentedColumns * layer.AugmentedColumns]);
            sumG.Add(new double[layer.WeightRows * layer.WeightRows]);
        }
        for (int n = 0; n < batch; n++)
        {
            var xn = x.AsSpan(n * TNet.InputSize, TNet.InputSize).ToArray();
            var yn = y.AsSpan(n * TNet.TargetSize, TNet.TargetSize).ToArray();
            var one = Curvature<TNet, double>.Kfac(p, xn, 1);
            var ggn = NaiveGgn<TNet>(p, xn, yn, 1);
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                int rows = layer.WeightRows, cols = layer.AugmentedColumns;
                var a = one.A(l);
                var g = one.G(l);
                for (int i = 0; i < a.Length; i++) sumA[l][i] += a[i];
                for (int i = 0; i < g.Length; i++) sumG[l][i] += g[i];
                // KFC (convolutions) is exact for one example only with one output position; ConvolutionChecks checks its definition.
                if (layer.Kind == ParametrizedLayerKind.Conv2D && layer.Conv.Positions > 1) continue;
                double scale = one.BlockScale(l);
                // Index of augmented element (o, c) in the parameter vector.
                int Index(int o, int c) => c < layer.WeightColumns ? layer.WeightOffset + o * layer.WeightColumns + c : layer.BiasOffset + o;
                for (int o1 = 0; o1 < rows; o1++)
                    for (int c1 = 0; c1 < cols; c1++)
                        for (int o2 = 0; o2 < rows; o2++)
                            for (int c2 = 0; c2 < cols; c2++)
                            {
                                double kron = scale * g[o1 * rows + o2] * a[c1 * cols + c2];
                                double exact = ggn[Index(o1, c1) * np + Index(o2, c2)];
                                NetworkChecks.AssertClose(exact, kron, $"{TNet.Name}: example {n}, layer {l}: (G ⊗ A)[({o1},{c1}),({o2},{c2})] vs GGN block", 1e-9);
                            }
            }
        }
        for (int l = 0; l < layers.Count; l++)
        {
            for (int i = 0; i < sumA[l].Length; i++) NetworkChecks.AssertClose(sumA[l][i], all.A(l)[i], $"{TNet.Name}: A of layer {l} [{i}]", 1e-10);
            for (int i = 0; i < sumG[l].Length; i++) NetworkChecks.AssertClose(sumG[l][i], all.G(l)[i], $"{TNet.Name}: G of layer {l} [{i}]", 1e-10);
        }
    }

    /// <summary>The opt-in approximations: empirical Fisher against squared per-example gradients; Monte-Carlo GGN unbiased.</summary>
    public static void CheckApproximations<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int batch = 6;
        int np = TNet.ParameterCount;
        var (p, x, y) = NetworkChecks.RandomProblem<TNet>(batch, seed);
        var expected = new double[np];
        var g = new double[np];
        for (int n = 0; n < batch; n++)
        {
            TNet.LossAndGradient(p, x.AsSpan(n * TNet.InputSize, TNet.InputSize), y.AsSpan(n * TNet.TargetSize, TNet.TargetSize), 1, g, 1.0);
            for (int i = 0; i < np; i++) expected[i] += g[i] * g[i];
        }
        var ef = new double[np];
        Curvature<TNet, double>.GgnDiagonal(p, x, y, batch, ef, GgnApproximation.EmpiricalFisher);
        for (int i = 0; i < np; i++) NetworkChecks.AssertClose(expected[i], ef[i], $"{TNet.Name}: empirical Fisher [{i}]", 1e-10);

        var exact = new double[np];
        Curvature<TNet, double>.GgnDiagonal(p, x, batch, exact);
        var mean = new double[np];
        const int samples = 3000;
        var one = new double[np];
        for (int s = 0; s < samples; s++)
        {
            Curvature<TNet, double>.GgnDiagonal(p, x, default, batch, one, GgnApproximation.MonteCarlo, seed: s);
            for (int i = 0; i < np; i++) mean[i] += one[i] / samples;
        }
        double traceExact = 0, traceMc = 0;
        for (int i = 0; i < np; i++)
        {
            traceExact += exact[i];
            traceMc += mean[i];
        }
        Assert.True(Math.Abs(traceMc - traceExact) <= 0.05 * traceExact, $"{TNet.Name}: Monte-Carlo GGN trace {traceMc} vs exact {traceExact} over {samples} samples");
    }

    /// <summary>Every kernel variant (covariance structure × blocks × outputs) against J₁ Σ J₂ᵀ from explicit Jacobians.</summary>
    public static void CheckKernels<TNet>(int seed) where TNet : INetwork<TNet, double>
    {
        const int m1 = 3, m2 = 5;
        int k = TNet.OutputSize, np = TNet.ParameterCount;
        var (p, x1, _) = NetworkChecks.RandomProblem<TNet>(m1, seed);
        var (_, x2, _) = NetworkChecks.RandomProblem<TNet>(m2, seed + 50);
        var random = new Random(seed);
        foreach (var (name, covariance, explicitSigma) in Covariances<TNet>(random))
        {
            foreach (var outputs in new[] { KernelOutputs.Logits, KernelOutputs.Mean })
            {
                var j1 = Jacobian<TNet>(p, x1, m1, outputs);
                var j2 = Jacobian<TNet>(p, x2, m2, outputs);
                var naive = Sandwich(j1, m1 * k, j2, m2 * k, explicitSigma, np);
                var full = new double[m1 * k * m2 * k];
                Curvature<TNet, double>.Kernel(p, x1, m1, x2, m2, covariance, KernelBlocks.Full, full, outputs);
                var blocks = new double[k * m1 * m2];
                Curvature<TNet, double>.Kernel(p, x1, m1, x2, m2, covariance, KernelBlocks.PerOutput, blocks, outputs);
                double scale = 1e-300;
                foreach (double v in naive) scale = Math.Max(scale, Math.Abs(v));
                for (int row = 0; row < m1 * k; row++)
                {
                    for (int col = 0; col < m2 * k; col++)
                    {
                        double expected = naive[row * m2 * k + col];
                        Assert.True(Math.Abs(expected - full[row * m2 * k + col]) <= 1e-10 * scale,
                            $"{TNet.Name}: {name} {outputs} full kernel [{row},{col}] = {full[row * m2 * k + col]:R}, naive {expected:R}");
                        int i = row / k, r = row % k, j = col / k, s = col % k;
                        if (r == s)
                        {
                            Assert.True(Math.Abs(expected - blocks[(r * m1 + i) * m2 + j]) <= 1e-10 * scale,
                                $"{TNet.Name}: {name} {outputs} per-output kernel [{r}][{i},{j}] = {blocks[(r * m1 + i) * m2 + j]:R}, naive {expected:R}");
                        }
                    }
                }
            }
            // X₁ = X₂ (the symmetric path, which computes one triangle of example pairs and mirrors it): symmetric and exact.
            var jx = Jacobian<TNet>(p, x2, m2);
            var naiveSame = Sandwich(jx, m2 * k, jx, m2 * k, explicitSigma, np);
            var same = new double[m2 * k * m2 * k];
            Curvature<TNet, double>.Kernel(p, x2, m2, x2, m2, covariance, KernelBlocks.Full, same);
            var sameBlocks = new double[k * m2 * m2];
            Curvature<TNet, double>.Kernel(p, x2, m2, x2, m2, covariance, KernelBlocks.PerOutput, sameBlocks);
            int size = m2 * k;
            double sameScale = 1e-300;
            foreach (double v in naiveSame) sameScale = Math.Max(sameScale, Math.Abs(v));
            for (int a = 0; a < size; a++)
            {
                for (int b = 0; b < size; b++)
                {
                    Assert.True(Math.Abs(same[a * size + b] - same[b * size + a]) <= 1e-12 * sameScale, $"{TNet.Name}: {name} kernel K(X, X) not symmetric at [{a},{b}]");
                    Assert.True(Math.Abs(same[a * size + b] - naiveSame[a * size + b]) <= 1e-10 * sameScale, $"{TNet.Name}: {name} kernel K(X, X) [{a},{b}] = {same[a * size + b]:R}, naive {naiveSame[a * size + b]:R}");
                    if (a % k == b % k)
                    {
                        double block = sameBlocks[((a % k) * m2 + a / k) * m2 + b / k];
                        Assert.True(Math.Abs(block - naiveSame[a * size + b]) <= 1e-10 * sameScale, $"{TNet.Name}: {name} per-output K(X, X) [{a % k}][{a / k},{b / k}] = {block:R}, naive {naiveSame[a * size + b]:R}");
                    }
                }
            }
        }
    }

    /// <summary>The naive GGN Σₙ Jₙᵀ Λₙ Jₙ from the explicit Jacobian and the generated output Hessian.</summary>
    public static double[] NaiveGgn<TNet>(double[] p, double[] x, double[] y, int batch) where TNet : INetwork<TNet, double>
    {
        int k = TNet.OutputSize, np = TNet.ParameterCount;
        var j = Jacobian<TNet>(p, x, batch);
        var f = new double[batch * k];
        TNet.Forward(p, x, f, batch);
        var lambda = new double[batch * k * k];
        TNet.OutputHessian(f, y, lambda, batch);
        var ggn = new double[np * np];
        for (int n = 0; n < batch; n++)
            for (int r = 0; r < k; r++)
                for (int s = 0; s < k; s++)
                {
                    double l = lambda[(n * k + r) * k + s];
                    if (l == 0) continue;
                    for (int a = 0; a < np; a++)
                    {
                        double ja = j[(n * k + r) * np + a] * l;
                        for (int b = 0; b < np; b++) ggn[a * np + b] += ja * j[(n * k + s) * np + b];
                    }
                }
        return ggn;
    }

    private static IEnumerable<(string Name, Covariance Covariance, double[] Explicit)> Covariances<TNet>(Random random) where TNet : INetwork<TNet, double>
    {
        int np = TNet.ParameterCount;
        var layers = TNet.Layers;

        var iso = new double[np * np];
        for (int i = 0; i < np; i++) iso[i * np + i] = 0.7;
        yield return ("isotropic", new IsotropicCovariance(np, 0.7), iso);

        var variances = new double[np];
        for (int i = 0; i < np; i++) variances[i] = 0.1 + random.NextDouble();
        var diag = new double[np * np];
        for (int i = 0; i < np; i++) diag[i * np + i] = variances[i];
        yield return ("diagonal", new DiagonalCovariance(variances), diag);

        var productBlocks = new List<KroneckerBlock>();
        var eigenBlocks = new List<KroneckerBlock>();
        var product = new double[np * np];
        var eigen = new double[np * np];
        foreach (var layer in layers)
        {
            int rows = layer.WeightRows, cols = layer.AugmentedColumns;
            var left = RandomSpd(random, rows);
            var right = RandomSpd(random, cols);
            productBlocks.Add(KroneckerBlock.Product(rows, cols, left, right));
            var ql = RandomOrthonormal(random, rows);
            var qr = RandomOrthonormal(random, cols);
            var d = new double[rows * cols];
            for (int i = 0; i < d.Length; i++) d[i] = 0.1 + random.NextDouble();
            eigenBlocks.Add(KroneckerBlock.Eigenbasis(rows, cols, ql, qr, d));
            int Index(int o, int c) => c < layer.WeightColumns ? layer.WeightOffset + o * layer.WeightColumns + c : layer.BiasOffset + o;
            for (int o1 = 0; o1 < rows; o1++)
                for (int c1 = 0; c1 < cols; c1++)
                    for (int o2 = 0; o2 < rows; o2++)
                        for (int c2 = 0; c2 < cols; c2++)
                        {
                            product[Index(o1, c1) * np + Index(o2, c2)] = left[o1 * rows + o2] * right[c1 * cols + c2];
                            double sum = 0;
                            for (int a = 0; a < rows; a++)
                                for (int b = 0; b < cols; b++)
                                    sum += ql[o1 * rows + a] * qr[c1 * cols + b] * d[a * cols + b] * ql[o2 * rows + a] * qr[c2 * cols + b];
                            eigen[Index(o1, c1) * np + Index(o2, c2)] = sum;
                        }
        }
        yield return ("Kronecker product", new KroneckerCovariance(layers, productBlocks), product);
        yield return ("Kronecker eigenbasis", new KroneckerCovariance(layers, eigenBlocks), eigen);

        var dense = RandomSpd(random, np);
        yield return ("dense", new DenseCovariance(np, dense), dense);
    }

    private static double[] Sandwich(double[] j1, int rows1, double[] j2, int rows2, double[] sigma, int np)
    {
        var result = new double[rows1 * rows2];
        var t = new double[np];
        for (int a = 0; a < rows1; a++)
        {
            Array.Clear(t);
            for (int i = 0; i < np; i++)
            {
                double v = j1[a * np + i];
                if (v == 0) continue;
                for (int q = 0; q < np; q++) t[q] += v * sigma[i * np + q];
            }
            for (int b = 0; b < rows2; b++)
            {
                double sum = 0;
                for (int q = 0; q < np; q++) sum += t[q] * j2[b * np + q];
                result[a * rows2 + b] = sum;
            }
        }
        return result;
    }

    public static double[] RandomVector(Random random, int n)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = NetworkChecks.Normal(random);
        return v;
    }

    public static double[] RandomSpd(Random random, int n)
    {
        var m = RandomVector(random, n * n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = i == j ? 0.5 : 0.0;
                for (int q = 0; q < n; q++) sum += m[i * n + q] * m[j * n + q] / n;
                a[i * n + j] = sum;
            }
        return a;
    }

    public static double[] RandomOrthonormal(Random random, int n)
    {
        // Gram-Schmidt on random columns; Q[i, c] is component i of column c.
        var q = RandomVector(random, n * n);
        for (int c = 0; c < n; c++)
        {
            for (int prev = 0; prev < c; prev++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i * n + c] * q[i * n + prev];
                for (int i = 0; i < n; i++) q[i * n + c] -= dot * q[i * n + prev];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i * n + c] * q[i * n + c];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) q[i * n + c] /= norm;
        }
        return q;
    }
}
