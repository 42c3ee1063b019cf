using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Dnn2Gp.Runtime.Cpu;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// Pointer-level calls into the project's GEMM (<see cref="Gemm"/>) for the blocked algorithms of this folder, which
/// address sub-blocks of one buffer (a panel and the trailing matrix of the same factor) that spans cannot alias.
/// </summary>
internal static unsafe class Blas
{
    /// <summary>C[m×n] = alpha·op(A)·op(B) + beta·C (row-major, strides in elements); <paramref name="parallel"/> picks
    /// <see cref="Gemm.MultiplyParallel(bool, bool, int, int, int, double, ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, double, Span{double}, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gemm<T>(bool parallel, bool ta, bool tb, int m, int n, int k,
        T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        var sa = new ReadOnlySpan<T>(a, Extent(ta ? k : m, ta ? m : k, lda));
        var sb = new ReadOnlySpan<T>(b, Extent(tb ? n : k, tb ? k : n, ldb));
        var sc = new Span<T>(c, Extent(m, n, ldc));
        if (typeof(T) == typeof(double))
        {
            var da = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(sa);
            var db = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(sb);
            var dc = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(sc);
            double al = double.CreateTruncating(alpha), be = double.CreateTruncating(beta);
            if (parallel)
            {
                Cpu.Gemm.MultiplyParallel(ta, tb, m, n, k, al, da, (int)lda, db, (int)ldb, be, dc, (int)ldc);
            }
            else
            {
                Cpu.Gemm.Multiply(ta, tb, m, n, k, al, da, (int)lda, db, (int)ldb, be, dc, (int)ldc);
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var fa = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(sa);
            var fb = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(sb);
            var fc = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(sc);
            float al = float.CreateTruncating(alpha), be = float.CreateTruncating(beta);
            if (parallel)
            {
                Cpu.Gemm.MultiplyParallel(ta, tb, m, n, k, al, fa, (int)lda, fb, (int)ldb, be, fc, (int)ldc);
            }
            else
            {
                Cpu.Gemm.Multiply(ta, tb, m, n, k, al, fa, (int)lda, fb, (int)ldb, be, fc, (int)ldc);
            }
        }
        else
        {
            throw new NotSupportedException($"GEMM supports float and double, not {typeof(T).Name}.");
        }
    }

    /// <summary>Elements a rows×cols row-major block with row stride ld spans.</summary>
    public static int Extent(int rows, int cols, nint ld) =>
        rows == 0 || cols == 0 ? 0 : checked((int)(((rows - 1) * ld) + cols));

    /// <summary>Threads worth using for <paramref name="work"/> multiply-adds split in <paramref name="items"/> independent items.</summary>
    public static int Workers(long work, int items)
    {
        const long MinWorkPerThread = 1L << 21;
        return (int)Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, items), work / MinWorkPerThread));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(item) for item = 0 … count − 1 on <paramref name="workers"/> threads, each taking
    /// the next unclaimed item (so callers order items from the most to the least work). Every item is computed by the
    /// same operations whatever thread runs it, so results do not depend on scheduling.
    /// </summary>
    public static void ForEachItem(int count, int workers, Action<int> body)
    {
        if (workers <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        int next = -1;
        Parallel.For(0, Math.Min(workers, count), _ =>
        {
            int item;
            while ((item = Interlocked.Increment(ref next)) < count)
            {
                body(item);
            }
        });
    }
}
