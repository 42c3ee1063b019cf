using System;
using Dnn2Gp.Runtime.LinearAlgebra;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.LinearAlgebra;

public class SymmetricEigenTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(7, 4)]
    [InlineData(33, 5)]
    [InlineData(64, 6)]
    [InlineData(65, 7)]
    [InlineData(129, 8)]
    [InlineData(200, 9)]
    public void RandomSymmetric_ReconstructsAndIsOrthonormal(int n, int seed)
    {
        double[] a = Reference.Random(n, n, seed);
        SymmetricMatrix.Symmetrize(a, n);
        var (lambda, q) = Decompose(a, n);
        CheckDecomposition(a, n, lambda, q, 1e-13);
        if (n <= 65)
        {
            double[] jacobi = JacobiEigenvalues(a, n);
            Reference.Close(lambda, jacobi, 1e-13, $"eigenvalues vs Jacobi, n = {n}");
        }
        var values = new double[n];
        SymmetricEigen.Eigenvalues(a, n, values);
        Reference.Close(values, lambda, 1e-13, "Eigenvalues() vs Decompose()");
    }

    [Fact]
    public void Order530_ParallelPaths_ReconstructAndAreOrthonormal()
    {
        // Above the order where the tridiagonalisation splits its products across the cores; checked by GEMM.
        const int n = 530;
        double[] a = Reference.Random(n, n, seed: 12);
        SymmetricMatrix.Symmetrize(a, n);
        var (lambda, q) = Decompose(a, n);
        var aq = new double[n * n];
        Dnn2Gp.Runtime.Cpu.Gemm.MultiplyParallel(false, false, n, n, n, 1.0, a, n, q, n, 0.0, aq, n);
        var qtq = new double[n * n];
        Dnn2Gp.Runtime.Cpu.Gemm.MultiplyParallel(true, false, n, n, n, 1.0, q, n, q, n, 0.0, qtq, n);
        double residual = 0, ortho = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                residual = Math.Max(residual, Math.Abs(aq[(i * n) + j] - (q[(i * n) + j] * lambda[j])));
                ortho = Math.Max(ortho, Math.Abs(qtq[(i * n) + j] - (i == j ? 1 : 0)));
            }
        }
        Assert.True(residual <= 1e-13 * n, $"‖AQ − QΛ‖ = {residual:G3}");
        Assert.True(ortho <= 1e-14 * n, $"‖QᵀQ − I‖ = {ortho:G3}");
        var values = new double[n];
        SymmetricEigen.Eigenvalues(a, n, values);
        Reference.Close(values, lambda, 1e-13, "Eigenvalues() vs Decompose()");
    }

    [Fact]
    public void KnownSpectrum_WithMultiplicities_IsRecovered()
    {
        const int n = 50;
        var lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = i < 20 ? 1e-8 : i < 30 ? 2 : 3 + i;   // a cluster near 0, a repeated 2, then distinct
        }
        double[] a = Reference.WithSpectrum(lambda, seed: 2);
        var (values, q) = Decompose(a, n);
        Reference.Close(values, lambda, 1e-13, "known spectrum");
        CheckDecomposition(a, n, values, q, 1e-13);
    }

    [Fact]
    public void RankDeficientGram_WithManyZeroEigenvalues_Converges()
    {
        // A kernel X Xᵀ with more rows than columns: 220 of its 300 eigenvalues are zero up to rounding, a cluster the
        // relative QL test alone never declares converged.
        const int n = 300, rank = 80;
        double[] x = Reference.Random(n, rank, seed: 13);
        var a = new double[n * n];
        Dnn2Gp.Runtime.Cpu.Gemm.Multiply(false, true, n, n, rank, 1.0, x, rank, x, rank, 0.0, a, n);
        var (lambda, q) = Decompose(a, n);
        CheckDecomposition(a, n, lambda, q, 1e-13);
        double largest = lambda[n - 1];
        for (int i = 0; i < n - rank; i++) Assert.True(Math.Abs(lambda[i]) <= 1e-12 * largest, $"eigenvalue {i} is {lambda[i]:G3}; expected 0 (rank {rank})");
        Assert.True(lambda[n - rank] > 1e-6 * largest, $"eigenvalue {n - rank} is {lambda[n - rank]:G3}; expected one of the {rank} positive ones");
    }

    [Fact]
    public void ReadsOnlyTheLowerTriangle()
    {
        const int n = 40;
        double[] a = Reference.RandomSpd(n, seed: 4);
        var (lambda, _) = Decompose(a, n);
        double[] garbage = (double[])a.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                garbage[(i * n) + j] = double.NaN;
            }
        }
        var (lambda2, q2) = Decompose(garbage, n);
        Reference.Close(lambda2, lambda, 0, "eigenvalues with NaN above the diagonal");
        CheckDecomposition(a, n, lambda2, q2, 1e-13);
    }

    [Fact]
    public void DiagonalAndZeroMatrices()
    {
        const int n = 9;
        var a = new double[n * n];
        var (lambda, q) = Decompose(a, n);
        Assert.All(lambda, v => Assert.Equal(0, v));
        CheckDecomposition(a, n, lambda, q, 0);
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] = n - i;
        }
        (lambda, q) = Decompose(a, n);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i + 1, lambda[i], 1e-14);
        }
        CheckDecomposition(a, n, lambda, q, 1e-15);
    }

    [Fact]
    public void NonFiniteInput_IsRejected()
    {
        double[] a = Reference.RandomSpd(4, seed: 1);
        a[(2 * 4) + 1] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(a, 4, new double[4], new double[16], "GGN (4×4)"));
        Assert.Contains("GGN (4×4)", e.Message);
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[16], 4, new double[3], new double[16]));
    }

    internal static (double[] Lambda, double[] Q) Decompose(double[] a, int n)
    {
        var lambda = new double[n];
        var q = new double[n * n];
        SymmetricEigen.Decompose(a, n, lambda, q);
        return (lambda, q);
    }

    /// <summary>Ascending order, ‖QΛQᵀ − A‖ and ‖QᵀQ − I‖ (max norms) relative to max(1, ‖A‖).</summary>
    internal static void CheckDecomposition(double[] a, int n, double[] lambda, double[] q, double tolerance)
    {
        for (int i = 1; i < n; i++)
        {
            Assert.True(lambda[i - 1] <= lambda[i], $"eigenvalues not ascending at {i}: {lambda[i - 1]} > {lambda[i]}");
        }
        double scale = 1;
        foreach (double v in a)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }
        double recon = 0, ortho = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, o = 0;
                for (int k = 0; k < n; k++)
                {
                    s += q[(i * n) + k] * lambda[k] * q[(j * n) + k];
                    o += q[(k * n) + i] * q[(k * n) + j];
                }
                recon = Math.Max(recon, Math.Abs(s - a[(Math.Max(i, j) * n) + Math.Min(i, j)]));
                ortho = Math.Max(ortho, Math.Abs(o - (i == j ? 1 : 0)));
            }
        }
        double tol = Math.Max(tolerance * n, 1e-300);
        Assert.True(recon / scale <= tol || (tolerance == 0 && recon == 0), $"‖QΛQᵀ − A‖ = {recon:G3} (n = {n})");
        Assert.True(ortho <= Math.Max(tol, 1e-15 * n), $"‖QᵀQ − I‖ = {ortho:G3} (n = {n})");
    }

    /// <summary>Cyclic Jacobi: the slow, simple oracle for eigenvalues (ascending).</summary>
    internal static double[] JacobiEigenvalues(double[] a0, int n)
    {
        var a = (double[])a0.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    off += a[(i * n) + j] * a[(i * n) + j];
                }
            }
            if (off < 1e-40)
            {
                break;
            }
            for (int p = 0; p < n; p++)
            {
                for (int r = p + 1; r < n; r++)
                {
                    double apr = a[(p * n) + r];
                    if (Math.Abs(apr) < 1e-300)
                    {
                        continue;
                    }
                    double theta = (a[(r * n) + r] - a[(p * n) + p]) / (2 * apr);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[(k * n) + p], akr = a[(k * n) + r];
                        a[(k * n) + p] = (c * akp) - (s * akr);
                        a[(k * n) + r] = (s * akp) + (c * akr);
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[(p * n) + k], ark = a[(r * n) + k];
                        a[(p * n) + k] = (c * apk) - (s * ark);
                        a[(r * n) + k] = (s * apk) + (c * ark);
                    }
                }
            }
        }
        var lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = a[(i * n) + i];
        }
        Array.Sort(lambda);
        return lambda;
    }
}
