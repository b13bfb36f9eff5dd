// Counters of one step in one task: documents in, kept, dropped by reason, modified, time spent; merged across tasks for stats.json.
using System.Diagnostics;
using System.Text.Json.Serialization;

namespace Pharos.Curation.Pipeline;

public sealed class StepStats
{
    public StepStats(string name) => Name = name;

    [JsonPropertyName("name")] public string Name { get; set; }
    [JsonPropertyName("in")] public long In { get; set; }
    [JsonPropertyName("kept")] public long Kept { get; set; }
    [JsonPropertyName("dropped")] public long Dropped { get; set; }
    [JsonPropertyName("modified")] public long Modified { get; set; }
    [JsonPropertyName("dropped_by_reason")] public SortedDictionary<string, long> DroppedByReason { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("counters")] public SortedDictionary<string, double> Counters { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("seconds")] public double Seconds { get; set; }

    public void Drop(string reason)
    {
        Dropped++;
        DroppedByReason[reason] = DroppedByReason.GetValueOrDefault(reason) + 1;
    }

    public void Count(string counter, double by = 1) => Counters[counter] = Counters.GetValueOrDefault(counter) + by;

    public void AddTime(long startTimestamp) => Seconds += Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    public void Merge(StepStats other)
    {
        In += other.In;
        Kept += other.Kept;
        Dropped += other.Dropped;
        Modified += other.Modified;
        Seconds += other.Seconds;
        foreach (var (k, v) in other.DroppedByReason)
            DroppedByReason[k] = DroppedByReason.GetValueOrDefault(k) + v;
        foreach (var (k, v) in other.Counters)
            Counters[k] = Counters.GetValueOrDefault(k) + v;
    }
}
