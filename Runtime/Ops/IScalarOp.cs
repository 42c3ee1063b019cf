using System.Runtime.Intrinsics;

namespace Dnn2Gp.Runtime.Ops;

/// <summary>
/// The single math specification of an element-wise op: its value and its derivative, in float and double.
/// These scalar members are the test oracle and the only members an ILGPU kernel calls, so they use only
/// <see cref="System.MathF"/>/<see cref="System.Math"/> and plain arithmetic (no exceptions, no classes).
/// </summary>
public interface IScalarOp<TSelf> where TSelf : struct, IScalarOp<TSelf>
{
    /// <summary>f(x).</summary>
    static abstract float Value(float x);

    /// <summary>f'(x), given y = f(x) so ops such as tanh and sigmoid can reuse their output.</summary>
    static abstract float Derivative(float x, float y);

    /// <summary>f(x) in double.</summary>
    static abstract double Value(double x);

    /// <summary>f'(x) in double, given y = f(x).</summary>
    static abstract double Derivative(double x, double y);
}

/// <summary>
/// The SIMD members of an op, used only by the CPU drivers in <c>Runtime/Cpu</c>. Kept apart from
/// <see cref="IScalarOp{TSelf}"/> so that nothing a GPU kernel reaches depends on System.Runtime.Intrinsics.
/// </summary>
public interface IVectorOp<TSelf> : IScalarOp<TSelf> where TSelf : struct, IVectorOp<TSelf>
{
    /// <summary>Whether the vector members are implemented; when false the drivers use the scalar members.</summary>
    static abstract bool Vectorizable { get; }

    static abstract Vector128<float> Value(Vector128<float> x);
    static abstract Vector256<float> Value(Vector256<float> x);
    static abstract Vector512<float> Value(Vector512<float> x);

    static abstract Vector128<float> Derivative(Vector128<float> x, Vector128<float> y);
    static abstract Vector256<float> Derivative(Vector256<float> x, Vector256<float> y);
    static abstract Vector512<float> Derivative(Vector512<float> x, Vector512<float> y);
}
