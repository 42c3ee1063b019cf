using System;
using System.Text;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>An indented text writer for generated code: lines, blocks with braces, and nothing else.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }
        _builder.Append(' ', _indent * 4).Append(text).Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace and indents until the returned scope is disposed.</summary>
    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this, "}");
    }

    /// <summary>Writes <paramref name="header"/>, then indents (no braces) until disposed, then writes <paramref name="closing"/>.</summary>
    public IDisposable Indented(string header, string closing)
    {
        Line(header);
        _indent++;
        return new Scope(this, closing);
    }

    public override string ToString() => _builder.ToString();

    private sealed class Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;
        private bool _disposed;

        public Scope(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
