// Multiset comparison of source and target spans, shared by the placeholder and markup verifiers.
namespace Pharos.Eval.Verifiers.Translation;

public static class SpanComparison
{
    /// <summary>Score = share of source spans found in the target (with multiplicity); extra target spans fail too.</summary>
    public static Verdict Compare(IReadOnlyList<string> source, IReadOnlyList<string> target, string what)
    {
        var remaining = target.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var missing = new List<string>();
        foreach (var s in source)
        {
            if (remaining.TryGetValue(s, out var n) && n > 0) remaining[s] = n - 1;
            else missing.Add(s);
        }
        var extra = remaining.Where(kv => kv.Value > 0).SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).ToList();
        int met = source.Count - missing.Count;
        if (missing.Count == 0 && extra.Count == 0)
            return Verdict.Pass(source.Count == 0 ? $"no {what} in the source or the target" : $"all {source.Count} {what} preserved");
        var why = $"{met}/{source.Count} {what} preserved";
        if (missing.Count > 0) why += "; missing: " + string.Join(", ", missing);
        if (extra.Count > 0) why += "; not in the source: " + string.Join(", ", extra);
        // Extra spans (invented placeholders, unbalanced tags) cost like missing ones.
        return Verdict.Fraction(met, source.Count + extra.Count, why);
    }
}
