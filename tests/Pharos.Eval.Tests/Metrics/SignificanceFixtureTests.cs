// Paired bootstrap and approximate randomisation against sacrebleu's PairedTest (same numpy RNG stream, seed 12345).
using Pharos.Eval.Metrics;
using Pharos.Eval.Metrics.Significance;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Tests.Metrics;

public sealed class SignificanceFixtureTests
{
    [Fact]
    public void NumpyRandomReproducesNumpyStreams()
    {
        var fx = SacrebleuFixtures.Load("significance.json");
        var rng = new NumpyRandom(12345);
        var rows = fx["rng_choice_800"]!.AsArray();
        foreach (var row in rows)
        {
            var draws = new int[800];
            rng.Choice(800, draws);
            Assert.Equal(row!.AsArray().Select(v => v!.GetValue<int>()), draws.Take(50));
        }
        rng = new NumpyRandom(12345);
        foreach (var row in fx["rng_bool"]!.AsArray())
            Assert.Equal(row!.AsArray().Select(v => v!.GetValue<int>() == 1), Enumerable.Range(0, 100).Select(_ => rng.NextBool()));
        rng = new NumpyRandom(7);
        var seven = new int[40];
        rng.Choice(3004, seven);
        Assert.Equal(fx["rng_choice_7_3004"]!.AsArray().Select(v => v!.GetValue<int>()), seven);
    }

    [Theory]
    [InlineData("bs")]
    [InlineData("ar")]
    public void PairedTestsMatchSacrebleu(string testType)
    {
        var fx = SacrebleuFixtures.Load("significance.json");
        var systems = fx["systems"]!.AsArray().Select(s => s!.GetValue<string>())
            .Select((name, i) => (Name: name, Hypotheses: (IReadOnlyList<string>)SacrebleuFixtures.Lines(name))).ToList();
        var refs = fx["refs"]!.AsArray().Select(r => (IReadOnlyList<string>)SacrebleuFixtures.Lines(r!.GetValue<string>())).ToList();
        Metric[] metrics = [new Bleu(), new ChrF(wordOrder: 2), new Ter()];
        var expected = fx[testType]!;
        var n = expected["n_samples"]!.GetValue<int>();
        var report = testType == "bs"
            ? PairedBootstrap.Run(systems, refs, metrics, n)
            : ApproximateRandomization.Run(systems, refs, metrics, n);

        foreach (var (name, sig) in report.Signatures)
            Assert.Equal(expected["signatures"]![name]!.GetValue<string>(), sig.Format());
        var failures = new List<string>();
        foreach (var (name, results) in report.Results)
        {
            var exp = expected["results"]![name]!.AsArray();
            for (var s = 0; s < results.Count; s++)
            {
                var e = exp[s]!;
                var r = results[s];
                void Cmp(string field, double? actual)
                {
                    var ev = e[field]?.GetValue<double>();
                    if (ev is null != actual is null || (ev is { } x && !SacrebleuFixtures.Close(x, actual!.Value)))
                        failures.Add($"{name} system {s} {field}: expected {ev:R} actual {actual:R}");
                    // What sacrebleu prints: p-values with 4 decimals, scores/means/CIs with the width.
                    else if (ev is { } y && PythonFormat.Fixed(y, 4) != PythonFormat.Fixed(actual!.Value, 4))
                        failures.Add($"{name} system {s} {field}: printed {PythonFormat.Fixed(y, 4)} vs {PythonFormat.Fixed(actual!.Value, 4)}");
                }
                Cmp("score", r.Score);
                Cmp("p_value", r.PValue);
                Cmp("mean", r.Mean);
                Cmp("ci", r.Ci);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
