using System;
using System.Numerics.Tensors;

namespace Dnn2Gp.Runtime.LinearAlgebra;

/// <summary>
/// A cached symmetric eigendecomposition A = Q·diag(λ)·Qᵀ and what it gives cheaply for the whole family
/// s·A + δ·I (s &gt; 0 a scale such as 1/σ², δ a shift such as a prior precision): log-determinants and quadratic forms in
/// O(n) per (s, δ) once b is projected (Qᵀb, O(n²) once), and solves in O(n²). This is how a marginal likelihood is
/// evaluated on a grid of prior precisions and noise levels from one decomposition.
/// </summary>
public sealed class EigenSystem
{
    private readonly double[] _values;
    private readonly double[] _vectors;

    private EigenSystem(double[] values, double[] vectors, int order)
    {
        _values = values;
        _vectors = vectors;
        Order = order;
    }

    /// <summary>Decomposes the symmetric n×n matrix A (lower triangle read) with <see cref="SymmetricEigen.Decompose"/>.</summary>
    public static EigenSystem Compute(ReadOnlySpan<double> a, int n, string matrixName = "matrix")
    {
        MatrixArguments.Square(nameof(a), n, a.Length, n);
        var values = new double[n];
        var vectors = new double[(long)n * n];
        SymmetricEigen.Decompose(a, n, values, vectors, matrixName);
        return new EigenSystem(values, vectors, n);
    }

    /// <summary>The order n.</summary>
    public int Order { get; }

    /// <summary>λ, ascending.</summary>
    public ReadOnlySpan<double> Eigenvalues => _values;

    /// <summary>Q, n×n row-major; column j belongs to λⱼ.</summary>
    public ReadOnlySpan<double> Eigenvectors => _vectors;

    /// <summary>log det(s·A + δ·I) = Σ log(s·λᵢ + δ). Throws when s·A + δ·I is not positive definite.</summary>
    public double LogDeterminant(double shift, double scale = 1)
    {
        CheckShift(shift, scale);
        double sum = 0;
        foreach (double lambda in _values)
        {
            sum += Math.Log((scale * lambda) + shift);
        }
        return sum;
    }

    /// <summary>tr (s·A + δ·I)⁻¹ = Σ 1/(s·λᵢ + δ).</summary>
    public double TraceInverse(double shift, double scale = 1)
    {
        CheckShift(shift, scale);
        double sum = 0;
        foreach (double lambda in _values)
        {
            sum += 1 / ((scale * lambda) + shift);
        }
        return sum;
    }

    /// <summary>c = Qᵀ·b (n), the coordinates of b in the eigenbasis: compute once, then use for every (s, δ).</summary>
    public void Project(ReadOnlySpan<double> b, Span<double> coordinates)
    {
        int n = Order;
        MatrixArguments.Length(nameof(b), b.Length, n, $"one value per row (n = {n})");
        MatrixArguments.Length(nameof(coordinates), coordinates.Length, n, $"one value per eigenvector (n = {n})");
        Span<double> c = coordinates.Slice(0, n);
        c.Clear();
        for (int i = 0; i < n; i++)
        {
            // c += b[i]·(row i of Q): Qᵀb by rows, contiguous.
            TensorPrimitives.MultiplyAdd(_vectors.AsSpan(i * n, n), b[i], c, c);
        }
    }

    /// <summary>bᵀ(s·A + δ·I)⁻¹b = Σ cᵢ²/(s·λᵢ + δ) from the projection c = Qᵀb, in O(n).</summary>
    public double QuadraticForm(ReadOnlySpan<double> coordinates, double shift, double scale = 1)
    {
        CheckShift(shift, scale);
        MatrixArguments.Length(nameof(coordinates), coordinates.Length, Order, $"one value per eigenvector (n = {Order})");
        double sum = 0;
        for (int i = 0; i < Order; i++)
        {
            sum += coordinates[i] * coordinates[i] / ((scale * _values[i]) + shift);
        }
        return sum;
    }

    /// <summary>x = (s·A + δ·I)⁻¹·b = Q·diag(1/(s·λ + δ))·c from the projection c = Qᵀb, in O(n²).</summary>
    public void Solve(ReadOnlySpan<double> coordinates, double shift, Span<double> x, double scale = 1)
    {
        CheckShift(shift, scale);
        int n = Order;
        MatrixArguments.Length(nameof(coordinates), coordinates.Length, n, $"one value per eigenvector (n = {n})");
        MatrixArguments.Length(nameof(x), x.Length, n, $"one value per row (n = {n})");
        double[] scaled = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(1, n));
        try
        {
            for (int i = 0; i < n; i++)
            {
                scaled[i] = coordinates[i] / ((scale * _values[i]) + shift);
            }
            var y = scaled.AsSpan(0, n);
            for (int i = 0; i < n; i++)
            {
                x[i] = TensorPrimitives.Dot(_vectors.AsSpan(i * n, n), y);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scaled);
        }
    }

    private void CheckShift(double shift, double scale)
    {
        if (!double.IsFinite(shift) || !(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(shift),
                $"The shift must be finite and the scale positive and finite, but they are δ = {shift} and s = {scale}.");
        }
        if (Order > 0)
        {
            double smallest = (scale * _values[0]) + shift;
            if (!(smallest > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(shift),
                    $"s·A + δ·I is not positive definite for δ = {shift}, s = {scale}: its smallest eigenvalue is {smallest} " +
                    $"(λ_min = {_values[0]}). Use δ > {-scale * _values[0]}.");
            }
        }
    }
}
