// MinHash signatures (FineWeb2/datatrove scheme): word n-gram shingles hashed with 64-bit xxhash, permuted by (a·h + b) mod 2^61−1.
using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Pharos.Curation.Text;

namespace Pharos.Curation.Dedup;

/// <summary>Where the permutation constants come from: datatrove's numpy RandomState(seed) (the default) or Pharos's earlier SplitMix64.</summary>
public enum MinHashPermutations { Datatrove, SplitMix }

public sealed class MinHasher
{
    const ulong MersennePrime = (1UL << 61) - 1;
    readonly ulong[] _a, _b;

    public MinHasher(int ngram = 5, int bands = 14, int rows = 8, ulong seed = 1, MinHashPermutations permutations = MinHashPermutations.Datatrove)
    {
        NGram = ngram;
        Bands = bands;
        Rows = rows;
        var count = bands * rows;
        if (permutations == MinHashPermutations.Datatrove)
        {
            // datatrove: gen = np.random.RandomState(seed); a = gen.randint(1, p, uint64, count); b = gen.randint(0, p, uint64, count).
            if (seed > uint.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(seed), "numpy's RandomState takes a seed in [0, 2^32)");
            var random = new NumpyRandomState((uint)seed);
            _a = random.RandIntUInt64(1, MersennePrime, count);
            _b = random.RandIntUInt64(0, MersennePrime, count);
            return;
        }
        _a = new ulong[count];
        _b = new ulong[count];
        var state = seed;
        for (var i = 0; i < count; i++)
        {
            _a[i] = 1 + SplitMix(ref state) % (MersennePrime - 1);
            _b[i] = SplitMix(ref state) % MersennePrime;
        }
    }

    /// <summary>The permutation constants (a, b), as datatrove's MinhashDedupSignature.parameters holds them.</summary>
    public (ulong[] A, ulong[] B) Parameters => (_a, _b);

    public int NGram { get; }
    public int Bands { get; }
    public int Rows { get; }
    public int Length => Bands * Rows;

    /// <summary>
    /// Fills <paramref name="signature"/> (Bands·Rows values) as datatrove's MinhashDedupSignature: simplify_text, the words of
    /// <paramref name="tokenizer"/> (the document language's; spaCy English when null, datatrove's default), n-grams joined by
    /// one space, xxhash64 of their UTF-8. False when the text has fewer words than one n-gram (datatrove writes no signature).
    /// </summary>
    public bool Signature(string text, Span<ulong> signature, IWordTokenizer? tokenizer = null)
    {
        var simplified = TextSimplifier.Simplify(text);
        var words = new List<(int Start, int Length)>();
        (tokenizer ?? WordTokenizers.For("en")).Tokenize(simplified, words);
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
        // Simplified text has single spaces between words, except where the tokenizer cut inside a run of characters
        // (CJK, affixes); then the shingle is rebuilt with spaces, as datatrove's " ".join(ngram).
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
