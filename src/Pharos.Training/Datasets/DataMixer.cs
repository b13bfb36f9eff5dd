// Weighted mixing of several sources by share (e.g. translation: 0.22): each source contributes round(share × total)
// examples, drawn without repetition while it lasts and then again in a new shuffled pass (upsampling). Deterministic by seed.
namespace Pharos.Training.Datasets;

public sealed record MixSource(string Name, double Share, IReadOnlyList<TokenizedExample> Examples);

public sealed record MixShare(string Name, double RequestedShare, int Examples, double ExampleShare, long TargetTokens, double TokenShare, double Passes);

public static class DataMixer
{
    /// <param name="total">examples in the mix; default: as many as all sources hold together</param>
    public static (List<TokenizedExample> Mix, List<MixShare> Report) Mix(IReadOnlyList<MixSource> sources, int seed, int? total = null)
    {
        var usable = sources.Where(s => s.Examples.Count > 0 && s.Share > 0).ToList();
        double shareSum = usable.Sum(s => s.Share);
        int n = total ?? usable.Sum(s => s.Examples.Count);
        var chosen = new List<(string Name, TokenizedExample Example)>();
        var counts = new Dictionary<string, int>();
        foreach (var (source, index) in usable.Select((s, i) => (s, i)))
        {
            int want = (int)Math.Round(source.Share / shareSum * n);
            var rng = new Random(Seeds.Derive(seed, "mix", index));
            int[] order = [];
            for (int k = 0; k < want; k++)
            {
                int inPass = k % source.Examples.Count;
                if (inPass == 0) order = Seeds.Permutation(source.Examples.Count, rng);
                chosen.Add((source.Name, source.Examples[order[inPass]]));
            }
            counts[source.Name] = want;
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
