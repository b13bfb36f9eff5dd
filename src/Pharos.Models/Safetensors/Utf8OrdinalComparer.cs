// Orders strings by their UTF-8 bytes, i.e. by code point, as Rust's String and Python's str compare (UTF-16 ordinal differs above U+FFFF).
using System.Text;

namespace Pharos.Models.Safetensors;

internal sealed class Utf8OrdinalComparer : IComparer<string>
{
    public static readonly Utf8OrdinalComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var i = 0;
        while (i < x.Length && i < y.Length)
        {
            // Rune order equals UTF-8 byte order; lone surrogates never get here (names are checked first).
            Rune.DecodeFromUtf16(x.AsSpan(i), out var a, out var na);
            Rune.DecodeFromUtf16(y.AsSpan(i), out var b, out var nb);
            if (a != b) return a.Value.CompareTo(b.Value);
            i += na;
        }
        return x.Length.CompareTo(y.Length);
    }
}
