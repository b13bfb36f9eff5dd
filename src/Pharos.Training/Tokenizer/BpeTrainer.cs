// Trains a byte-level BPE vocabulary on a corpus (what `tokenizers`' BpeTrainer does with a ByteLevel pre-tokenizer):
// count pre-tokenized words, then repeatedly merge the most frequent adjacent pair, updating counts incrementally.
namespace Pharos.Training.Tokenizer;

public sealed record BpeVocabulary(IReadOnlyList<string> Specials, IReadOnlyList<string> Tokens, IReadOnlyList<(string Left, string Right)> Merges)
{
    /// <summary>Ids: specials first, then the 256 byte symbols, then one token per merge.</summary>
    public int Size => Specials.Count + Tokens.Count;
}

public sealed class BpeTrainer
{
    readonly int vocabSize;
    readonly int minFrequency;
    readonly IReadOnlyList<string> specials;

    /// <param name="vocabSize">total ids including specials and the 256 byte symbols</param>
    /// <param name="minFrequency">pairs seen fewer times are never merged</param>
    public BpeTrainer(int vocabSize, IReadOnlyList<string> specials, int minFrequency = 2)
    {
        if (vocabSize < 256 + specials.Count) throw new ArgumentException($"vocab size {vocabSize} is below 256 byte symbols + {specials.Count} specials");
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
        this.specials = specials;
    }

    public BpeVocabulary Train(IEnumerable<string> texts, Action<int, int>? progress = null)
    {
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var word in ByteLevel.PreTokenize(text))
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;

        var symbols = new List<string>(ByteLevel.ByteToChar.Select(c => c.ToString()));
        var symbolId = symbols.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        var words = wordCounts.Select(w => (Ids: w.Key.Select(c => symbolId[c.ToString()]).ToList(), Freq: w.Value)).ToList();
        var pairCounts = new Dictionary<long, long>();
        var where = new Dictionary<long, HashSet<int>>();
        for (int w = 0; w < words.Count; w++) AddPairs(w, +1);

        // Max-heap by (count, then smaller pair) with lazy deletion: stale entries are skipped when popped.
        var heap = new PriorityQueue<long, (long Count, long Pair)>(Comparer<(long Count, long Pair)>.Create((x, y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair)));
        foreach (var (pair, count) in pairCounts) heap.Enqueue(pair, (count, pair));

        var merges = new List<(string, string)>();
        int target = vocabSize - specials.Count;
        while (symbols.Count < target && heap.TryDequeue(out var best, out var key))
        {
            if (pairCounts.GetValueOrDefault(best) != key.Count || key.Count == 0) continue;
            if (key.Count < minFrequency) break;
            int a = (int)(best >> 32), b = (int)(best & 0xffffffff);
            int merged = symbols.Count;
            symbols.Add(symbols[a] + symbols[b]);
            merges.Add((symbols[a], symbols[b]));
            var touched = new HashSet<long>();
            foreach (var w in where[best].ToList())
            {
                var ids = words[w].Ids;
                if (!Contains(ids, a, b)) continue;
                AddPairs(w, -1, touched);
                var replaced = new List<int>(ids.Count);
                for (int i = 0; i < ids.Count; i++)
                {
                    if (i + 1 < ids.Count && ids[i] == a && ids[i + 1] == b) { replaced.Add(merged); i++; }
                    else replaced.Add(ids[i]);
                }
                words[w] = (replaced, words[w].Freq);
                AddPairs(w, +1, touched);
            }
            foreach (var pair in touched)
                if (pairCounts.GetValueOrDefault(pair) > 0) heap.Enqueue(pair, (pairCounts[pair], pair));
            progress?.Invoke(symbols.Count + specials.Count, vocabSize);
        }
        return new BpeVocabulary(specials, symbols, merges);

        void AddPairs(int w, int sign, HashSet<long>? touched = null)
        {
            var (ids, freq) = words[w];
            for (int i = 0; i + 1 < ids.Count; i++)
            {
                long pair = ((long)ids[i] << 32) | (uint)ids[i + 1];
                pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + sign * freq;
                if (sign > 0)
                {
                    if (!where.TryGetValue(pair, out var set)) where[pair] = set = [];
                    set.Add(w);
                }
                touched?.Add(pair);
            }
        }
    }

    static bool Contains(List<int> ids, int a, int b)
    {
        for (int i = 0; i + 1 < ids.Count; i++) if (ids[i] == a && ids[i + 1] == b) return true;
        return false;
    }
}
