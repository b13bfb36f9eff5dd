// Sentence-level BLEU (effective order on and off), chrF and TER against sacrebleu on every fixture segment.
using Pharos.Eval.Metrics;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Tests.Metrics;

public sealed class SentenceScoreFixtureTests
{
    public static TheoryData<string, string> Groups() => CorpusScoreFixtureTests.Groups();

    [Theory]
    [MemberData(nameof(Groups))]
    public void MatchesSacrebleu(string dataset, string metricKind)
    {
        var (hyp, refs) = SacrebleuFixtures.Dataset(dataset);
        var cases = SacrebleuFixtures.Load("sentence.json")["cases"]!.AsArray()
            .Where(c => c!["dataset"]!.GetValue<string>() == dataset && c["metric"]!.GetValue<string>() == metricKind)
            .ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        var segments = 0;
        foreach (var c in cases)
        {
            var nrefs = c!["nrefs"]!.GetValue<int>();
            var metric = SacrebleuFixtures.CreateMetric(metricKind, c["args"]!.AsObject());
            var sig = metric.Signature(nrefs).Format();
            var what = SacrebleuFixtures.Describe(c);
            if (sig != c["signature"]!.GetValue<string>())
                failures.Add($"{what}: signature {sig}");
            var scores = c["scores"]!.AsArray();
            var strings = c["score_strings"]!.AsArray();
            var full = c["formatted_first"]!.AsArray();
            for (var i = 0; i < scores.Count; i++)
            {
                segments++;
                var s = metric.SentenceScore(hyp[i], refs.Take(nrefs).Select(r => r[i]).ToArray());
                var expected = scores[i]!.GetValue<double>();
                if (!SacrebleuFixtures.Close(expected, s.Score))
                    failures.Add($"{what} segment {i}: {expected:R} != {s.Score:R}");
                if (PythonFormat.Fixed(s.Score, 2) != strings[i]!.GetValue<string>())
                    failures.Add($"{what} segment {i}: '{strings[i]}' != '{PythonFormat.Fixed(s.Score, 2)}'");
                if (i < full.Count && s.Format(2, sig) != full[i]!.GetValue<string>())
                    failures.Add($"{what} segment {i}:\n  expected {full[i]}\n  actual   {s.Format(2, sig)}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches over {segments} segment scores:\n" + string.Join("\n", failures.Take(20)));
    }
}
