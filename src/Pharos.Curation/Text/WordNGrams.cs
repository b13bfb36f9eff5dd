// Word n-grams of one document as spans of a flat copy of its words, so repetition checks count them without allocating strings.
namespace Pharos.Curation.Text;

internal sealed class WordNGrams
{
    readonly string _flat;            // words joined with "" (datatrove's find_all_duplicate key)
    readonly string _spaced;          // words joined with " " (datatrove's get_n_grams key)
    readonly int[] _flatOffset;       // word i starts at _flatOffset[i] in _flat; _flatOffset[^1] = _flat.Length
    readonly int[] _cpOffset;         // the same in code points (Python len)

    public WordNGrams(string text, List<(int Start, int Length)> words)
    {
        Count = words.Count;
        _flatOffset = new int[Count + 1];
        _cpOffset = new int[Count + 1];
        var flat = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < Count; i++)
        {
            var w = text.AsSpan(words[i].Start, words[i].Length);
            _flatOffset[i] = flat.Length;
            _cpOffset[i + 1] = _cpOffset[i] + CodePoints.Count(w);
            flat.Append(w);
        }
        _flatOffset[Count] = flat.Length;
        _flat = flat.ToString();
        var spaced = new System.Text.StringBuilder(_flat.Length + Count);
        for (var i = 0; i < Count; i++)
        {
            if (i > 0) spaced.Append(' ');
            spaced.Append(_flat, _flatOffset[i], _flatOffset[i + 1] - _flatOffset[i]);
        }
        _spaced = spaced.ToString();
    }

    public int Count { get; }

    /// <summary>Code points of words [i, i+n) joined with "" (or with " " when <paramref name="spaced"/>).</summary>
    public int CodePointLength(int i, int n, bool spaced) => _cpOffset[i + n] - _cpOffset[i] + (spaced ? n - 1 : 0);

    ReadOnlySpan<char> Flat(int i, int n) => _flat.AsSpan(_flatOffset[i], _flatOffset[i + n] - _flatOffset[i]);

    // In _spaced, word i starts at _flatOffset[i] + i (one space before each earlier word).
    ReadOnlySpan<char> Spaced(int i, int n) => _spaced.AsSpan(_flatOffset[i] + i, _flatOffset[i + n] - _flatOffset[i] + n - 1);

    public IEqualityComparer<int> Comparer(int n, bool spaced) => new KeyComparer(this, n, spaced);

    sealed class KeyComparer(WordNGrams grams, int n, bool spaced) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => spaced
            ? grams.Spaced(a, n).SequenceEqual(grams.Spaced(b, n))
            : grams.Flat(a, n).SequenceEqual(grams.Flat(b, n));

        public int GetHashCode(int i) => string.GetHashCode(spaced ? grams.Spaced(i, n) : grams.Flat(i, n));
    }
}
