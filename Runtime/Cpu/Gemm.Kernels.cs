// The register-blocked micro-kernels of Gemm, one family per vector size. A kernel computes a tile of TR.Count
// (at most 6) rows of C from kc steps of op(A) (one broadcast scalar per row and step) and a packed panel of op(B)
// (one row of vectors per step), keeping the whole tile in registers; the rows past TR.Count are dead code that the
// JIT removes per instantiation. Wide tiles are 2 vectors across, Narrow ones 1 vector and Half ones 1 vector of half
// the size (for a last panel of few columns). The bodies are unrolled in the source (the JIT neither unrolls loops nor
// keeps arrays in registers), so they are long and regular: the three families are one template with the vector type
// changed, and must be edited in step.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Cpu;

public static partial class Gemm
{
    /// <summary>Micro-kernels on Vector512: 6 × 2 vector tiles (Wide), 6 × 1 vector tiles (Narrow) and 6 × 1 Vector256 tiles (Half).</summary>
    private readonly struct Kernels512<T> : IKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Lanes => Vector512<T>.Count;

        public static int HalfLanes => Vector256<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector512.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector512.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>c = alpha·acc (kind 0: beta == 0, c not read), alpha·acc + c (kind 1) or alpha·acc + beta·c (kind 2).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(T* c, Vector512<T> acc, Vector512<T> va, Vector512<T> vb, int betaKind)
        {
            if (betaKind == 0)
            {
                Vector512.Store(acc * va, c);
            }
            else if (betaKind == 1)
            {
                Vector512.Store(Fma(acc, va, Vector512.Load(c)), c);
            }
            else
            {
                Vector512.Store(Fma(acc, va, Vector512.Load(c) * vb), c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>c = alpha·acc (kind 0: beta == 0, c not read), alpha·acc + c (kind 1) or alpha·acc + beta·c (kind 2).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(T* c, Vector256<T> acc, Vector256<T> va, Vector256<T> vb, int betaKind)
        {
            if (betaKind == 0)
            {
                Vector256.Store(acc * va, c);
            }
            else if (betaKind == 1)
            {
                Vector256.Store(Fma(acc, va, Vector256.Load(c)), c);
            }
            else
            {
                Vector256.Store(Fma(acc, va, Vector256.Load(c) * vb), c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Wide<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero;
            Vector512<T> c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
            Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero;
            Vector512<T> c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
            Vector512<T> c40 = Vector512<T>.Zero, c41 = Vector512<T>.Zero;
            Vector512<T> c50 = Vector512<T>.Zero, c51 = Vector512<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector512<T> b0 = Vector512.Load(b);
                Vector512<T> b1 = Vector512.Load(b + Vector512<T>.Count);
                Vector512<T> ar0 = Vector512.Create(a[0]);
                c00 = Fma(ar0, b0, c00); c01 = Fma(ar0, b1, c01);
                if (TR.Count > 1)
                {
                    Vector512<T> ar1 = Vector512.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10); c11 = Fma(ar1, b1, c11);
                }
                if (TR.Count > 2)
                {
                    Vector512<T> ar2 = Vector512.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20); c21 = Fma(ar2, b1, c21);
                }
                if (TR.Count > 3)
                {
                    Vector512<T> ar3 = Vector512.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30); c31 = Fma(ar3, b1, c31);
                }
                if (TR.Count > 4)
                {
                    Vector512<T> ar4 = Vector512.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40); c41 = Fma(ar4, b1, c41);
                }
                if (TR.Count > 5)
                {
                    Vector512<T> ar5 = Vector512.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50); c51 = Fma(ar5, b1, c51);
                }
                a += cs;
                b += bs;
            }

            Vector512<T> va = Vector512.Create(alpha);
            Vector512<T> vb = Vector512.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            Store(c + Vector512<T>.Count, c01, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
                Store(c + (ldc * 1) + Vector512<T>.Count, c11, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
                Store(c + (ldc * 2) + Vector512<T>.Count, c21, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
                Store(c + (ldc * 3) + Vector512<T>.Count, c31, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
                Store(c + (ldc * 4) + Vector512<T>.Count, c41, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
                Store(c + (ldc * 5) + Vector512<T>.Count, c51, va, vb, betaKind);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Narrow<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector512<T> c00 = Vector512<T>.Zero;
            Vector512<T> c10 = Vector512<T>.Zero;
            Vector512<T> c20 = Vector512<T>.Zero;
            Vector512<T> c30 = Vector512<T>.Zero;
            Vector512<T> c40 = Vector512<T>.Zero;
            Vector512<T> c50 = Vector512<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector512<T> b0 = Vector512.Load(b);
                Vector512<T> ar0 = Vector512.Create(a[0]);
                c00 = Fma(ar0, b0, c00);
                if (TR.Count > 1)
                {
                    Vector512<T> ar1 = Vector512.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10);
                }
                if (TR.Count > 2)
                {
                    Vector512<T> ar2 = Vector512.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20);
                }
                if (TR.Count > 3)
                {
                    Vector512<T> ar3 = Vector512.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30);
                }
                if (TR.Count > 4)
                {
                    Vector512<T> ar4 = Vector512.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40);
                }
                if (TR.Count > 5)
                {
                    Vector512<T> ar5 = Vector512.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50);
                }
                a += cs;
                b += bs;
            }

            Vector512<T> va = Vector512.Create(alpha);
            Vector512<T> vb = Vector512.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Half<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector256<T> c00 = Vector256<T>.Zero;
            Vector256<T> c10 = Vector256<T>.Zero;
            Vector256<T> c20 = Vector256<T>.Zero;
            Vector256<T> c30 = Vector256<T>.Zero;
            Vector256<T> c40 = Vector256<T>.Zero;
            Vector256<T> c50 = Vector256<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector256<T> b0 = Vector256.Load(b);
                Vector256<T> ar0 = Vector256.Create(a[0]);
                c00 = Fma(ar0, b0, c00);
                if (TR.Count > 1)
                {
                    Vector256<T> ar1 = Vector256.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10);
                }
                if (TR.Count > 2)
                {
                    Vector256<T> ar2 = Vector256.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20);
                }
                if (TR.Count > 3)
                {
                    Vector256<T> ar3 = Vector256.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30);
                }
                if (TR.Count > 4)
                {
                    Vector256<T> ar4 = Vector256.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40);
                }
                if (TR.Count > 5)
                {
                    Vector256<T> ar5 = Vector256.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50);
                }
                a += cs;
                b += bs;
            }

            Vector256<T> va = Vector256.Create(alpha);
            Vector256<T> vb = Vector256.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
            }
        }

        /// <summary>Copies kc rows of one full panel (2 vectors wide) of a row-major B into dst (kc × 2 vectors).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void PackPanel(T* b, nint ldb, int kc, T* dst)
        {
            for (int p = 0; p < kc; p++)
            {
                Vector512.Store(Vector512.Load(b), dst);
                Vector512.Store(Vector512.Load(b + Vector512<T>.Count), dst + Vector512<T>.Count);
                b += ldb;
                dst += 2 * Vector512<T>.Count;
            }
        }
    }

    /// <summary>Micro-kernels on Vector256: 6 × 2 vector tiles (Wide), 6 × 1 vector tiles (Narrow) and 6 × 1 Vector128 tiles (Half).</summary>
    private readonly struct Kernels256<T> : IKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Lanes => Vector256<T>.Count;

        public static int HalfLanes => Vector128<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector256.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector256.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>c = alpha·acc (kind 0: beta == 0, c not read), alpha·acc + c (kind 1) or alpha·acc + beta·c (kind 2).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(T* c, Vector256<T> acc, Vector256<T> va, Vector256<T> vb, int betaKind)
        {
            if (betaKind == 0)
            {
                Vector256.Store(acc * va, c);
            }
            else if (betaKind == 1)
            {
                Vector256.Store(Fma(acc, va, Vector256.Load(c)), c);
            }
            else
            {
                Vector256.Store(Fma(acc, va, Vector256.Load(c) * vb), c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<T> Fma(Vector128<T> x, Vector128<T> y, Vector128<T> z)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector128.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector128.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>c = alpha·acc (kind 0: beta == 0, c not read), alpha·acc + c (kind 1) or alpha·acc + beta·c (kind 2).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(T* c, Vector128<T> acc, Vector128<T> va, Vector128<T> vb, int betaKind)
        {
            if (betaKind == 0)
            {
                Vector128.Store(acc * va, c);
            }
            else if (betaKind == 1)
            {
                Vector128.Store(Fma(acc, va, Vector128.Load(c)), c);
            }
            else
            {
                Vector128.Store(Fma(acc, va, Vector128.Load(c) * vb), c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Wide<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector256<T> c00 = Vector256<T>.Zero, c01 = Vector256<T>.Zero;
            Vector256<T> c10 = Vector256<T>.Zero, c11 = Vector256<T>.Zero;
            Vector256<T> c20 = Vector256<T>.Zero, c21 = Vector256<T>.Zero;
            Vector256<T> c30 = Vector256<T>.Zero, c31 = Vector256<T>.Zero;
            Vector256<T> c40 = Vector256<T>.Zero, c41 = Vector256<T>.Zero;
            Vector256<T> c50 = Vector256<T>.Zero, c51 = Vector256<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector256<T> b0 = Vector256.Load(b);
                Vector256<T> b1 = Vector256.Load(b + Vector256<T>.Count);
                Vector256<T> ar0 = Vector256.Create(a[0]);
                c00 = Fma(ar0, b0, c00); c01 = Fma(ar0, b1, c01);
                if (TR.Count > 1)
                {
                    Vector256<T> ar1 = Vector256.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10); c11 = Fma(ar1, b1, c11);
                }
                if (TR.Count > 2)
                {
                    Vector256<T> ar2 = Vector256.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20); c21 = Fma(ar2, b1, c21);
                }
                if (TR.Count > 3)
                {
                    Vector256<T> ar3 = Vector256.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30); c31 = Fma(ar3, b1, c31);
                }
                if (TR.Count > 4)
                {
                    Vector256<T> ar4 = Vector256.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40); c41 = Fma(ar4, b1, c41);
                }
                if (TR.Count > 5)
                {
                    Vector256<T> ar5 = Vector256.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50); c51 = Fma(ar5, b1, c51);
                }
                a += cs;
                b += bs;
            }

            Vector256<T> va = Vector256.Create(alpha);
            Vector256<T> vb = Vector256.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            Store(c + Vector256<T>.Count, c01, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
                Store(c + (ldc * 1) + Vector256<T>.Count, c11, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
                Store(c + (ldc * 2) + Vector256<T>.Count, c21, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
                Store(c + (ldc * 3) + Vector256<T>.Count, c31, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
                Store(c + (ldc * 4) + Vector256<T>.Count, c41, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
                Store(c + (ldc * 5) + Vector256<T>.Count, c51, va, vb, betaKind);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Narrow<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector256<T> c00 = Vector256<T>.Zero;
            Vector256<T> c10 = Vector256<T>.Zero;
            Vector256<T> c20 = Vector256<T>.Zero;
            Vector256<T> c30 = Vector256<T>.Zero;
            Vector256<T> c40 = Vector256<T>.Zero;
            Vector256<T> c50 = Vector256<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector256<T> b0 = Vector256.Load(b);
                Vector256<T> ar0 = Vector256.Create(a[0]);
                c00 = Fma(ar0, b0, c00);
                if (TR.Count > 1)
                {
                    Vector256<T> ar1 = Vector256.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10);
                }
                if (TR.Count > 2)
                {
                    Vector256<T> ar2 = Vector256.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20);
                }
                if (TR.Count > 3)
                {
                    Vector256<T> ar3 = Vector256.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30);
                }
                if (TR.Count > 4)
                {
                    Vector256<T> ar4 = Vector256.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40);
                }
                if (TR.Count > 5)
                {
                    Vector256<T> ar5 = Vector256.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50);
                }
                a += cs;
                b += bs;
            }

            Vector256<T> va = Vector256.Create(alpha);
            Vector256<T> vb = Vector256.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Half<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector128<T> c00 = Vector128<T>.Zero;
            Vector128<T> c10 = Vector128<T>.Zero;
            Vector128<T> c20 = Vector128<T>.Zero;
            Vector128<T> c30 = Vector128<T>.Zero;
            Vector128<T> c40 = Vector128<T>.Zero;
            Vector128<T> c50 = Vector128<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector128<T> b0 = Vector128.Load(b);
                Vector128<T> ar0 = Vector128.Create(a[0]);
                c00 = Fma(ar0, b0, c00);
                if (TR.Count > 1)
                {
                    Vector128<T> ar1 = Vector128.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10);
                }
                if (TR.Count > 2)
                {
                    Vector128<T> ar2 = Vector128.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20);
                }
                if (TR.Count > 3)
                {
                    Vector128<T> ar3 = Vector128.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30);
                }
                if (TR.Count > 4)
                {
                    Vector128<T> ar4 = Vector128.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40);
                }
                if (TR.Count > 5)
                {
                    Vector128<T> ar5 = Vector128.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50);
                }
                a += cs;
                b += bs;
            }

            Vector128<T> va = Vector128.Create(alpha);
            Vector128<T> vb = Vector128.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
            }
        }

        /// <summary>Copies kc rows of one full panel (2 vectors wide) of a row-major B into dst (kc × 2 vectors).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void PackPanel(T* b, nint ldb, int kc, T* dst)
        {
            for (int p = 0; p < kc; p++)
            {
                Vector256.Store(Vector256.Load(b), dst);
                Vector256.Store(Vector256.Load(b + Vector256<T>.Count), dst + Vector256<T>.Count);
                b += ldb;
                dst += 2 * Vector256<T>.Count;
            }
        }
    }

    /// <summary>Micro-kernels on Vector128: 6 × 2 vector tiles (Wide), 6 × 1 vector tiles (Narrow).</summary>
    private readonly struct Kernels128<T> : IKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Lanes => Vector128<T>.Count;

        public static int HalfLanes => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<T> Fma(Vector128<T> x, Vector128<T> y, Vector128<T> z)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector128.MultiplyAddEstimate(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector128.MultiplyAddEstimate(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>c = alpha·acc (kind 0: beta == 0, c not read), alpha·acc + c (kind 1) or alpha·acc + beta·c (kind 2).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Store(T* c, Vector128<T> acc, Vector128<T> va, Vector128<T> vb, int betaKind)
        {
            if (betaKind == 0)
            {
                Vector128.Store(acc * va, c);
            }
            else if (betaKind == 1)
            {
                Vector128.Store(Fma(acc, va, Vector128.Load(c)), c);
            }
            else
            {
                Vector128.Store(Fma(acc, va, Vector128.Load(c) * vb), c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Wide<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector128<T> c00 = Vector128<T>.Zero, c01 = Vector128<T>.Zero;
            Vector128<T> c10 = Vector128<T>.Zero, c11 = Vector128<T>.Zero;
            Vector128<T> c20 = Vector128<T>.Zero, c21 = Vector128<T>.Zero;
            Vector128<T> c30 = Vector128<T>.Zero, c31 = Vector128<T>.Zero;
            Vector128<T> c40 = Vector128<T>.Zero, c41 = Vector128<T>.Zero;
            Vector128<T> c50 = Vector128<T>.Zero, c51 = Vector128<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector128<T> b0 = Vector128.Load(b);
                Vector128<T> b1 = Vector128.Load(b + Vector128<T>.Count);
                Vector128<T> ar0 = Vector128.Create(a[0]);
                c00 = Fma(ar0, b0, c00); c01 = Fma(ar0, b1, c01);
                if (TR.Count > 1)
                {
                    Vector128<T> ar1 = Vector128.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10); c11 = Fma(ar1, b1, c11);
                }
                if (TR.Count > 2)
                {
                    Vector128<T> ar2 = Vector128.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20); c21 = Fma(ar2, b1, c21);
                }
                if (TR.Count > 3)
                {
                    Vector128<T> ar3 = Vector128.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30); c31 = Fma(ar3, b1, c31);
                }
                if (TR.Count > 4)
                {
                    Vector128<T> ar4 = Vector128.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40); c41 = Fma(ar4, b1, c41);
                }
                if (TR.Count > 5)
                {
                    Vector128<T> ar5 = Vector128.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50); c51 = Fma(ar5, b1, c51);
                }
                a += cs;
                b += bs;
            }

            Vector128<T> va = Vector128.Create(alpha);
            Vector128<T> vb = Vector128.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            Store(c + Vector128<T>.Count, c01, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
                Store(c + (ldc * 1) + Vector128<T>.Count, c11, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
                Store(c + (ldc * 2) + Vector128<T>.Count, c21, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
                Store(c + (ldc * 3) + Vector128<T>.Count, c31, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
                Store(c + (ldc * 4) + Vector128<T>.Count, c41, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
                Store(c + (ldc * 5) + Vector128<T>.Count, c51, va, vb, betaKind);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void Narrow<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
        {
            nint rs = TA.RowStride(lda);
            nint cs = TA.ColStride(lda);
            nint o1 = rs * 1;
            nint o2 = rs * 2;
            nint o3 = rs * 3;
            nint o4 = rs * 4;
            nint o5 = rs * 5;
            Vector128<T> c00 = Vector128<T>.Zero;
            Vector128<T> c10 = Vector128<T>.Zero;
            Vector128<T> c20 = Vector128<T>.Zero;
            Vector128<T> c30 = Vector128<T>.Zero;
            Vector128<T> c40 = Vector128<T>.Zero;
            Vector128<T> c50 = Vector128<T>.Zero;
            for (int p = 0; p < kc; p++)
            {
                Vector128<T> b0 = Vector128.Load(b);
                Vector128<T> ar0 = Vector128.Create(a[0]);
                c00 = Fma(ar0, b0, c00);
                if (TR.Count > 1)
                {
                    Vector128<T> ar1 = Vector128.Create(a[o1]);
                    c10 = Fma(ar1, b0, c10);
                }
                if (TR.Count > 2)
                {
                    Vector128<T> ar2 = Vector128.Create(a[o2]);
                    c20 = Fma(ar2, b0, c20);
                }
                if (TR.Count > 3)
                {
                    Vector128<T> ar3 = Vector128.Create(a[o3]);
                    c30 = Fma(ar3, b0, c30);
                }
                if (TR.Count > 4)
                {
                    Vector128<T> ar4 = Vector128.Create(a[o4]);
                    c40 = Fma(ar4, b0, c40);
                }
                if (TR.Count > 5)
                {
                    Vector128<T> ar5 = Vector128.Create(a[o5]);
                    c50 = Fma(ar5, b0, c50);
                }
                a += cs;
                b += bs;
            }

            Vector128<T> va = Vector128.Create(alpha);
            Vector128<T> vb = Vector128.Create(beta);
            int betaKind = T.IsZero(beta) ? 0 : beta == T.One ? 1 : 2;
            Store(c, c00, va, vb, betaKind);
            if (TR.Count > 1)
            {
                Store(c + (ldc * 1), c10, va, vb, betaKind);
            }
            if (TR.Count > 2)
            {
                Store(c + (ldc * 2), c20, va, vb, betaKind);
            }
            if (TR.Count > 3)
            {
                Store(c + (ldc * 3), c30, va, vb, betaKind);
            }
            if (TR.Count > 4)
            {
                Store(c + (ldc * 4), c40, va, vb, betaKind);
            }
            if (TR.Count > 5)
            {
                Store(c + (ldc * 5), c50, va, vb, betaKind);
            }
        }

        /// <summary>There is no smaller vector here: a Half tile is a Narrow one.</summary>
        public static unsafe void Half<TA, TR>(int kc, T* a, nint lda, T* b, nint bs, T* c, nint ldc, T alpha, T beta)
            where TA : struct, IALayout
            where TR : struct, IRows
            => Narrow<TA, TR>(kc, a, lda, b, bs, c, ldc, alpha, beta);

        /// <summary>Copies kc rows of one full panel (2 vectors wide) of a row-major B into dst (kc × 2 vectors).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static unsafe void PackPanel(T* b, nint ldb, int kc, T* dst)
        {
            for (int p = 0; p < kc; p++)
            {
                Vector128.Store(Vector128.Load(b), dst);
                Vector128.Store(Vector128.Load(b + Vector128<T>.Count), dst + Vector128<T>.Count);
                b += ldb;
                dst += 2 * Vector128<T>.Count;
            }
        }
    }
}
