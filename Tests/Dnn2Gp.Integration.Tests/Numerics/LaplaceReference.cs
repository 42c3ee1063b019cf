using System;
using Dnn2Gp.Runtime;
using Dnn2Gp.Runtime.Curvature;
using Dnn2Gp.Runtime.Laplace;

namespace Dnn2Gp.Integration.Tests.Numerics;

/// <summary>
/// Dense references for every Laplace structure, from the explicit per-example Jacobians and output Hessians:
/// H = s·Σ Jᵀ Λ J + diag(p) (full), its diagonal, the KFAC blocks s·(G ⊗ A)/N + δₗ I written out element by element,
/// and the last layer's sub-block; the covariance embedded in P × P (zeros outside a last-layer posterior).
/// </summary>
internal sealed class LaplaceReference
{
    public LaplaceReference(int parameters, double[] precision, int offset, int dimension, double[] jacobian, int outputs, double logLikelihood)
    {
        P = parameters;
        Precision = precision;
        Offset = offset;
        Dimension = dimension;
        Jacobian = jacobian;
        Outputs = outputs;
        LogLikelihood = logLikelihood;
        Covariance = Dense.Inverse(precision, dimension);
    }

    public int P { get; }

    /// <summary>H over the posterior's parameters, d × d.</summary>
    public double[] Precision { get; }

    public double[] Covariance { get; }

    public int Offset { get; }

    public int Dimension { get; }

    /// <summary>The training Jacobian [n, K, P].</summary>
    public double[] Jacobian { get; }

    public int Outputs { get; }

    public double LogLikelihood { get; }

    /// <summary>Σ embedded in P × P.</summary>
    public double[] FullCovariance()
    {
        var s = new double[P * P];
        for (int i = 0; i < Dimension; i++)
        {
            for (int j = 0; j < Dimension; j++) s[(Offset + i) * P + Offset + j] = Covariance[i * Dimension + j];
        }
        return s;
    }

    public static LaplaceReference Build<TNet>(double[] w, double[] x, double[] y, int n, LaplaceStructure structure, PriorPrecision prior, double? sigma)
        where TNet : INetwork<TNet, double>
    {
        int p = TNet.ParameterCount, k = TNet.OutputSize;
        var j = new double[n * k * p];
        Curvature<TNet, double>.Jacobian(w, x, n, j);
        var f = new double[n * k];
        TNet.Forward(w, x, f, n);
        var lambda = new double[n * k * k];
        TNet.OutputHessian(f, y, lambda, n);
        double scale = 1, logLikelihood = -TNet.Loss(w, x, y, n);
        if (TNet.Likelihood is GaussianLikelihood g)
        {
            double s = sigma ?? g.Sigma;
            scale = g.Sigma * g.Sigma / (s * s);
            double squares = 0;
            for (int i = 0; i < n * k; i++) squares += (f[i] - y[i]) * (f[i] - y[i]);
            logLikelihood = -squares / (2 * s * s) - n * k * (Math.Log(s) + 0.5 * Math.Log(2 * Math.PI));
        }
        var ggn = new double[p * p];
        for (int e = 0; e < n; e++)
        {
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    double l = scale * lambda[(e * k + a) * k + b];
                    if (l == 0) continue;
                    for (int r = 0; r < p; r++)
                    {
                        double jr = j[(e * k + a) * p + r] * l;
                        for (int c = 0; c < p; c++) ggn[r * p + c] += jr * j[(e * k + b) * p + c];
                    }
                }
            }
        }
        double[] prec = prior.Expand(TNet.Layers);
        switch (structure)
        {
            case LaplaceStructure.Full:
            {
                var h = (double[])ggn.Clone();
                for (int i = 0; i < p; i++) h[i * p + i] += prec[i];
                return new LaplaceReference(p, h, 0, p, j, k, logLikelihood);
            }
            case LaplaceStructure.Diagonal:
            {
                var h = new double[p * p];
                for (int i = 0; i < p; i++) h[i * p + i] = ggn[i * p + i] + prec[i];
                return new LaplaceReference(p, h, 0, p, j, k, logLikelihood);
            }
            case LaplaceStructure.Kfac:
            {
                var factors = Curvature<TNet, double>.Kfac(w, x, n);
                var h = new double[p * p];
                var layers = TNet.Layers;
                for (int l = 0; l < layers.Count; l++)
                {
                    var layer = layers[l];
                    int rows = layer.WeightRows, cols = layer.AugmentedColumns;
                    ReadOnlySpan<double> a = factors.A(l), gf = factors.G(l);
                    for (int o = 0; o < rows; o++)
                    {
                        for (int i = 0; i < cols; i++)
                        {
                            int row = Index(layer, o, i);
                            for (int o2 = 0; o2 < rows; o2++)
                            {
                                for (int i2 = 0; i2 < cols; i2++) h[row * p + Index(layer, o2, i2)] = scale * gf[o * rows + o2] * a[i * cols + i2] / n;
                            }
                        }
                    }
                }
                for (int i = 0; i < p; i++) h[i * p + i] += prec[i];
                return new LaplaceReference(p, h, 0, p, j, k, logLikelihood);
            }
            default:
            {
                var last = TNet.Layers[TNet.Layers.Count - 1];
                int d = last.ParameterCount, off = last.WeightOffset;
                var h = new double[d * d];
                for (int r = 0; r < d; r++)
                {
                    for (int c = 0; c < d; c++) h[r * d + c] = ggn[(off + r) * p + off + c];
                    h[r * d + r] += prec[off + r];
                }
                return new LaplaceReference(p, h, off, d, j, k, logLikelihood);
            }
        }
    }

    /// <summary>The evidence log p(y|w*) − ½ Σ pᵢwᵢ² + ½ Σ log pᵢ − ½ log det H over the covered parameters.</summary>
    public double Evidence(double[] w, PriorPrecision prior, Runtime.Curvature.LayerTable layers)
    {
        var p = prior.Expand(layers);
        double sum = LogLikelihood;
        for (int i = Offset; i < Offset + Dimension; i++) sum += -0.5 * p[i] * w[i] * w[i] + 0.5 * Math.Log(p[i]);
        return sum - 0.5 * Dense.LogDeterminant(Precision, Dimension);
    }

    /// <summary>J(x) Σ J(x)ᵀ per input [m, K, K] from explicit test Jacobians [m, K, P].</summary>
    public double[] FunctionalCovariance(double[] testJacobian, int m)
    {
        int k = Outputs;
        var s = FullCovariance();
        var cov = new double[m * k * k];
        for (int e = 0; e < m; e++)
        {
            for (int a = 0; a < k; a++)
            {
                var ja = testJacobian.AsSpan((e * k + a) * P, P);
                var sj = new double[P];
                for (int r = 0; r < P; r++)
                {
                    double t = 0;
                    for (int c = 0; c < P; c++) t += s[r * P + c] * ja[c];
                    sj[r] = t;
                }
                for (int b = 0; b < k; b++)
                {
                    double t = 0;
                    var jb = testJacobian.AsSpan((e * k + b) * P, P);
                    for (int r = 0; r < P; r++) t += jb[r] * sj[r];
                    cov[(e * k + b) * k + a] = t;
                }
            }
        }
        return cov;
    }

    /// <summary>J(X₁) Σ J(X₂)ᵀ as [M₁K, M₂K] from explicit Jacobians.</summary>
    public double[] Kernel(double[] j1, int m1, double[] j2, int m2)
    {
        int k = Outputs;
        var s = FullCovariance();
        var kernel = new double[m1 * k * m2 * k];
        for (int r1 = 0; r1 < m1 * k; r1++)
        {
            var sj = new double[P];
            for (int r = 0; r < P; r++)
            {
                double t = 0;
                for (int c = 0; c < P; c++) t += s[r * P + c] * j1[r1 * P + c];
                sj[r] = t;
            }
            for (int r2 = 0; r2 < m2 * k; r2++)
            {
                double t = 0;
                for (int r = 0; r < P; r++) t += j2[r2 * P + r] * sj[r];
                kernel[r1 * m2 * k + r2] = t;
            }
        }
        return kernel;
    }

    private static int Index(in LayerInfo layer, int o, int i) =>
        i < layer.WeightColumns ? layer.WeightOffset + o * layer.WeightColumns + i : layer.BiasOffset + o;
}
