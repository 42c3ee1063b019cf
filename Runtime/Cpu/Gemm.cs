using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;

namespace Dnn2Gp.Runtime.Cpu;

/// <summary>
/// Dense matrix multiply, C = alpha · op(A) · op(B) + beta · C, on row-major matrices with explicit row strides.
/// </summary>
/// <remarks>
/// Written by hand on purpose, not bound to a BLAS: no native dependency, it runs wherever .NET runs, and the shapes it
/// is tuned for are the small, skinny ones of MLP training (k·n of a few hundred by a hundred), where a BLAS call's
/// fixed costs would weigh. The structure is the classic packed, register-blocked one (BLIS): C is computed in tiles of
/// MR rows × NR columns by a micro-kernel that keeps the whole tile in SIMD registers and, per step of k, broadcasts MR
/// scalars of op(A) against the NR/Lanes vectors of one packed row of op(B). The kernels come in Vector512, Vector256
/// and Vector128 families (the widest accelerated one runs; scalar loops otherwise), each with a 2-vector (Wide),
/// 1-vector (Narrow) and half-vector (Half) width so that a last, partial panel of columns wastes little, and with a
/// JIT-time row count so that the last, partial tile of rows computes only its rows.
/// <para>
/// op(B) is packed per panel (kc × NR, 64-byte aligned, zero-padded, transposed through an in-register 8 × 8 / 4 × 4
/// transpose when B is stored n × k). op(A) is read in place for small problems, where both layouts give the kernel
/// cheap broadcasts, and packed in L2-sized blocks for big ones. Packing buffers are per thread, pinned and reused, so
/// a call allocates nothing after warm-up.
/// </para>
/// </remarks>
public static partial class Gemm
{
    /// <summary>Rows of C per micro-tile (the number of broadcast scalars of op(A) per step of k).</summary>
    private const int MR = 6;

    /// <summary>Upper bound of the k-block (k is split evenly into blocks of at most this): a kc × NR panel of op(B)
    /// stays in L1/L2 while it is swept over the rows, and C is read and written once per block.</summary>
    private const int KcMax = 256;

    /// <summary>Size of the block of op(A) (m × kc) from which it is packed rather than read in place.</summary>
    private const long PackABytes = 256 * 1024;

    /// <summary>Rows of op(A) per packed block (big problems): McMax × KcMax floats stay in L2.</summary>
    private const int McMax = 40 * MR;

    /// <summary>Columns of op(B) per packed block (big problems): bounds the per-thread buffer to KcMax × NcMax.</summary>
    private const int NcMax = 2048;

    /// <summary>Below this many multiply-adds (m·n·k), <c>MultiplyParallel</c> runs on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 22;

    /// <summary>The fewest multiply-adds a parallel part gets (more parts would cost more to schedule than they save).</summary>
    private const long ParallelPartMin = 1L << 21;

    /// <summary>Columns per unit of a parallel split: a multiple of every panel width, so parts tile C like one call.</summary>
    private const int ParallelColumnUnit = 32;

    /// <summary>
    /// C[m×n] = alpha · op(A) · op(B) + beta · C, all row-major. op(A) is m×k (A is m×k, or k×m when
    /// <paramref name="transposeA"/>), op(B) is k×n (B is k×n, or n×k when <paramref name="transposeB"/>).
    /// <paramref name="lda"/>/<paramref name="ldb"/>/<paramref name="ldc"/> are row strides (leading dimensions).
    /// When beta == 0, C is never read (it may hold NaN or garbage). Single-threaded: callers parallelise over batches.
    /// </summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => Run(Path.Auto, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <inheritdoc cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
        => Run(Path.Auto, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// Same result as <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>,
    /// using up to <see cref="Environment.ProcessorCount"/> threads (split over blocks of rows or columns of C) when
    /// the problem is big enough to pay for it; otherwise identical to Multiply.
    /// </summary>
    public static void MultiplyParallel(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => RunParallel(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <inheritdoc cref="MultiplyParallel(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    public static void MultiplyParallel(bool transposeA, bool transposeB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
        => RunParallel(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Which code path runs; tests force each one, callers always get <see cref="Auto"/>.</summary>
    internal enum Path
    {
        /// <summary>The widest accelerated vector size.</summary>
        Auto,

        /// <summary>Vector512 kernels (only where Vector512 is accelerated).</summary>
        Vector512,

        /// <summary>Vector256 kernels (only where Vector256 is accelerated).</summary>
        Vector256,

        /// <summary>Vector128 kernels (only where Vector128 is accelerated).</summary>
        Vector128,

        /// <summary>Plain scalar loops.</summary>
        Scalar,
    }

    /// <summary>Multiply on a chosen code path (tests use it to cover the paths this machine would not pick).</summary>
    internal static void Multiply<T>(Path path, bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(path, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static unsafe void Run<T>(Path path, bool ta, bool tb, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(ta, tb, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            Core(path, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    private static unsafe void RunParallel<T>(bool ta, bool tb, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(ta, tb, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        int threads = Environment.ProcessorCount;
        long work = (long)m * n * k;
        // Split C into blocks of columns (whole panels: each part packs only its own op(B)) or, when there are too
        // few, of rows (whole tiles). Either way every element of C sees the same operations as in Multiply.
        int byCols = Math.Min(n / ParallelColumnUnit, threads);
        int byRows = Math.Min(m / MR, threads);
        int parts = (int)Math.Min(Math.Max(byRows, byCols), work / ParallelPartMin);
        if (threads < 2 || work < ParallelThreshold || parts < 2)
        {
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
            {
                Core(Path.Auto, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
            return;
        }

        bool splitRows = byRows > byCols;
        int total = splitRows ? m : n;
        int unit = splitRows ? MR : ParallelColumnUnit;
        int units = (total + unit - 1) / unit;
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            var job = new ParallelJob<T>
            {
                TransposeA = ta, TransposeB = tb, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = (nint)pa, Lda = lda, B = (nint)pb, Ldb = ldb, C = (nint)pc, Ldc = ldc,
                SplitRows = splitRows, Total = total, Unit = unit, Units = units, Parts = parts,
            };
            Parallel.For(0, parts, job.Execute);
        }
    }

    /// <summary>One MultiplyParallel call: part i computes a contiguous block of rows or columns of C.</summary>
    private sealed class ParallelJob<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool TransposeA, TransposeB, SplitRows;
        public int M, N, K, Lda, Ldb, Ldc, Total, Unit, Units, Parts;
        public T Alpha, Beta;
        public nint A, B, C;

        public unsafe void Execute(int part)
        {
            int start = (int)Math.Min((long)Units * part / Parts * Unit, Total);
            int end = (int)Math.Min((long)Units * (part + 1) / Parts * Unit, Total);
            if (end <= start)
            {
                return;
            }
            T* a = (T*)A, b = (T*)B, c = (T*)C;
            if (SplitRows)
            {
                T* aPart = TransposeA ? a + start : a + ((nint)start * Lda);
                Core(Path.Auto, TransposeA, TransposeB, end - start, N, K, Alpha, aPart, Lda, b, Ldb, Beta,
                    c + ((nint)start * Ldc), Ldc);
            }
            else
            {
                T* bPart = TransposeB ? b + ((nint)start * Ldb) : b + start;
                Core(Path.Auto, TransposeA, TransposeB, M, end - start, K, Alpha, a, Lda, bPart, Ldb, Beta,
                    c + start, Ldc);
            }
        }
    }

    private static void Validate(bool ta, bool tb, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0)
        {
            ThrowNegative(nameof(m), m);
        }
        if (n < 0)
        {
            ThrowNegative(nameof(n), n);
        }
        if (k < 0)
        {
            ThrowNegative(nameof(k), k);
        }
        // Stored shapes: A is m×k (k×m when transposed), B is k×n (n×k when transposed), C is m×n.
        CheckMatrix("a", nameof(lda), ta ? k : m, ta ? m : k, lda, aLength, ta ? "transposeA" : null);
        CheckMatrix("b", nameof(ldb), tb ? n : k, tb ? k : n, ldb, bLength, tb ? "transposeB" : null);
        CheckMatrix("c", nameof(ldc), m, n, ldc, cLength, null);
    }

    private static void CheckMatrix(string name, string ldName, int rows, int cols, int ld, int length,
        string? transposed)
    {
        // The messages are built only on failure: this runs on every call, in training loops.
        if (ld < cols || ld < 0)
        {
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{ldName} must be at least {cols} (the row length of {name}, {Shape(rows, cols, transposed)}), but is {ld}.");
        }
        long required = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;
        if (length < required)
        {
            throw new ArgumentException(
                $"{name} is too short: {Shape(rows, cols, transposed)} with {ldName} = {ld} needs at least {required} elements, but it has {length}.",
                name);
        }
    }

    private static string Shape(int rows, int cols, string? transposed) =>
        $"{rows}×{cols}{(transposed is null ? string.Empty : $" (stored, {transposed})")}";

    private static void ThrowNegative(string name, int value)
        => throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative, but is {value}.");

    private static unsafe void Core<T>(Path path, bool ta, bool tb, int m, int n, int k,
        T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || T.IsZero(alpha))
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        if (path == Path.Auto)
        {
            path = Vector512.IsHardwareAccelerated ? Path.Vector512
                : Vector256.IsHardwareAccelerated ? Path.Vector256
                : Vector128.IsHardwareAccelerated ? Path.Vector128
                : Path.Scalar;
        }
        switch (path)
        {
            case Path.Vector512 when Vector512.IsHardwareAccelerated:
                Blocked<T, Kernels512<T>>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case Path.Vector256 when Vector256.IsHardwareAccelerated:
                Blocked<T, Kernels256<T>>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case Path.Vector128 when Vector128.IsHardwareAccelerated:
                Blocked<T, Kernels128<T>>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            case Path.Scalar:
                Scalar(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                break;
            default:
                throw new PlatformNotSupportedException($"{path} is not accelerated on this machine.");
        }
    }

    /// <summary>C = beta·C (C is not read when beta == 0).</summary>
    private static unsafe void ScaleC<T>(int m, int n, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (i * ldc), n);
            if (T.IsZero(beta))
            {
                row.Clear();
            }
            else if (beta != T.One)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] *= beta;
                }
            }
        }
    }

    /// <summary>The micro-kernels of one vector size (see Gemm.Kernels.cs).</summary>
    private interface IKernels<T> where T : unmanaged
    {
        /// <summary>Elements per vector: a Wide tile is MR × 2·Lanes, a Narrow one MR × Lanes.</summary>
        static abstract int Lanes { get; }

        /// <summary>Elements per half-size vector (a Half tile is MR × HalfLanes), or 0 if there is no Half kernel.</summary>
        static abstract int HalfLanes { get; }

        /// <summary>
        /// C[TR.Count × 2·Lanes] = alpha·Σ_p opA[r, p]·B[p, :] + beta·C over kc steps (C not read when beta == 0).
        /// opA[r, p] is at a[r·RowStride + p·ColStride]; row p of the B panel starts at b + p·bs.
        /// </summary>
        static abstract unsafe void Wide<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows;

        /// <summary>As <see cref="Wide{TA, TR}"/> for a TR.Count × Lanes tile.</summary>
        static abstract unsafe void Narrow<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows;

        /// <summary>As <see cref="Wide{TA, TR}"/> for a TR.Count × HalfLanes tile (only called when HalfLanes &gt; 0).</summary>
        static abstract unsafe void Half<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows;

        /// <summary>Copies kc rows of one full 2·Lanes-wide panel of a row-major B into dst (kc × 2·Lanes).</summary>
        static abstract unsafe void PackPanel(T* b, nint ldb, int kc, T* dst);
    }

    /// <summary>Where op(A)[r, p] lies: a[r·RowStride(lda) + p·ColStride(lda)]. One of the two is the constant 1.</summary>
    private interface IALayout
    {
        static abstract nint RowStride(nint ld);

        static abstract nint ColStride(nint ld);
    }

    /// <summary>The number of rows (1 .. MR) a kernel instantiation computes, as a JIT-time constant.</summary>
    private interface IRows
    {
        static abstract int Count { get; }
    }

    private readonly struct Rows1 : IRows
    {
        public static int Count => 1;
    }

    private readonly struct Rows2 : IRows
    {
        public static int Count => 2;
    }

    private readonly struct Rows3 : IRows
    {
        public static int Count => 3;
    }

    private readonly struct Rows4 : IRows
    {
        public static int Count => 4;
    }

    private readonly struct Rows5 : IRows
    {
        public static int Count => 5;
    }

    private readonly struct Rows6 : IRows
    {
        public static int Count => 6;
    }

    /// <summary>op(A) = A, row-major: op(A)[r, p] = a[r·lda + p].</summary>
    private readonly struct ARows : IALayout
    {
        public static nint RowStride(nint ld) => ld;

        public static nint ColStride(nint ld) => 1;
    }

    /// <summary>op(A) = Aᵀ: op(A)[r, p] = a[p·lda + r], so the MR scalars of a step are adjacent.</summary>
    private readonly struct ACols : IALayout
    {
        public static nint RowStride(nint ld) => 1;

        public static nint ColStride(nint ld) => ld;
    }

    /// <summary>
    /// The blocked driver: for each block of columns (≤ NcMax) and of k (≤ KcMax), op(B) is packed into aligned,
    /// zero-padded kc × NR panels, then every tile of C (MR rows, or the rows left) is handed to a kernel that reads
    /// op(A) in place. The last panel, when partial, gets the narrowest kernel that covers it and writes through a
    /// scratch tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Blocked<T, TK>(bool ta, bool tb, int m, int n, int k,
        T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : struct, IKernels<T>
    {
        int lanes = TK.Lanes;
        int half = TK.HalfLanes;
        int nr = 2 * lanes;
        int kBlocks = (k + KcMax - 1) / KcMax;
        int kcStep = (k + kBlocks - 1) / kBlocks;
        int lastWidth = n % nr;
        // The last, partial panel gets the narrowest kernel that covers it.
        int lastPanel = lastWidth == 0 ? nr : lastWidth <= half ? half : lastWidth <= lanes ? lanes : nr;

        // Big problems (op(A) block m × kc over PackABytes, many panels) go the BLIS way: op(A) is packed in blocks of
        // McMax rows that stay in L2, and each packed panel of op(B) is kept for the later row blocks. Small ones read
        // op(A) in place (both layouts give the kernel cheap broadcasts) and pack each panel of op(B) just before its
        // sweep over all rows, so that the sweep finds it in L1.
        bool packA = n >= 8 * nr && (long)m * kcStep * sizeof(T) >= PackABytes;
        int mcStep = packA ? McMax : m;
        int ncStep = packA ? NcMax : RoundUp(n, nr);
        T* bBlock = Scratch<T>.PackB(kcStep * (packA ? Math.Min(RoundUp(n, nr), NcMax) : nr));
        T* aPack = packA ? Scratch<T>.PackA(kcStep * McMax) : null;
        T* cTile = Scratch<T>.Tile(MR * nr);

        for (int jc = 0; jc < n; jc += ncStep)
        {
            int jEnd = Math.Min(n, jc + ncStep);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                T betaK = pc == 0 ? beta : T.One;
                for (int ic = 0; ic < m; ic += mcStep)
                {
                    int iEnd = Math.Min(m, ic + mcStep);
                    if (packA)
                    {
                        PackA(ta, a, lda, ic, iEnd - ic, pc, kc, aPack);
                    }
                    for (int jr = jc; jr < jEnd; jr += nr)
                    {
                        int width = Math.Min(nr, n - jr);
                        int panel = width == nr ? nr : lastPanel;
                        T* bp = packA ? bBlock + ((jr - jc) * kc) : bBlock;
                        if (ic == 0)
                        {
                            if (tb)
                            {
                                PackBTransposed(b + (jr * ldb) + pc, ldb, kc, width, panel, bp);
                            }
                            else if (width == nr)
                            {
                                TK.PackPanel(b + (pc * ldb) + jr, ldb, kc, bp);
                            }
                            else
                            {
                                PackBRows(b + (pc * ldb) + jr, ldb, kc, width, panel, bp);
                            }
                        }

                        bool direct = width == panel;
                        nint ldt = direct ? ldc : nr;
                        T al = direct ? alpha : T.One;
                        T be = direct ? betaK : T.Zero;
                        for (int ir = ic; ir < iEnd; ir += MR)
                        {
                            int height = Math.Min(MR, m - ir);
                            T* cp = c + (ir * ldc) + jr;
                            T* ct = direct ? cp : cTile;
                            if (Sse.IsSupported)
                            {
                                // The tile of C is loaded/stored only after the k loop: fetch it meanwhile.
                                for (int r = 0; r < height; r++)
                                {
                                    Sse.Prefetch0(cp + (r * ldc));
                                    Sse.Prefetch0((byte*)(cp + (r * ldc)) + 64);
                                }
                            }
                            if (packA)
                            {
                                Call<T, TK, ACols>(height, panel, kc, aPack + ((ir - ic) * kc), MR, bp, ct, ldt, al, be);
                            }
                            else if (ta)
                            {
                                Call<T, TK, ACols>(height, panel, kc, a + (pc * lda) + ir, lda, bp, ct, ldt, al, be);
                            }
                            else
                            {
                                Call<T, TK, ARows>(height, panel, kc, a + (ir * lda) + pc, lda, bp, ct, ldt, al, be);
                            }
                            if (!direct)
                            {
                                MergeTile(cTile, nr, cp, ldc, height, width, alpha, betaK);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Runs the kernel for <paramref name="height"/> rows (1 .. MR) and <paramref name="panel"/> columns
    /// (2·Lanes, Lanes or HalfLanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Call<T, TK, TA>(int height, int panel, int kc, T* a, nint lda, T* b, T* c, nint ldc,
        T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : struct, IKernels<T>
        where TA : struct, IALayout
    {
        switch (height)
        {
            case 6:
                Call<T, TK, TA, Rows6>(panel, kc, a, lda, b, c, ldc, alpha, beta);
                break;
            case 5:
                Call<T, TK, TA, Rows5>(panel, kc, a, lda, b, c, ldc, alpha, beta);
                break;
            case 4:
                Call<T, TK, TA, Rows4>(panel, kc, a, lda, b, c, ldc, alpha, beta);
                break;
            case 3:
                Call<T, TK, TA, Rows3>(panel, kc, a, lda, b, c, ldc, alpha, beta);
                break;
            case 2:
                Call<T, TK, TA, Rows2>(panel, kc, a, lda, b, c, ldc, alpha, beta);
                break;
            default:
                Call<T, TK, TA, Rows1>(panel, kc, a, lda, b, c, ldc, alpha, beta);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Call<T, TK, TA, TR>(int panel, int kc, T* a, nint lda, T* b, T* c, nint ldc,
        T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TK : struct, IKernels<T>
        where TA : struct, IALayout
        where TR : struct, IRows
    {
        if (panel > TK.Lanes)
        {
            TK.Wide<TA, TR>(kc, a, lda, b, panel, c, ldc, alpha, beta);
        }
        else if (panel == TK.Lanes)
        {
            TK.Narrow<TA, TR>(kc, a, lda, b, panel, c, ldc, alpha, beta);
        }
        else
        {
            TK.Half<TA, TR>(kc, a, lda, b, panel, c, ldc, alpha, beta);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>C[i, j] = alpha·tile[i, j] + beta·C[i, j] for the valid part of an edge tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MergeTile<T>(T* tile, nint ldt, T* c, nint ldc, int height, int width, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < height; i++)
        {
            T* t = tile + (i * ldt);
            T* ci = c + (i * ldc);
            if (T.IsZero(beta))
            {
                for (int j = 0; j < width; j++)
                {
                    ci[j] = alpha * t[j];
                }
            }
            else
            {
                for (int j = 0; j < width; j++)
                {
                    ci[j] = (alpha * t[j]) + (beta * ci[j]);
                }
            }
        }
    }

    /// <summary>Packs kc rows of a row-major B block (width ≤ panel columns) into a zero-padded panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackBRows<T>(T* b, nint ldb, int kc, int width, int panel, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < kc; p++)
        {
            T* d = dst + (p * panel);
            new ReadOnlySpan<T>(b + (p * ldb), width).CopyTo(new Span<T>(d, width));
            new Span<T>(d + width, panel - width).Clear();
        }
    }

    /// <summary>Packs op(B) = Bᵀ: panel[p, j] = b[j·ldb + p] for j &lt; width, zero up to the panel width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackBTransposed<T>(T* b, nint ldb, int kc, int width, int panel, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Square blocks go through an in-register transpose where the ISA has one; the rest is scalar.
        int block = !Avx.IsSupported ? 0 : typeof(T) == typeof(float) ? 8 : typeof(T) == typeof(double) ? 4 : 0;
        int pDone = 0, jDone = 0;
        if (block > 0)
        {
            pDone = kc - (kc % block);
            jDone = width - (width % block);
            for (int p0 = 0; p0 < pDone; p0 += block)
            {
                for (int j0 = 0; j0 < jDone; j0 += block)
                {
                    T* src = b + (j0 * ldb) + p0;
                    T* d = dst + (p0 * panel) + j0;
                    if (typeof(T) == typeof(float))
                    {
                        Transpose8x8((float*)src, ldb, (float*)d, panel);
                    }
                    else
                    {
                        Transpose4x4((double*)src, ldb, (double*)d, panel);
                    }
                }
            }
        }
        // Scalar remainder: columns [jDone, width) for all p, then columns [0, jDone) for p ≥ pDone.
        for (int j = 0; j < width; j++)
        {
            T* src = b + (j * ldb);
            T* d = dst + j;
            for (int p = j < jDone ? pDone : 0; p < kc; p++)
            {
                d[p * panel] = src[p];
            }
        }
        if (width < panel)
        {
            for (int p = 0; p < kc; p++)
            {
                new Span<T>(dst + (p * panel) + width, panel - width).Clear();
            }
        }
    }

    /// <summary>d[i·ldd + j] = s[j·lds + i] for an 8 × 8 block of floats (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* s, nint lds, float* d, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<float> r2 = Avx.LoadVector256(s + (2 * lds)), r3 = Avx.LoadVector256(s + (3 * lds));
        Vector256<float> r4 = Avx.LoadVector256(s + (4 * lds)), r5 = Avx.LoadVector256(s + (5 * lds));
        Vector256<float> r6 = Avx.LoadVector256(s + (6 * lds)), r7 = Avx.LoadVector256(s + (7 * lds));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + (2 * ldd), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + (3 * ldd), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + (4 * ldd), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + (5 * ldd), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + (6 * ldd), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + (7 * ldd), Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>d[i·ldd + j] = s[j·lds + i] for a 4 × 4 block of doubles (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose4x4(double* s, nint lds, double* d, nint ldd)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<double> r2 = Avx.LoadVector256(s + (2 * lds)), r3 = Avx.LoadVector256(s + (3 * lds));
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + (2 * ldd), Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + (3 * ldd), Avx.Permute2x128(t1, t3, 0x31));
    }

    /// <summary>
    /// Packs op(A)[ic..ic+mc, pc..pc+kc] as consecutive MR-row panels, panel t at dst + t·MR·kc holding op(A)[ic + t·MR + r, pc + p]
    /// at [p·MR + r] (the layout <see cref="ACols"/> reads with lda = MR). The last panel's missing rows are not written:
    /// its kernel does not read them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA<T>(bool ta, T* a, nint lda, int ic, int mc, int pc, int kc, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i0 = ic; i0 < ic + mc; i0 += MR)
        {
            int height = Math.Min(MR, ic + mc - i0);
            T* d = dst + ((i0 - ic) * kc);
            if (ta)
            {
                T* src = a + (pc * lda) + i0;
                for (int p = 0; p < kc; p++)
                {
                    new ReadOnlySpan<T>(src + (p * lda), height).CopyTo(new Span<T>(d + (p * MR), height));
                }
            }
            else
            {
                for (int r = 0; r < height; r++)
                {
                    T* src = a + ((i0 + r) * lda) + pc;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(p * MR) + r] = src[p];
                    }
                }
            }
        }
    }

    /// <summary>The fallback when no vector size is accelerated: dot products accumulated in T.</summary>
    private static unsafe void Scalar<T>(bool ta, bool tb, int m, int n, int k,
        T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint aRow = ta ? 1 : lda, aCol = ta ? lda : 1;
        nint bRow = tb ? 1 : ldb, bCol = tb ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T* ap = a + (i * aRow);
                T* bp = b + (j * bCol);
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum += ap[p * aCol] * bp[p * bRow];
                }
                T* cp = c + (i * ldc) + j;
                *cp = T.IsZero(beta) ? alpha * sum : (alpha * sum) + (beta * *cp);
            }
        }
    }

    /// <summary>Per-thread packing buffers: pinned, 64-byte aligned, grown on demand and then reused.</summary>
    private static unsafe class Scratch<T> where T : unmanaged
    {
        [ThreadStatic]
        private static T[]? s_packB;

        [ThreadStatic]
        private static T[]? s_packA;

        [ThreadStatic]
        private static T[]? s_tile;

        public static T* PackB(int length) => Get(ref s_packB, length);

        public static T* PackA(int length) => Get(ref s_packA, length);

        public static T* Tile(int length) => Get(ref s_tile, length);

        private static T* Get(ref T[]? buffer, int length)
        {
            int pad = 64 / sizeof(T);
            if (buffer is null || buffer.Length < length + pad)
            {
                buffer = GC.AllocateUninitializedArray<T>(Math.Max(length, 256) + pad, pinned: true);
            }
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (T*)((p + 63) & ~(nint)63);
        }
    }
}
