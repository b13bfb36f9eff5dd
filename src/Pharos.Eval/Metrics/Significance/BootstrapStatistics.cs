// Helpers shared by the paired tests: resampled scores the way sacrebleu's numpy code computes them, CI and p-value.
namespace Pharos.Eval.Metrics.Significance;

internal static class BootstrapStatistics
{
    /// <summary>
    /// Scores of `samples` bootstrap resamples of the segment statistics, indices drawn like
    /// rng.choice(n, (samples, n)). Sums are float32, row by row, as numpy's float32 `.sum(0)`.
    /// </summary>
    public static double[] Resample(Metric metric, double[] stats, int segments, int samples, ulong? seed)
    {
        var width = metric.StatCount;
        var rng = new NumpyRandom(seed ?? (ulong)Random.Shared.NextInt64());
        var scores = new double[samples];
        var acc = new float[width];
        var totals = new double[width];
        for (var s = 0; s < samples; s++)
        {
            Array.Clear(acc);
            for (var i = 0; i < segments; i++)
            {
                var row = rng.NextBelow(segments) * width;
                for (var k = 0; k < width; k++)
                    acc[k] += (float)stats[row + k];
            }
            for (var k = 0; k < width; k++)
                totals[k] = acc[k];
            scores[s] = metric.ScoreFromStatistics(totals, numpyFloat32: true).Score;
        }
        return scores;
    }

    /// <summary>sacrebleu's estimate_ci: mean of the sorted scores and half the width of the central 95%.</summary>
    public static (double Mean, double Ci) EstimateCi(double[] scores)
    {
        var sorted = (double[])scores.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        var lowerIdx = n / 40;
        var upperIdx = n - lowerIdx - 1;
        var ci = 0.5 * (sorted[upperIdx] - sorted[lowerIdx]);
        return (NumpyPairwise.Mean(sorted), ci);
    }

    /// <summary>(#{stat &gt; real difference} + 1) / (n + 1), after multeval; ties do not count as chance.</summary>
    public static double PValue(ReadOnlySpan<double> stats, double realDifference)
    {
        var c = 0;
        foreach (var s in stats)
            if (s > realDifference)
                c++;
        return (c + 1) / (double)(stats.Length + 1);
    }
}
