// A growable char buffer on pooled arrays: tokenizer passes write into it instead of building intermediate strings.
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Pharos.Eval.Metrics.Text;

public struct CharBuffer : IDisposable
{
    char[] _array;
    int _length;

    public CharBuffer(int capacity) => _array = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16));

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Span => _array.AsSpan(0, _length);

    public void Clear() => _length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(char c)
    {
        if (_length == _array.Length)
            Grow(1);
        _array[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> s)
    {
        if (_length + s.Length > _array.Length)
            Grow(s.Length);
        s.CopyTo(_array.AsSpan(_length));
        _length += s.Length;
    }

    public override readonly string ToString() => new(_array, 0, _length);

    void Grow(int extra)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(_array.Length * 2, _length + extra));
        _array.AsSpan(0, _length).CopyTo(next);
        ArrayPool<char>.Shared.Return(_array);
        _array = next;
    }

    public void Dispose()
    {
        if (_array is not null)
            ArrayPool<char>.Shared.Return(_array);
        _array = null!;
    }
}
