// Win rate of judged games (win 1, tie ½, loss 0) with a percentile bootstrap over items: an item's games (the two
// positions) are resampled together, so the interval reflects how many distinct prompts were judged.
using Pharos.Eval.Metrics.Significance;

namespace Pharos.Eval.Judging;

public sealed record WinRateSummary(double WinRate, double Low, double High, int Games, int Wins, int Ties, int Losses);

public static class WinRate
{
    /// <param name="itemGames">per item, the model's score in each valid game (0, 0.5 or 1); items without games are skipped.</param>
    /// <param name="confidence">e.g. 0.95 for the 2.5th and 97.5th percentiles.</param>
    public static WinRateSummary Compute(IReadOnlyList<IReadOnlyList<double>> itemGames, int resamples = 1000, ulong seed = 0, double confidence = 0.95)
    {
        var items = itemGames.Where(g => g.Count > 0).ToList();
        var all = items.SelectMany(g => g).ToList();
        int wins = all.Count(s => s == 1), ties = all.Count(s => s == 0.5), losses = all.Count(s => s == 0);
        if (all.Count == 0) return new WinRateSummary(double.NaN, double.NaN, double.NaN, 0, 0, 0, 0);
        double rate = all.Average();

        var sums = items.Select(g => g.Sum()).ToArray();
        var counts = items.Select(g => g.Count).ToArray();
        var rng = new NumpyRandom(seed);
        var draws = new int[items.Count];
        var rates = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            rng.Choice(items.Count, draws);
            double s = 0, n = 0;
            foreach (var i in draws) { s += sums[i]; n += counts[i]; }
            rates[b] = s / n;
        }
        Array.Sort(rates);
        double tail = (1 - confidence) / 2;
        return new WinRateSummary(rate, Percentile(rates, tail), Percentile(rates, 1 - tail), all.Count, wins, ties, losses);
    }

    /// <summary>numpy.percentile's default (linear interpolation between the closest ranks).</summary>
    static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
