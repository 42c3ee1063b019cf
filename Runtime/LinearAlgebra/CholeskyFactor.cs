using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// The Cholesky factor L of A (+ ε·I, see <see cref="Report"/>) and what it gives: solves, the log-determinant, the
/// inverse and its diagonal, and quadratic forms. Every method refers to the matrix that was factored, i.e. A + ε·I.
/// </summary>
public sealed unsafe class CholeskyFactor
{
    /// <summary>Columns of the identity solved at a time by <see cref="Inverse"/> and <see cref="InverseDiagonal"/>, and of B by <see cref="InverseQuadraticDiagonal"/>.</summary>
    private const int ColumnBlock = 64;

    private readonly double[] _lower;

    /// <summary>Wraps an n×n row-major lower factor (zeros above the diagonal) and the report of its factorisation.</summary>
    public CholeskyFactor(double[] lower, int order, CholeskyReport report)
    {
        ArgumentNullException.ThrowIfNull(lower);
        MatrixArguments.Square(nameof(lower), order, lower.Length, order);
        _lower = lower;
        Order = order;
        Report = report;
    }

    /// <summary>The order n.</summary>
    public int Order { get; }

    /// <summary>L, n×n row-major, zeros above the diagonal.</summary>
    public ReadOnlySpan<double> Lower => _lower.AsSpan(0, Order * Order);

    /// <summary>What the factorisation needed (jitter, attempts, smallest pivot).</summary>
    public CholeskyReport Report { get; }

    /// <summary>The ε that was added to the diagonal (0 if none).</summary>
    public double Jitter => Report.Jitter;

    /// <summary>How many factorisations were tried (1 if A factored as given).</summary>
    public int Attempts => Report.Attempts;

    /// <summary>log det A = 2·Σ log Lᵢᵢ.</summary>
    public double LogDeterminant()
    {
        double sum = 0;
        for (int i = 0; i < Order; i++)
        {
            sum += Math.Log(_lower[(i * Order) + i]);
        }
        return 2 * sum;
    }

    /// <summary>Solves A·x = b (<paramref name="x"/> may be the same memory as <paramref name="b"/>).</summary>
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        CheckVectors(b, x);
        b.Slice(0, Order).CopyTo(x);
        fixed (double* l = _lower)
        fixed (double* px = x)
        {
            Triangular.ForwardVector(l, Order, Order, px);
            Triangular.BackwardVector(l, Order, Order, px);
        }
    }

    /// <summary>Solves A·X = B for n×<paramref name="columns"/> row-major B and X (X may be the same memory as B).</summary>
    public void Solve(ReadOnlySpan<double> b, Span<double> x, int columns)
    {
        CheckMatrices(b, x, columns);
        b.Slice(0, Order * columns).CopyTo(x);
        fixed (double* l = _lower)
        fixed (double* px = x)
        {
            Triangular.ForwardMatrix(l, Order, Order, px, columns, columns, parallel: true);
            Triangular.BackwardMatrix(l, Order, Order, px, columns, columns, parallel: true);
        }
    }

    /// <summary>Solves L·x = b (forward substitution): e.g. ‖L⁻¹k‖² = kᵀA⁻¹k is a GP variance term.</summary>
    public void SolveLower(ReadOnlySpan<double> b, Span<double> x)
    {
        CheckVectors(b, x);
        b.Slice(0, Order).CopyTo(x);
        fixed (double* l = _lower)
        fixed (double* px = x)
        {
            Triangular.ForwardVector(l, Order, Order, px);
        }
    }

    /// <summary>Solves L·X = B for n×<paramref name="columns"/> row-major B and X.</summary>
    public void SolveLower(ReadOnlySpan<double> b, Span<double> x, int columns)
    {
        CheckMatrices(b, x, columns);
        b.Slice(0, Order * columns).CopyTo(x);
        fixed (double* l = _lower)
        fixed (double* px = x)
        {
            Triangular.ForwardMatrix(l, Order, Order, px, columns, columns, parallel: true);
        }
    }

    /// <summary>Solves Lᵀ·x = b (back substitution).</summary>
    public void SolveLowerTransposed(ReadOnlySpan<double> b, Span<double> x)
    {
        CheckVectors(b, x);
        b.Slice(0, Order).CopyTo(x);
        fixed (double* l = _lower)
        fixed (double* px = x)
        {
            Triangular.BackwardVector(l, Order, Order, px);
        }
    }

    /// <summary>bᵀ·A⁻¹·b = ‖L⁻¹b‖².</summary>
    public double QuadraticForm(ReadOnlySpan<double> b)
    {
        MatrixArguments.Length(nameof(b), b.Length, Order, $"one value per row of A (n = {Order})");
        double[] z = ArrayPool<double>.Shared.Rent(Math.Max(1, Order));
        try
        {
            SolveLower(b.Slice(0, Order), z.AsSpan(0, Order));
            return TensorPrimitives.SumOfSquares(z.AsSpan(0, Order));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(z);
        }
    }

    /// <summary>
    /// diag(Bᵀ·A⁻¹·B) for B n×<paramref name="columns"/> row-major: entry j is bⱼᵀA⁻¹bⱼ for column bⱼ of B, the squared
    /// norm of L⁻¹bⱼ (e.g. the explained variance k*ᵀK⁻¹k* of GP test points). B is processed in blocks of columns.
    /// </summary>
    public void InverseQuadraticDiagonal(ReadOnlySpan<double> b, int columns, Span<double> destination)
    {
        if (columns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns must be non-negative, but is {columns}.");
        }
        MatrixArguments.Rectangle(nameof(b), Order, columns, b.Length, columns);
        MatrixArguments.Length(nameof(destination), destination.Length, columns, "one value per column of B");
        int n = Order;
        int width = Math.Min(columns, 4 * ColumnBlock);
        double[] scratch = ArrayPool<double>.Shared.Rent(Math.Max(1, n * width));
        try
        {
            for (int c0 = 0; c0 < columns; c0 += width)
            {
                int cw = Math.Min(width, columns - c0);
                for (int i = 0; i < n; i++)
                {
                    b.Slice((i * columns) + c0, cw).CopyTo(scratch.AsSpan(i * cw, cw));
                }
                fixed (double* l = _lower)
                fixed (double* s = scratch)
                {
                    Triangular.ForwardMatrix(l, n, n, s, cw, cw, parallel: true);
                }
                ColumnSumsOfSquares(scratch.AsSpan(0, n * cw), n, cw, destination.Slice(c0, cw));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Writes A⁻¹ (n×n row-major, exactly symmetric) to <paramref name="destination"/>. Blocks of columns of the identity
    /// are solved on the trailing factor only (the leading zeros of a unit column need no work), about n³/3
    /// multiply-adds in all, with the blocks spread over the cores.
    /// </summary>
    public void Inverse(Span<double> destination)
    {
        int n = Order;
        MatrixArguments.Length(nameof(destination), destination.Length, (long)n * n, $"an n×n matrix (n = {n})");
        int blocks = (n + ColumnBlock - 1) / ColumnBlock;
        fixed (double* l = _lower)
        fixed (double* d = destination)
        {
            nint pl = (nint)l, pd = (nint)d;
            Blas.ForEachItem(blocks, Blas.Workers((long)n * n * n / 3, blocks), block =>
            {
                int c0 = block * ColumnBlock, cw = Math.Min(ColumnBlock, n - c0), t = n - c0;
                double* lt = (double*)pl + (c0 * n) + c0;
                double* x = (double*)pd + (c0 * n) + c0;
                for (int i = 0; i < t; i++)
                {
                    var row = new Span<double>(x + (i * n), cw);
                    row.Clear();
                    if (i < cw)
                    {
                        row[i] = 1;
                    }
                }
                Triangular.ForwardMatrix(lt, t, n, x, cw, n, parallel: false);
                Triangular.BackwardMatrix(lt, t, n, x, cw, n, parallel: false);
            });
            SymmetricMatrix.MirrorLowerCore(d, n, n);
        }
    }

    /// <summary>
    /// Writes diag(A⁻¹) to <paramref name="destination"/> without forming A⁻¹: (A⁻¹)ⱼⱼ = ‖L⁻¹eⱼ‖², from blocks of
    /// columns of L⁻¹ solved on the trailing factor (n³/6 multiply-adds, O(n·block) extra memory).
    /// </summary>
    public void InverseDiagonal(Span<double> destination)
    {
        int n = Order;
        MatrixArguments.Length(nameof(destination), destination.Length, n, $"one value per row of A (n = {n})");
        int blocks = (n + ColumnBlock - 1) / ColumnBlock;
        fixed (double* l = _lower)
        fixed (double* d = destination)
        {
            nint pl = (nint)l, pd = (nint)d;
            Blas.ForEachItem(blocks, Blas.Workers((long)n * n * n / 6, blocks), block =>
            {
                int c0 = block * ColumnBlock, cw = Math.Min(ColumnBlock, n - c0), t = n - c0;
                double[] scratch = ArrayPool<double>.Shared.Rent(t * cw);
                try
                {
                    var x = scratch.AsSpan(0, t * cw);
                    x.Clear();
                    for (int j = 0; j < cw; j++)
                    {
                        x[(j * cw) + j] = 1;
                    }
                    fixed (double* px = scratch)
                    {
                        Triangular.ForwardMatrix((double*)pl + (c0 * n) + c0, t, n, px, cw, cw, parallel: false);
                    }
                    ColumnSumsOfSquares(x, t, cw, new Span<double>((double*)pd + c0, cw));
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(scratch);
                }
            });
        }
    }

    private static void ColumnSumsOfSquares(ReadOnlySpan<double> x, int rows, int cols, Span<double> sums)
    {
        sums.Slice(0, cols).Clear();
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<double> row = x.Slice(i * cols, cols);
            TensorPrimitives.MultiplyAdd(row, row, sums.Slice(0, cols), sums.Slice(0, cols));
        }
    }

    private void CheckVectors(ReadOnlySpan<double> b, Span<double> x)
    {
        MatrixArguments.Length(nameof(b), b.Length, Order, $"one value per row of A (n = {Order})");
        MatrixArguments.Length(nameof(x), x.Length, Order, $"one value per row of A (n = {Order})");
    }

    private void CheckMatrices(ReadOnlySpan<double> b, Span<double> x, int columns)
    {
        if (columns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns must be non-negative, but is {columns}.");
        }
        MatrixArguments.Rectangle(nameof(b), Order, columns, b.Length, columns);
        MatrixArguments.Rectangle(nameof(x), Order, columns, x.Length, columns);
    }
}
