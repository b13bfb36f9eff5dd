// FineWeb2 rehydration: how many copies of a kept document a training mix gets, from its MinHash cluster size N (two schemes).
namespace Pharos.Curation.Rehydration;

public static class Rehydrator
{
    /// <summary>FineWeb2's simple table: N=1→1, 2→2, 3–4→3, 5–99→5, 100–999→8, ≥1000→1 (huge clusters are spam).</summary>
    public static int FromTable(long clusterSize) => clusterSize switch
    {
        <= 1 => 1,
        2 => 2,
        <= 4 => 3,
        <= 99 => 5,
        <= 999 => 8,
        _ => 1,
    };

    /// <summary>
    /// FineWeb2's rule from filter removal rates: r(N) = share of size-N documents the quality filters removed, g = the global
    /// rate, r_min = the lowest r(N). Sizes filtered less than average are upsampled: copies = 1 if r(N) ≥ g, else
    /// 1 + (max − 1)(r(N) − g)/(r_min − g); r(N) is first smoothed over a window of 5 neighbouring sizes; copies are rounded.
    /// </summary>
    /// <param name="before">Documents per cluster size entering the filters (after dedup).</param>
    /// <param name="after">Documents per cluster size the filters kept.</param>
    public static SortedDictionary<long, int> FromRemovalRates(IReadOnlyDictionary<long, long> before, IReadOnlyDictionary<long, long> after, int maxCopies = 5, int window = 5)
    {
        if (maxCopies is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(maxCopies));
        var sizes = before.Where(p => p.Value > 0).Select(p => p.Key).Order().ToArray();
        var result = new SortedDictionary<long, int>();
        if (sizes.Length == 0)
            return result;
        var raw = sizes.Select(n => 1 - (double)after.GetValueOrDefault(n) / before[n]).ToArray();
        var total = sizes.Sum(n => before[n]);
        var global = 1 - (double)sizes.Sum(n => after.GetValueOrDefault(n)) / total;
        var smoothed = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            int lo = Math.Max(0, i - window / 2), hi = Math.Min(raw.Length - 1, i + window / 2);
            smoothed[i] = raw[lo..(hi + 1)].Average();
        }
        var min = smoothed.Min();
        for (var i = 0; i < sizes.Length; i++)
        {
            var r = smoothed[i];
            var copies = r >= global || min >= global ? 1.0 : 1 + (maxCopies - 1) * (r - global) / (min - global);
            result[sizes[i]] = (int)Math.Round(Math.Clamp(copies, 1, maxCopies), MidpointRounding.AwayFromZero);
        }
        return result;
    }

    /// <summary>Copies for a size missing from a rates table: the nearest smaller size's, else 1.</summary>
    public static int Lookup(SortedDictionary<long, int> weights, long clusterSize)
    {
        var best = 1;
        foreach (var (n, copies) in weights)
        {
            if (n > clusterSize)
                break;
            best = copies;
        }
        return best;
    }
}
