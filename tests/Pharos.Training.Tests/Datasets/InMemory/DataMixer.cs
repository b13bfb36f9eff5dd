// The in-memory mixer Pharos used before token shards, kept as the reference the streaming mix (ShardMix) must equal.
// Weighted mixing of several sources by share (e.g. translation: 0.22), measured in examples or in target tokens: each
// source contributes its share of the total, drawn without repetition while it lasts and then again in a new shuffled
// pass (upsampling). Deterministic by seed.
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests.Datasets.InMemory;

internal sealed record MixSource(string Name, double Share, IReadOnlyList<TokenizedExample> Examples);

internal static class DataMixer
{
    /// <param name="total">size of the mix, in examples (or target tokens with byTokens); default: all sources together</param>
    /// <param name="byTokens">shares are of target tokens (CPT: Tower+'s 2/3 monolingual, 1/3 parallel) rather than examples</param>
    public static (List<TokenizedExample> Mix, List<MixShare> Report) Mix(IReadOnlyList<MixSource> sources, int seed, long? total = null, bool byTokens = false)
    {
        var usable = sources.Where(s => s.Examples.Count > 0 && s.Share > 0).ToList();
        double shareSum = usable.Sum(s => s.Share);
        long Size(TokenizedExample e) => byTokens ? Math.Max(1, e.TargetCount) : 1;
        long n = total ?? usable.Sum(s => s.Examples.Sum(Size));
        var chosen = new List<(string Name, TokenizedExample Example)>();
        var counts = new Dictionary<string, int>();
        foreach (var (source, index) in usable.Select((s, i) => (s, i)))
        {
            long want = (long)Math.Round(source.Share / shareSum * n), taken = 0;
            var rng = new Random(Seeds.Derive(seed, "mix", index));
            int[] order = [];
            int k = 0;
            for (; taken < want; k++)
            {
                int inPass = k % source.Examples.Count;
                if (inPass == 0) order = Seeds.Permutation(source.Examples.Count, rng);
                var example = source.Examples[order[inPass]];
                chosen.Add((source.Name, example));
                taken += Size(example);
            }
            counts[source.Name] = k;
        }
        var shuffle = Seeds.Permutation(chosen.Count, new Random(Seeds.Derive(seed, "mix-order", 0)));
        var mix = shuffle.Select(i => chosen[i].Example).ToList();

        long allTokens = chosen.Sum(c => c.Example.TargetCount);
        var report = sources.Select(s =>
        {
            int count = counts.GetValueOrDefault(s.Name);
            long tokens = chosen.Where(c => c.Name == s.Name).Sum(c => c.Example.TargetCount);
            return new MixShare(s.Name, shareSum > 0 ? s.Share / shareSum : 0, count, chosen.Count == 0 ? 0 : (double)count / chosen.Count,
                tokens, allTokens == 0 ? 0 : (double)tokens / allTokens, s.Examples.Count == 0 ? 0 : (double)count / s.Examples.Count);
        }).ToList();
        return (mix, report);
    }
}
