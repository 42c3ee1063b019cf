using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Dnn2Gp.Runtime;

/// <summary>One parameter tensor: its PyTorch state-dict name, its offset in the flat parameter vector and its shape.</summary>
public sealed class ParameterTensor
{
    private readonly int[] _shape;

    public ParameterTensor(string name, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Name = name;
        Offset = offset;
        _shape = (int[])shape.Clone();
        int length = 1;
        foreach (int d in _shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d, nameof(shape));
            length = checked(length * d);
        }
        Length = length;
    }

    /// <summary>The name PyTorch's <c>state_dict()</c> gives this tensor (e.g. <c>0.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The index of the first element in the flat parameter vector.</summary>
    public int Offset { get; }

    /// <summary>The shape, row-major (a weight is [out, in]).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements of this tensor within a flat parameter vector.</summary>
    public Span<T> Slice<T>(Span<T> parameters) => parameters.Slice(Offset, Length);

    /// <summary>The elements of this tensor within a flat parameter vector.</summary>
    public ReadOnlySpan<T> Slice<T>(ReadOnlySpan<T> parameters) => parameters.Slice(Offset, Length);

    public override string ToString() => $"{Name} [{string.Join(", ", _shape)}] at {Offset}";
}

/// <summary>The ordered parameter tensors of a network.</summary>
public sealed class ParameterLayout : IReadOnlyList<ParameterTensor>
{
    private readonly ParameterTensor[] _tensors;

    public ParameterLayout(params ParameterTensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _tensors = (ParameterTensor[])tensors.Clone();
        int expected = 0;
        foreach (var t in _tensors)
        {
            if (t.Offset != expected)
                throw new ArgumentException($"Tensor '{t.Name}' starts at {t.Offset} but the previous tensors end at {expected}: a layout must be contiguous and in order.", nameof(tensors));
            expected += t.Length;
        }
        ParameterCount = expected;
    }

    /// <summary>The total number of parameters.</summary>
    public int ParameterCount { get; }

    public int Count => _tensors.Length;

    public ParameterTensor this[int index] => _tensors[index];

    /// <summary>The tensor with the given state-dict name.</summary>
    public ParameterTensor this[string name] =>
        _tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"No parameter tensor named '{name}'. The tensors are: {string.Join(", ", _tensors.Select(t => t.Name))}.");

    public IEnumerator<ParameterTensor> GetEnumerator() => ((IEnumerable<ParameterTensor>)_tensors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A table: name, shape, offset, length; one tensor per line.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int nameWidth = Math.Max(4, _tensors.Length == 0 ? 0 : _tensors.Max(t => t.Name.Length));
        sb.Append("name".PadRight(nameWidth)).Append("  shape          offset    length\n");
        foreach (var t in _tensors)
        {
            sb.Append(t.Name.PadRight(nameWidth)).Append("  ")
              .Append(("[" + string.Join(", ", t.Shape) + "]").PadRight(13)).Append("  ")
              .Append(t.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(8)).Append("  ")
              .Append(t.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(8)).Append('\n');
        }
        sb.Append("total ").Append(ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" parameters\n");
        return sb.ToString();
    }
}
