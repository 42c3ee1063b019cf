using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.Intrinsics;
using Dnn2Gp.Runtime.Cpu;
using Xunit;

namespace Dnn2Gp.Runtime.Tests.Cpu;

public class GemmTests
{
    private static readonly int[] Sizes = [1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 65, 100, 129];

    private static readonly (double Alpha, double Beta)[] Scalings = [(1, 0), (2.5, -0.5), (1, 1)];

    /// <summary>The training shapes of a 784-100-100-10 MLP on half a 256 batch (forward, dW, dX).</summary>
    private static readonly (bool Ta, bool Tb, int M, int N, int K)[] TrainingShapes =
    [
        (false, true, 128, 100, 784), (false, true, 128, 100, 100), (false, true, 128, 10, 100),
        (true, false, 100, 784, 128), (true, false, 100, 100, 128), (true, false, 10, 100, 128),
        (false, false, 128, 100, 100), (false, false, 128, 100, 10),
    ];

    public static TheoryData<bool, bool> Transposes => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    /// <summary>Every code path this machine can run, forced (the other tests use Auto, the one callers get).</summary>
    public static TheoryData<string> Paths
    {
        get
        {
            var data = new TheoryData<string> { "Scalar" };
            if (Vector512.IsHardwareAccelerated)
            {
                data.Add("Vector512");
            }
            if (Vector256.IsHardwareAccelerated)
            {
                data.Add("Vector256");
            }
            if (Vector128.IsHardwareAccelerated)
            {
                data.Add("Vector128");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Float_MatchesReference_OnOddSizes(bool ta, bool tb) => OddSizes<float>(ta, tb, Gemm.Path.Auto, 1);

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Double_MatchesReference_OnOddSizes(bool ta, bool tb) => OddSizes<double>(ta, tb, Gemm.Path.Auto, 1);

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryPath_MatchesReference(string path)
    {
        var p = Enum.Parse<Gemm.Path>(path);
        foreach ((bool ta, bool tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            // Every third size triple keeps the slow paths (scalar) quick while still covering every edge.
            OddSizes<float>(ta, tb, p, 3);
            OddSizes<double>(ta, tb, p, 3);
        }
    }

    [Fact]
    public void TrainingShapes_MatchReference()
    {
        for (int i = 0; i < TrainingShapes.Length; i++)
        {
            var (ta, tb, m, n, k) = TrainingShapes[i];
            var (alpha, beta) = Scalings[i % Scalings.Length];
            Check<float>(Gemm.Path.Auto, ta, tb, m, n, k, alpha, beta, 0, 100 + i);
            (alpha, beta) = Scalings[(i + 1) % Scalings.Length];
            Check<double>(Gemm.Path.Auto, ta, tb, m, n, k, alpha, beta, 1, 200 + i);
        }
    }

    [Fact]
    public void LongK_AccumulatesAcrossKBlocks()
    {
        // k spans several k-blocks, so later blocks must accumulate into (not overwrite) C.
        Check<float>(Gemm.Path.Auto, false, false, 13, 37, 1000, 2.5, -0.5, 3, 7);
        Check<float>(Gemm.Path.Auto, true, true, 13, 37, 1000, 1, 0, 1, 8);
        Check<double>(Gemm.Path.Auto, false, true, 13, 37, 600, 2.5, -0.5, 2, 9);
    }

    [Fact]
    public void WideN_CrossesColumnBlocks()
    {
        // n above the column-block size, for both the in-place and the transposed packing of B.
        Check<float>(Gemm.Path.Auto, false, false, 7, 1100, 9, 2.5, -0.5, 5, 11);
        Check<float>(Gemm.Path.Auto, true, true, 7, 1100, 9, 1, 0, 0, 12);
    }

    [Fact]
    public void BigProblems_PackOpAInRowBlocks()
    {
        // Blocks of op(A) above 256 KiB are packed in row blocks and op(B) panels are kept across them: m spans two
        // row blocks, k two k-blocks, and the last panel is partial (A row-major in float, transposed in double).
        Check<float>(Gemm.Path.Auto, false, true, 300, 260, 440, 2.5, -0.5, 3, 31);
        Check<double>(Gemm.Path.Auto, true, false, 250, 130, 300, 1, 0, 1, 33);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void ZeroK_ScalesC(bool ta, bool tb)
    {
        // k == 0: C = beta·C, and with beta == 0 C is cleared without being read (NaN in, zeros out).
        foreach (var (alpha, beta) in Scalings)
        {
            Check<float>(Gemm.Path.Auto, ta, tb, 5, 7, 0, alpha, beta, 2, 21);
            Check<double>(Gemm.Path.Auto, ta, tb, 5, 7, 0, alpha, beta, 2, 22);
        }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void EmptyMOrN_DoesNothing(bool ta, bool tb)
    {
        float[] a = [1, 2, 3], b = [4, 5, 6], c = [7, 8, 9];
        Gemm.Multiply(ta, tb, 0, 3, 1, 1f, a, ta ? 0 : 1, b, tb ? 1 : 3, 0f, c, 3);
        Gemm.Multiply(ta, tb, 3, 0, 1, 1f, a, ta ? 3 : 1, b, tb ? 1 : 0, 0f, c, 0);
        Gemm.Multiply(ta, tb, 0, 0, 0, 1f, [], 0, [], 0, 0f, [], 0);
        Assert.Equal(new[] { 7f, 8f, 9f }, c);
    }

    [Fact]
    public void AlphaZero_ScalesCWithoutReadingAB()
    {
        // alpha == 0 with NaN in A and B: BLAS semantics, the product is not formed.
        var a = new float[6 * 4];
        var b = new float[4 * 5];
        Array.Fill(a, float.NaN);
        Array.Fill(b, float.NaN);
        var c = new float[6 * 5];
        Array.Fill(c, 2f);
        Gemm.Multiply(false, false, 6, 5, 4, 0f, a, 4, b, 5, 0.5f, c, 5);
        Assert.All(c, v => Assert.Equal(1f, v));
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void MultiplyParallel_EqualsMultiply(bool ta, bool tb)
    {
        // Big enough to be split (by columns when wide, by rows when narrow; 130×128×256 in double and 260×256×256
        // in float also pack op(A)), plus one too small to split.
        foreach (var (m, n, k) in new[] { (128, 100, 400), (13, 777, 450), (300, 40, 400), (9, 9, 9) })
        {
            ParallelCase<float>(ta, tb, m, n, k, m * 31 + n);
        }
        foreach (var (m, n, k) in new[] { (128, 100, 400), (300, 40, 400), (130, 128, 256), (9, 9, 9) })
        {
            ParallelCase<double>(ta, tb, m, n, k, m * 37 + n);
        }
        if (ta == tb)
        {
            ParallelCase<float>(ta, tb, 260, 256, 256, 5);
        }
    }

    [Fact]
    public void TooShortSpans_ThrowNamingTheArgumentAndSizes()
    {
        // A is 4×5 with lda 6 → needs 3·6 + 5 = 23 elements.
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 4, 3, 5, 1f, new float[22], 6, new float[15], 3, 0f, new float[12], 3));
        Assert.Equal("a", ex.ParamName);
        Assert.Contains("23", ex.Message, StringComparison.Ordinal);
        Assert.Contains("22", ex.Message, StringComparison.Ordinal);

        // B transposed is n×k = 3×5 with ldb 5 → needs 15.
        ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, true, 4, 3, 5, 1.0, new double[20], 5, new double[14], 5, 0.0, new double[12], 3));
        Assert.Equal("b", ex.ParamName);
        Assert.Contains("15", ex.Message, StringComparison.Ordinal);
        Assert.Contains("14", ex.Message, StringComparison.Ordinal);

        // C is 4×3 with ldc 4 → needs 3·4 + 3 = 15.
        ex = Assert.Throws<ArgumentException>(() =>
            Gemm.MultiplyParallel(false, false, 4, 3, 5, 1f, new float[20], 5, new float[15], 3, 0f, new float[14], 4));
        Assert.Equal("c", ex.ParamName);
        Assert.Contains("15", ex.Message, StringComparison.Ordinal);
        Assert.Contains("14", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooSmallLeadingDimensions_ThrowNamingTheArgument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, 4, 3, 5, 1f, new float[100], 4, new float[100], 3, 0f, new float[100], 3));
        Assert.Equal("lda", ex.ParamName);
        Assert.Contains("5", ex.Message, StringComparison.Ordinal);

        // Transposed A is k×m = 5×4: lda must be ≥ 4.
        ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(true, false, 4, 3, 5, 1.0, new double[100], 3, new double[100], 3, 0.0, new double[100], 3));
        Assert.Equal("lda", ex.ParamName);

        ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, true, 4, 3, 5, 1f, new float[100], 5, new float[100], 4, 0f, new float[100], 3));
        Assert.Equal("ldb", ex.ParamName);
        Assert.Contains("5", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.MultiplyParallel(false, false, 4, 3, 5, 1f, new float[100], 5, new float[100], 3, 0f, new float[100], 2));
        Assert.Equal("ldc", ex.ParamName);
    }

    [Fact]
    public void Multiply_AllocatesNothingAfterWarmUp()
    {
        // The training shapes, every layout: the argument checks build their messages only when they throw.
        var a = new float[256 * 784];
        var b = new float[256 * 784];
        var c = new float[256 * 784];
        void Calls()
        {
            Gemm.Multiply(false, true, 128, 100, 784, 1f, a, 784, b, 784, 0f, c, 100);
            Gemm.Multiply(true, false, 100, 392, 256, 1f, a, 100, b, 784, 0f, c, 784);
            Gemm.Multiply(false, false, 128, 100, 10, 1f, a, 10, b, 100, 0f, c, 100);
            Gemm.Multiply(true, true, 10, 13, 100, 1f, a, 10, b, 100, 1f, c, 13);
        }
        Calls();
        long least = long.MaxValue; // the least of a few rounds: the runtime may allocate once for its own bookkeeping
        for (int round = 0; round < 5 && least != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) Calls();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void NegativeSizes_Throw()
    {
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, -1, 1, 1, 1f, new float[1], 1, new float[1], 1, 0f, new float[1], 1)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, 1, -1, 1, 1.0, new double[1], 1, new double[1], 1, 0.0, new double[1], 1)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.MultiplyParallel(false, false, 1, 1, -1, 1f, new float[1], 1, new float[1], 1, 0f, new float[1], 1)).ParamName);
    }

    /// <summary>Size triples over <see cref="Sizes"/> (every <paramref name="stride"/>-th), rotating scalings and padding.</summary>
    private static void OddSizes<T>(bool ta, bool tb, Gemm.Path path, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int index = 0;
        for (int i = 0; i < Sizes.Length; i++)
        {
            for (int j = 0; j < Sizes.Length; j++, index++)
            {
                if (index % stride != 0)
                {
                    continue;
                }
                int m = Sizes[i], n = Sizes[j], k = Sizes[((i * 7) + (j * 3) + (ta ? 1 : 0) + (tb ? 2 : 0)) % Sizes.Length];
                var (alpha, beta) = Scalings[index % Scalings.Length];
                Check<T>(path, ta, tb, m, n, k, alpha, beta, index % 4 == 0 ? 0 : index % 5, 1000 + index);
            }
        }
    }

    /// <summary>
    /// Runs one multiply on random data with every leading dimension padded by <paramref name="pad"/> and checks C
    /// against a reference accumulated in double: within ~1e-5·√k (float) or 1e-13·√k (double) of Σ|alpha·a·b| + |beta·c|,
    /// no NaN when beta == 0 (C starts as NaN then), and the padding of C untouched.
    /// </summary>
    private static void Check<T>(Gemm.Path path, bool ta, bool tb, int m, int n, int k, double alpha, double beta,
        int pad, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        T[] a = Random<T>(rng, Length(aRows, aCols, lda));
        T[] b = Random<T>(rng, Length(bRows, bCols, ldb));
        T[] c = Random<T>(rng, Length(m, n, ldc));
        T sentinel = T.CreateChecked(12345.0);
        for (int i = 0; i < c.Length; i++)
        {
            if (i % ldc >= n)
            {
                c[i] = sentinel;
            }
            else if (beta == 0)
            {
                c[i] = T.NaN;
            }
        }
        T[] c0 = (T[])c.Clone();

        Gemm.Multiply(path, ta, tb, m, n, k, T.CreateChecked(alpha), a, lda, b, ldb, T.CreateChecked(beta), c, ldc);

        // op(A) as m×k and op(B)ᵀ as n×k, in double, so that every reference entry is a contiguous dot product.
        var opA = new double[m * k];
        var opBt = new double[n * k];
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < m; i++)
            {
                opA[(i * k) + p] = double.CreateChecked(a[ta ? (p * lda) + i : (i * lda) + p]);
            }
            for (int j = 0; j < n; j++)
            {
                opBt[(j * k) + p] = double.CreateChecked(b[tb ? (j * ldb) + p : (p * ldb) + j]);
            }
        }

        double eps = (typeof(T) == typeof(float) ? 1e-5 : 1e-13) * Math.Sqrt(Math.Max(k, 1));
        string name = $"{typeof(T).Name} {path} m={m} n={n} k={k} transposeA={ta} transposeB={tb} lda={lda} ldb={ldb} ldc={ldc} alpha={alpha} beta={beta}";
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && (i * ldc) + j < c.Length; j++)
            {
                int at = (i * ldc) + j;
                double actual = double.CreateChecked(c[at]);
                if (j >= n)
                {
                    if (c[at] != sentinel)
                    {
                        Assert.Fail($"{name}: padding C[{i}, {j}] was overwritten with {actual}.");
                    }
                    continue;
                }
                double sum = 0, magnitude = 0;
                for (int p = 0, x = i * k, y = j * k; p < k; p++, x++, y++)
                {
                    double product = opA[x] * opBt[y];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double old = beta == 0 ? 0 : double.CreateChecked(c0[at]);
                double expected = (alpha * sum) + (beta * old);
                double tolerance = (eps * ((Math.Abs(alpha) * magnitude) + Math.Abs(beta * old))) + 1e-30;
                if (double.IsNaN(actual) || Math.Abs(actual - expected) > tolerance)
                {
                    Assert.Fail($"{name}: C[{i}, {j}] expected {expected:R}, actual {actual:R} (tolerance {tolerance:E2}).");
                }
            }
        }
    }

    private static void ParallelCase<T>(bool ta, bool tb, int m, int n, int k, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        int aCols = ta ? m : k, bCols = tb ? k : n;
        T[] a = Random<T>(rng, (ta ? k : m) * aCols);
        T[] b = Random<T>(rng, (tb ? n : k) * bCols);
        T[] c = Random<T>(rng, m * n);
        T[] expected = (T[])c.Clone();
        T alpha = T.CreateChecked(1.5), beta = T.CreateChecked(-0.25);
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(ta, tb, m, n, k, float.CreateChecked(alpha), AsF(a), aCols, AsF(b), bCols, float.CreateChecked(beta), AsF(expected), n);
            Gemm.MultiplyParallel(ta, tb, m, n, k, float.CreateChecked(alpha), AsF(a), aCols, AsF(b), bCols, float.CreateChecked(beta), AsF(c), n);
        }
        else
        {
            Gemm.Multiply(ta, tb, m, n, k, double.CreateChecked(alpha), AsD(a), aCols, AsD(b), bCols, double.CreateChecked(beta), AsD(expected), n);
            Gemm.MultiplyParallel(ta, tb, m, n, k, double.CreateChecked(alpha), AsD(a), aCols, AsD(b), bCols, double.CreateChecked(beta), AsD(c), n);
        }
        for (int i = 0; i < c.Length; i++)
        {
            if (c[i] != expected[i])
            {
                Assert.Fail($"{typeof(T).Name} MultiplyParallel m={m} n={n} k={k} transposeA={ta} transposeB={tb}: C[{i / n}, {i % n}] expected {expected[i]} (Multiply), actual {c[i]}.");
            }
        }

        static float[] AsF(T[] x) => (float[])(object)x;

        static double[] AsD(T[] x) => (double[])(object)x;
    }

    private static int Length(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : ((rows - 1) * ld) + cols;

    private static T[] Random<T>(Random rng, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((rng.NextDouble() * 2) - 1);
        }
        return values;
    }
}
