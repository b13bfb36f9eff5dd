// Hand-written BPE over code points with byte fallback and unknown-token fusing (SentencePiece-style: Gemma, Llama-2, Mistral).
namespace Pharos.Models.Tokenization;

/// <summary>
/// Microsoft.ML.Tokenizers' BpeTokenizer has no byte_fallback (a character outside the vocabulary must become its
/// &lt;0xNN&gt; byte tokens, not &lt;unk&gt;), and its SentencePieceTokenizer needs a .model protobuf that a
/// tokenizer.json folder does not have; so this follows Hugging Face's BPE word merge directly: split into
/// characters, then repeatedly merge the adjacent pair with the lowest merge rank (leftmost on ties).
/// </summary>
internal sealed class BpeModel : TokenModel
{
    readonly BpeData _data;
    readonly Dictionary<long, (int Rank, int Id)> _merges;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabBySpan;
    readonly string?[] _tokens;
    readonly int? _unkId;
    readonly int[] _byteIds;

    public BpeModel(BpeData data)
    {
        _data = data;
        _tokens = new string?[data.Vocab.Count == 0 ? 0 : data.Vocab.Values.Max() + 1];
        foreach (var (token, id) in data.Vocab)
            _tokens[id] = token;
        _vocabBySpan = data.Vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = new Dictionary<long, (int, int)>(data.Merges.Count, PairComparer.Instance);
        for (var rank = 0; rank < data.Merges.Count; rank++)
        {
            var (left, right) = data.Merges[rank];
            if (!data.Vocab.TryGetValue(left, out var a) || !data.Vocab.TryGetValue(right, out var b))
                throw new InvalidTokenizerException($"tokenizer.json: field 'model.merges[{rank}]': '{left}' or '{right}' is not in the vocabulary");
            var skip = data.ContinuingSubwordPrefix.Length > 0 && right.StartsWith(data.ContinuingSubwordPrefix, StringComparison.Ordinal) ? data.ContinuingSubwordPrefix.Length : 0;
            var merged = left + right[skip..];
            if (!data.Vocab.TryGetValue(merged, out var id))
                throw new InvalidTokenizerException($"tokenizer.json: field 'model.merges[{rank}]': merged token '{merged}' is not in the vocabulary");
            _merges.TryAdd(Key(a, b), (rank, id));
        }
        if (data.UnknownToken is not null && data.Vocab.TryGetValue(data.UnknownToken, out var unk))
            _unkId = unk;
        _byteIds = new int[256];
        for (var b = 0; b < 256; b++)
            _byteIds[b] = data.Vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
    }

    public override int VocabSize => _data.Vocab.Count;

    public override string? IdToToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;

    public override int? TokenToId(string token) => _data.Vocab.TryGetValue(token, out var id) ? id : null;

    static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    /// <summary>long's own hash is hi ^ lo, which collides heavily for pairs of small ids; this one mixes the bits.</summary>
    sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();
        public bool Equals(long x, long y) => x == y;
        public int GetHashCode(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 32);
    }

    public override void Encode(string piece, List<int> ids)
    {
        if (piece.Length == 0)
            return;
        if (_data.IgnoreMerges && _data.Vocab.TryGetValue(piece, out var whole))
        {
            ids.Add(whole);
            return;
        }

        var symbols = InitialSymbols(piece);
        Merge(symbols);
        foreach (var s in symbols)
            if (s >= 0)
                ids.Add(s);
    }

    /// <summary>One id per character; unknown characters become byte tokens, or the unknown token (fused when asked).</summary>
    List<int> InitialSymbols(string word)
    {
        var symbols = new List<int>(word.Length);
        var prefix = _data.ContinuingSubwordPrefix;
        var suffix = _data.EndOfWordSuffix;
        var plain = prefix.Length == 0 && suffix.Length == 0;
        var lastWasUnk = false;
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < word.Length;)
        {
            var length = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            var ch = word.AsSpan(i, length);
            var isFirst = i == 0;
            i += length;
            var found = plain
                ? _vocabBySpan.TryGetValue(ch, out var id)
                : _data.Vocab.TryGetValue((isFirst ? "" : prefix) + ch.ToString() + (i == word.Length ? suffix : ""), out id);
            if (found)
            {
                symbols.Add(id);
                lastWasUnk = false;
                continue;
            }
            if (_data.ByteFallback)
            {
                var n = System.Text.Encoding.UTF8.GetBytes(ch, utf8);
                var all = true;
                for (var k = 0; k < n; k++)
                    all &= _byteIds[utf8[k]] >= 0;
                if (all)
                {
                    for (var k = 0; k < n; k++)
                        symbols.Add(_byteIds[utf8[k]]);
                    lastWasUnk = false;
                    continue;
                }
            }
            // Without an unknown token Hugging Face drops the character; so do we.
            if (_unkId is not { } unkId)
                continue;
            if (!(_data.FuseUnknown && lastWasUnk))
                symbols.Add(unkId);
            lastWasUnk = true;
        }
        return symbols;
    }

    /// <summary>Hugging Face's merge loop: a heap of candidate pairs by (rank, position); stale entries are skipped.</summary>
    void Merge(List<int> symbols)
    {
        var n = symbols.Count;
        if (n < 2)
            return;
        var next = new int[n];
        var prev = new int[n];
        for (var i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        var queue = new PriorityQueue<(int Left, int Right, int Id), (int Rank, int Pos)>();
        void Offer(int left)
        {
            var right = next[left];
            if (right >= 0 && _merges.TryGetValue(Key(symbols[left], symbols[right]), out var m))
                queue.Enqueue((left, right, m.Id), (m.Rank, left));
        }
        for (var i = 0; i + 1 < n; i++)
            Offer(i);

        while (queue.TryDequeue(out var top, out _))
        {
            var (left, right, id) = top;
            // Skip entries made stale by an earlier merge on either side.
            if (symbols[left] < 0 || symbols[right] < 0 || next[left] != right)
                continue;
            if (!_merges.TryGetValue(Key(symbols[left], symbols[right]), out var m) || m.Id != id)
                continue;
            symbols[left] = id;
            symbols[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0)
                prev[next[right]] = left;
            if (prev[left] >= 0)
                Offer(prev[left]);
            Offer(left);
        }
    }
}
