// Paired bootstrap resampling (Koehn 2004, as sacrebleu's --paired-bs): p-values of each system against the baseline, with mean ± 95% CI.
namespace Pharos.Eval.Metrics.Significance;

public static class PairedBootstrap
{
    public const int DefaultSamples = 1000;
    public const ulong DefaultSeed = 12345;

    /// <param name="systems">Baseline first. Every system's hypotheses align with the references.</param>
    /// <param name="seed">numpy seed (sacrebleu's SACREBLEU_SEED, 12345 by default); null draws a random one.</param>
    public static PairedTestReport Run(IReadOnlyList<(string Name, IReadOnlyList<string> Hypotheses)> systems,
        IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<Metric> metrics, int samples = DefaultSamples, ulong? seed = DefaultSeed)
    {
        if (systems.Count < 2)
            throw new ArgumentException("paired tests need a baseline and at least one other system", nameof(systems));
        var n = systems[0].Hypotheses.Count;
        var results = new Dictionary<string, IReadOnlyList<PairedTestResult>>();
        var signatures = new Dictionary<string, MetricSignature>();
        foreach (var metric in metrics)
        {
            var blStats = metric.CorpusStatistics(systems[0].Hypotheses, references);
            var blScore = metric.ScoreFromStatistics(Metric.Sum(blStats, metric.StatCount));
            // Every resampling below re-seeds, so all of them (baseline CI included) use the same indices.
            var blScores = BootstrapStatistics.Resample(metric, blStats, n, samples, seed);
            var (blMean, blCi) = BootstrapStatistics.EstimateCi(blScores);
            var list = new List<PairedTestResult> { new(blScore.Score, null, blMean, blCi) };
            for (var s = 1; s < systems.Count; s++)
            {
                var sysStats = metric.CorpusStatistics(systems[s].Hypotheses, references);
                var sysScore = metric.ScoreFromStatistics(Metric.Sum(sysStats, metric.StatCount));
                var diff = Math.Abs(blScore.Score - sysScore.Score);
                var sysScores = BootstrapStatistics.Resample(metric, sysStats, n, samples, seed);
                var (mean, ci) = BootstrapStatistics.EstimateCi(sysScores);
                var sampleDiffs = new double[samples];
                for (var i = 0; i < samples; i++)
                    sampleDiffs[i] = Math.Abs(sysScores[i] - blScores[i]);
                // Centre the differences: under the null hypothesis their expected value is zero.
                var centre = NumpyPairwise.Mean(sampleDiffs);
                for (var i = 0; i < samples; i++)
                    sampleDiffs[i] -= centre;
                list.Add(new PairedTestResult(sysScore.Score, BootstrapStatistics.PValue(sampleDiffs, diff), mean, ci));
            }
            results[blScore.Name] = list;
            signatures[blScore.Name] = metric.Signature(references.Count)
                .Set("seed", seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")
                .Set("bs", samples.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new PairedTestReport("bs", samples, systems.Select(s => s.Name).ToList(), results, signatures);
    }
}
