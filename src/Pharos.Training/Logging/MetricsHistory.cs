// Reads a run's metrics.jsonl back: the series of one scalar over steps, and means over the first or last steps — what
// summaries and plots need after training (e.g. the mean GRPO reward at the start and at the end of the stage).
using System.Text.Json;

namespace Pharos.Training.Logging;

public sealed class MetricsHistory
{
    readonly List<(int Step, Dictionary<string, double> Values)> rows = [];

    MetricsHistory() { }

    public static MetricsHistory Read(string path)
    {
        var history = new MetricsHistory();
        if (!File.Exists(path)) return history;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            int step = 0;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number) continue; // null = a non-finite value when it was logged
                if (p.Name == "step") step = p.Value.GetInt32();
                else values[p.Name] = p.Value.GetDouble();
            }
            history.rows.Add((step, values));
        }
        return history;
    }

    /// <summary>Every scalar name that was logged at least once.</summary>
    public IReadOnlyList<string> Keys => rows.SelectMany(r => r.Values.Keys).Distinct().ToList();

    /// <summary>(step, value) of every logged value of <paramref name="key"/>, in log order.</summary>
    public IReadOnlyList<(int Step, double Value)> Series(string key) =>
        rows.Where(r => r.Values.ContainsKey(key)).Select(r => (r.Step, r.Values[key])).ToList();

    /// <summary>Mean of the first (<paramref name="fromEnd"/> false) or last <paramref name="count"/> values; null if none.</summary>
    public double? Mean(string key, int count, bool fromEnd)
    {
        var series = Series(key);
        var window = fromEnd ? series.TakeLast(count) : series.Take(count);
        var values = window.Select(s => s.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }
}
