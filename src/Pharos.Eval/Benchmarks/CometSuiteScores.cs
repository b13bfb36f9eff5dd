// Adds COMET to a translation suite's results: a "COMET" score per item, per language pair (the mean of its segments,
// COMET's system score) and as the headline (mean over pairs, like BLEU and chrF). Failed items score their empty output.
using Pharos.Eval.Comet;

namespace Pharos.Eval.Benchmarks;

public static class CometSuiteScores
{
    public const string Key = "COMET";

    public static (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Add(ITranslationSuite suite, IReadOnlyList<ItemRecord> records,
        SuiteResult result, CometModel model, int batchSize = 16)
    {
        var items = suite.SourcesAndReferences;
        if (items.Count != records.Count)
            throw new InvalidOperationException($"{suite.Name}: {records.Count} records for {items.Count} items");
        var segments = records.Select((r, i) => new CometSegment(items[i].Source, r.Output?.Trim() ?? "", items[i].Reference)).ToList();
        var scores = model.Score(segments, batchSize).Scores;

        var scored = records.Select((r, i) => r with { Scores = new Dictionary<string, double>(r.Scores) { [Key] = scores[i] } }).ToList();
        var breakdowns = result.Breakdowns.ToDictionary(kv => kv.Key, kv => kv.Value);
        var metrics = new Dictionary<string, double>(result.Metrics);
        if (breakdowns.TryGetValue("by_pair", out var byPair))
        {
            var withComet = new Dictionary<string, IReadOnlyDictionary<string, double>>();
            foreach (var (pair, columns) in byPair)
            {
                var mine = Enumerable.Range(0, records.Count).Where(i => records[i].Group == pair).Select(i => scores[i]).ToList();
                withComet[pair] = new Dictionary<string, double>(columns) { [Key] = mine.Count == 0 ? double.NaN : mine.Average() };
            }
            breakdowns["by_pair"] = withComet;
            metrics[Key] = withComet.Values.Average(c => c[Key]);
        }
        else
        {
            metrics[Key] = scores.Count == 0 ? 0 : scores.Average();
        }
        return (scored, result with { Metrics = metrics, Breakdowns = breakdowns });
    }
}
