// An ordinal string comparer with a cheap non-randomized hash and span lookups, for per-corpus token vocabularies.
using System.Runtime.InteropServices;

namespace Pharos.Eval.Metrics.Text;

/// <summary>
/// The default comparer hashes with randomized Marvin, which dominates token lookups in BLEU and chrF++.
/// Vocabularies here hold tokens of the texts being scored, so a simple multiplicative hash is enough.
/// </summary>
internal sealed class FastOrdinalComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    public static readonly FastOrdinalComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    static int Hash(ReadOnlySpan<char> s)
    {
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)s.Length;
        var words = MemoryMarshal.Cast<char, ulong>(s);
        foreach (var w in words)
            h = (h ^ w) * 0xBF58476D1CE4E5B9UL;
        for (var i = words.Length * 4; i < s.Length; i++)
            h = (h ^ s[i]) * 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return (int)h ^ (int)(h >> 32);
    }
}
