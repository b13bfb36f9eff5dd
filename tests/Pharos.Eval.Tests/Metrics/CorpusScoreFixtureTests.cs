// Corpus BLEU, chrF/chrF++ and TER against sacrebleu's own numbers: full-precision score, text line, width-1 line, JSON and signatures.
using System.Text.Json.Nodes;
using Pharos.Eval.Metrics;

namespace Pharos.Eval.Tests.Metrics;

public sealed class CorpusScoreFixtureTests
{
    public static TheoryData<string, string> Groups()
    {
        var data = new TheoryData<string, string>();
        foreach (var ds in new[] { "wmt17", "udhr", "edge" })
            foreach (var metric in new[] { "bleu", "chrf", "ter" })
                data.Add(ds, metric);
        return data;
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void MatchesSacrebleu(string dataset, string metricKind)
    {
        var (hyp, refs) = SacrebleuFixtures.Dataset(dataset);
        var cases = SacrebleuFixtures.Load("corpus.json")["cases"]!.AsArray()
            .Where(c => c!["dataset"]!.GetValue<string>() == dataset && c["metric"]!.GetValue<string>() == metricKind)
            .ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var nrefs = c!["nrefs"]!.GetValue<int>();
            var metric = SacrebleuFixtures.CreateMetric(metricKind, c["args"]!.AsObject());
            var score = metric.CorpusScore(hyp, refs.Take(nrefs).ToArray());
            var sig = metric.Signature(nrefs);
            var what = SacrebleuFixtures.Describe(c);
            Check(failures, what, "signature", c["signature"]!.GetValue<string>(), sig.Format());
            Check(failures, what, "signature_short", c["signature_short"]!.GetValue<string>(), sig.Format(shortNames: true));
            Check(failures, what, "formatted", c["formatted"]!.GetValue<string>(), score.Format(2, sig.Format()));
            Check(failures, what, "formatted_w1", c["formatted_w1"]!.GetValue<string>(), score.Format(1, sig.Format()));
            Check(failures, what, "json", c["json"]!.GetValue<string>(), score.FormatJson(2, sig));
            var expected = c["score"]!.GetValue<double>();
            if (!SacrebleuFixtures.Close(expected, score.Score))
                failures.Add($"{what}: score {expected:R} != {score.Score:R}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count}/{cases.Count} cases differ:\n" + string.Join("\n", failures.Take(20)));
    }

    static void Check(List<string> failures, string what, string field, string expected, string actual)
    {
        if (expected != actual)
            failures.Add($"{what}: {field}\n  expected {expected}\n  actual   {actual}");
    }
}
