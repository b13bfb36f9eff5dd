// Each filter's keep/drop and reason equal to datatrove's own decisions (FineWeb2's wiring and datatrove's defaults) on real multilingual text.
using Pharos.Curation.Filters;

namespace Pharos.Curation.Tests.Datatrove;

public sealed class DecisionExactnessTests
{
    [Theory]
    [InlineData("decisions-fineweb2.jsonl.gz", FilterSettings.FineWeb2)]
    [InlineData("decisions-defaults.jsonl.gz", FilterSettings.Defaults)]
    public void DecisionsEqualDatatroves(string fixture, FilterSettings settings)
    {
        var corpus = DatatroveFixtures.Corpus();
        var decisions = new IndependentDecisions(LanguageTable.Load(), settings, IndependentDecisions.Names);
        var compared = 0;
        var mismatches = new List<string>();
        foreach (var group in DatatroveFixtures.Read(fixture).GroupBy(r => r.GetProperty("id").GetString()!))
        {
            var expected = group.ToDictionary(r => r.GetProperty("filter").GetString()!);
            // datatrove failed on this document (no tokenizer for the language here, or a division by zero): nothing to compare.
            if (expected.Values.Any(r => r.GetProperty("reason").GetString() is { } reason && reason.StartsWith("error:", StringComparison.Ordinal)))
                continue;
            var (language, text) = corpus[group.Key];
            var doc = new Document(text, group.Key, new() { [MetadataKeys.Language] = language });
            foreach (var d in decisions.Decide(doc))
            {
                var e = expected[d.Filter];
                var (kept, reason) = (e.GetProperty("kept").GetBoolean(), e.GetProperty("reason").GetString());
                if (kept != d.Kept || reason != d.Reason)
                    mismatches.Add($"{group.Key} [{language}] {d.Filter}: datatrove {kept}/{reason}, pharos {d.Kept}/{d.Reason}");
                compared++;
            }
        }
        Assert.True(compared > 200, $"{compared} decisions compared");
        Assert.Empty(mismatches);
    }
}
