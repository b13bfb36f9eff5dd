// Paired approximate randomisation (Riezler & Maxwell 2005, as sacrebleu's --paired-ar): swaps segments between baseline and system at random.
namespace Pharos.Eval.Metrics.Significance;

public static class ApproximateRandomization
{
    public const int DefaultTrials = 10000;

    /// <param name="systems">Baseline first.</param>
    /// <param name="seed">numpy seed (12345 by default, as sacrebleu); null draws a random one.</param>
    public static PairedTestReport Run(IReadOnlyList<(string Name, IReadOnlyList<string> Hypotheses)> systems,
        IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<Metric> metrics, int trials = DefaultTrials, ulong? seed = PairedBootstrap.DefaultSeed)
    {
        if (systems.Count < 2)
            throw new ArgumentException("paired tests need a baseline and at least one other system", nameof(systems));
        var n = systems[0].Hypotheses.Count;
        var results = new Dictionary<string, IReadOnlyList<PairedTestResult>>();
        var signatures = new Dictionary<string, MetricSignature>();
        var actualSeed = seed ?? (ulong)Random.Shared.NextInt64();
        foreach (var metric in metrics)
        {
            var width = metric.StatCount;
            var blStats = metric.CorpusStatistics(systems[0].Hypotheses, references);
            var blScore = metric.ScoreFromStatistics(Metric.Sum(blStats, width));
            var list = new List<PairedTestResult> { new(blScore.Score) };
            var a = new double[width];
            var b = new double[width];
            var diffs = new double[trials];
            for (var s = 1; s < systems.Count; s++)
            {
                var sysStats = metric.CorpusStatistics(systems[s].Hypotheses, references);
                var sysScore = metric.ScoreFromStatistics(Metric.Sum(sysStats, width));
                var diff = Math.Abs(blScore.Score - sysScore.Score);
                // sacrebleu draws one (trials × segments) boolean mask per system; a fresh generator per system does the same.
                var rng = new NumpyRandom(actualSeed);
                for (var t = 0; t < trials; t++)
                {
                    Array.Clear(a);
                    Array.Clear(b);
                    for (var i = 0; i < n; i++)
                    {
                        var row = i * width;
                        var (toA, toB) = rng.NextBool() ? (blStats, sysStats) : (sysStats, blStats);
                        for (var k = 0; k < width; k++)
                        {
                            a[k] += toA[row + k];
                            b[k] += toB[row + k];
                        }
                    }
                    diffs[t] = Math.Abs(metric.ScoreFromStatistics(a).Score - metric.ScoreFromStatistics(b).Score);
                }
                list.Add(new PairedTestResult(sysScore.Score, BootstrapStatistics.PValue(diffs, diff)));
            }
            results[blScore.Name] = list;
            signatures[blScore.Name] = metric.Signature(references.Count)
                .Set("seed", seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")
                .Set("ar", trials.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new PairedTestReport("ar", trials, systems.Select(s => s.Name).ToList(), results, signatures);
    }
}
