// MinHash signatures (FineWeb2/datatrove scheme): word n-gram shingles hashed with 64-bit xxhash, permuted by (a·h + b) mod 2^61−1.
using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Pharos.Curation.Text;

namespace Pharos.Curation.Dedup;

public sealed class MinHasher
{
    const ulong MersennePrime = (1UL << 61) - 1;
    readonly ulong[] _a, _b;

    public MinHasher(int ngram = 5, int bands = 14, int rows = 8, ulong seed = 1)
    {
        NGram = ngram;
        Bands = bands;
        Rows = rows;
        var count = bands * rows;
        _a = new ulong[count];
        _b = new ulong[count];
        // datatrove draws a ∈ [1, p) and b ∈ [0, p) from numpy's RandomState(seed); we draw them from SplitMix64(seed):
        // the same family of permutations, different constants (signatures are not interchangeable with datatrove's).
        var state = seed;
        for (var i = 0; i < count; i++)
        {
            _a[i] = 1 + SplitMix(ref state) % (MersennePrime - 1);
            _b[i] = SplitMix(ref state) % MersennePrime;
        }
    }

    public int NGram { get; }
    public int Bands { get; }
    public int Rows { get; }
    public int Length => Bands * Rows;

    /// <summary>Fills <paramref name="signature"/> (Bands·Rows values); false when the text has fewer words than one n-gram.</summary>
    public bool Signature(string text, Span<ulong> signature)
    {
        var simplified = TextSimplifier.Simplify(text);
        var words = new List<(int Start, int Length)>();
        WordSplitter.Split(simplified, words);
        if (words.Count < NGram)
            return false;
        signature.Fill(ulong.MaxValue);
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            for (var i = 0; i + NGram <= words.Count; i++)
            {
                // The shingle is the n words joined by one space, hashed as UTF-8 (datatrove: xxhash64(" ".join(ngram))).
                var shingle = ShingleText(simplified, words, i);
                var byteCount = Encoding.UTF8.GetMaxByteCount(shingle.Length);
                if (buffer.Length < byteCount)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(byteCount);
                }
                var n = Encoding.UTF8.GetBytes(shingle, buffer);
                var h = XxHash64.HashToUInt64(buffer.AsSpan(0, n));
                Permute(h, signature);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return true;
    }

    ReadOnlySpan<char> ShingleText(string simplified, List<(int Start, int Length)> words, int i)
    {
        // Simplified text has single spaces between words, except where the word splitter cut inside a run of characters
        // (CJK, symbols); then the shingle is rebuilt with spaces so "a b" and "ab" never collide.
        var start = words[i].Start;
        var last = words[i + NGram - 1];
        var span = simplified.AsSpan(start, last.Start + last.Length - start);
        var spaces = span.Count(' ');
        if (spaces == NGram - 1)
            return span;
        var sb = new StringBuilder(span.Length + NGram);
        for (var j = i; j < i + NGram; j++)
        {
            if (j > i) sb.Append(' ');
            sb.Append(simplified, words[j].Start, words[j].Length);
        }
        return sb.ToString();
    }

    void Permute(ulong h, Span<ulong> signature)
    {
        // (h·a + b) wraps at 2^64 before the modulo, exactly as datatrove's numpy uint64 arithmetic does.
        for (var k = 0; k < signature.Length; k++)
        {
            var v = unchecked(h * _a[k] + _b[k]) % MersennePrime;
            if (v < signature[k])
                signature[k] = v;
        }
    }

    /// <summary>64-bit key of one band (its Rows values), used to find documents whose band is identical.</summary>
    public ulong BandKey(ReadOnlySpan<ulong> signature, int band) =>
        XxHash64.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * Rows, Rows)));

    static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
