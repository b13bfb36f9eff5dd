// Builds a stage's training data from token shards: per source, documents that cannot be used are dropped (too long for
// a row unless CPT may cut them, or without a single target), an eval split is held out, the sources are mixed by share
// (tokens for CPT, examples for SFT; upsampling in fresh shuffled passes) and the mix is packed into rows on demand.
// Every draw is the one the in-memory pipeline made (same seeds, same order), so the rows are the same rows.
namespace Pharos.Training.Datasets.Shards;

/// <param name="Shards">the source's shards with the input file each came from (bad records name it)</param>
public sealed record ShardSource(string Name, double Share, IReadOnlyList<(TokenShard Shard, string File)> Shards);

public static class ShardMix
{
    /// <param name="streamPacking">true (CPT): documents joined into one stream cut at sequenceLength;
    /// false (SFT): whole documents packed side by side with per-document attention, longer ones rejected as too_long</param>
    /// <param name="packExamples">SFT only: false puts one example per row</param>
    /// <param name="sharesByTokens">null: tokens for CPT, examples for SFT</param>
    public static (TrainingData Data, ShardRows Rows) Build(IReadOnlyList<ShardSource> sources, int sequenceLength, bool streamPacking, long seed,
        BadRecords bad, double evalFraction = 0.05, int evalMax = 256, bool packExamples = true, bool? sharesByTokens = null)
    {
        var shards = new List<TokenShard>();
        var files = new List<string>();
        var documents = new List<long>();
        var train = new List<int[]>();
        var eval = new List<TokenizedExample>();
        for (int s = 0; s < sources.Count; s++)
        {
            int first = documents.Count;
            foreach (var (shard, file) in sources[s].Shards)
            {
                long key = (long)shards.Count << 40;
                shards.Add(shard);
                files.Add(file);
                for (long d = 0; d < shard.Documents; d++)
                {
                    var doc = shard.Document(d);
                    if ((!streamPacking || !doc.IsText) && doc.Length > sequenceLength)
                    {
                        bad.Add(file, doc.Line, BadRecords.TooLong, $"{doc.Length} tokens > sequence length {sequenceLength}");
                        continue;
                    }
                    if (doc.Targets == 0) continue;
                    documents.Add(key | d);
                }
            }
            int n = documents.Count - first;
            var order = Seeds.Permutation(n, new Random(Seeds.Derive(seed, "eval-split", s)));
            int held = n < 2 ? 0 : Math.Min(evalMax, (int)Math.Round(n * evalFraction));
            foreach (var i in order.Take(held)) eval.Add(Example(first + i));
            // Train keeps file order; a rehydrated document appears as many times as its copies.
            var kept = new List<int>(n - held);
            foreach (var i in order.Skip(held).Order())
                for (int c = Document(first + i).Copies; c > 0; c--) kept.Add(first + i);
            train.Add([.. kept]);
        }
        var docArray = documents.ToArray();
        bool byTokens = sharesByTokens ?? streamPacking;
        var (mix, report, targetTokens) = Mix(sources, train, (int)seed, byTokens, i => Document(i).Targets);
        var rows = new ShardRows(shards, docArray, mix, streamPacking, sequenceLength, packExamples);
        var evalRows = streamPacking ? Packer.PackStream(eval, sequenceLength) : Packer.PackExamples(eval, sequenceLength, packExamples);
        if (rows.Count == 0) throw new ArgumentException("no training rows: every record was empty, bad or held out");
        return (new TrainingData(new SequenceDataset(rows, seed), evalRows, report, targetTokens), rows);

        ShardDocument Document(int index) => shards[(int)(documents[index] >> 40)].Document(documents[index] & ((1L << 40) - 1));

        TokenizedExample Example(int index) =>
            shards[(int)(documents[index] >> 40)].Example(documents[index] & ((1L << 40) - 1), files[(int)(documents[index] >> 40)]);
    }

    /// <summary>
    /// Each source contributes its share of the total (examples, or target tokens), drawn without repetition while it lasts
    /// and then in a new shuffled pass; the chosen items are then shuffled together. Item ids and draws as DataMixer.
    /// </summary>
    static (int[] Mix, List<MixShare> Report, long TargetTokens) Mix(IReadOnlyList<ShardSource> sources, List<int[]> train, int seed,
        bool byTokens, Func<int, int> targets)
    {
        var usable = Enumerable.Range(0, sources.Count).Where(s => train[s].Length > 0 && sources[s].Share > 0).ToList();
        double shareSum = usable.Sum(s => sources[s].Share);
        long Size(int item) => byTokens ? Math.Max(1, targets(item)) : 1;
        long total = usable.Sum(s => train[s].Sum(i => Size(i)));
        var chosen = new List<int>();
        var counts = new long[sources.Count];
        var tokens = new long[sources.Count];
        foreach (var (s, index) in usable.Select((s, i) => (s, i)))
        {
            var items = train[s];
            long want = (long)Math.Round(sources[s].Share / shareSum * total), taken = 0;
            var rng = new Random(Seeds.Derive(seed, "mix", index));
            int[] order = [];
            long k = 0;
            for (; taken < want; k++)
            {
                int inPass = (int)(k % items.Length);
                if (inPass == 0) order = Seeds.Permutation(items.Length, rng);
                int item = items[order[inPass]];
                chosen.Add(item);
                taken += Size(item);
                tokens[s] += targets(item);
            }
            counts[s] = k;
        }
        var shuffle = Seeds.Permutation(chosen.Count, new Random(Seeds.Derive(seed, "mix-order", 0)));
        var mix = new int[chosen.Count];
        for (int i = 0; i < mix.Length; i++) mix[i] = chosen[shuffle[i]];
        long allTokens = tokens.Sum();
        var report = sources.Select((src, s) => new MixShare(src.Name, shareSum > 0 ? src.Share / shareSum : 0,
            (int)counts[s], chosen.Count == 0 ? 0 : (double)counts[s] / chosen.Count, tokens[s], allTokens == 0 ? 0 : (double)tokens[s] / allTokens,
            train[s].Length == 0 ? 0 : (double)counts[s] / train[s].Length)).ToList();
        return (mix, report, allTokens);
    }
}
