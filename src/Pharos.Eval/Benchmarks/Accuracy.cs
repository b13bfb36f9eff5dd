// Small counting helpers shared by the suites: pass rates and per-key tallies for breakdown tables.
namespace Pharos.Eval.Benchmarks;

internal sealed class Tally
{
    readonly Dictionary<string, Dictionary<string, (double Sum, int N)>> rows = new(StringComparer.Ordinal);

    public void Add(string row, string column, double value)
    {
        if (!rows.TryGetValue(row, out var cols)) rows[row] = cols = new Dictionary<string, (double, int)>(StringComparer.Ordinal);
        var (sum, n) = cols.GetValueOrDefault(column);
        cols[column] = (sum + value, n + 1);
    }

    public void Add(string row, string column, bool passed) => Add(row, column, passed ? 1.0 : 0.0);

    /// <summary>Means per cell, plus "n" (the count of the first column) so readers see how much each rate rests on.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Means() =>
        rows.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r =>
        {
            var d = r.Value.ToDictionary(c => c.Key, c => c.Value.N == 0 ? 0 : c.Value.Sum / c.Value.N);
            d["n"] = r.Value.Values.First().N;
            return (IReadOnlyDictionary<string, double>)d;
        });
}

internal static class Rate
{
    public static double Of(int passed, int total) => total == 0 ? 0 : (double)passed / total;
}
