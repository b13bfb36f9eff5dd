// One task's (or, merged, one stage's) accounting: in = kept + dropped + quarantined, per-step stats, quarantine codes, time.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pharos.Curation.Pipeline;

public sealed class TaskStats
{
    [JsonPropertyName("stage")] public string Stage { get; set; } = "";
    [JsonPropertyName("tasks")] public int Tasks { get; set; } = 1;
    [JsonPropertyName("in")] public long In { get; set; }
    [JsonPropertyName("kept")] public long Kept { get; set; }
    [JsonPropertyName("dropped")] public long Dropped { get; set; }
    [JsonPropertyName("quarantined")] public long Quarantined { get; set; }
    [JsonPropertyName("balanced")] public bool Balanced { get; set; }
    [JsonPropertyName("seconds")] public double Seconds { get; set; }
    [JsonPropertyName("quarantined_by_code")] public SortedDictionary<string, long> QuarantinedByCode { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("kept_by_language")] public SortedDictionary<string, long> KeptByLanguage { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("kept_by_cluster_size")] public SortedDictionary<long, long> KeptByClusterSize { get; set; } = [];
    [JsonPropertyName("steps")] public List<StepStats> Steps { get; set; } = [];
    [JsonPropertyName("extra")] public SortedDictionary<string, JsonElement>? Extra { get; set; }

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public bool CheckBalance() => Balanced = In == Kept + Dropped + Quarantined;

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static TaskStats Read(string path) => JsonSerializer.Deserialize<TaskStats>(File.ReadAllText(path))!;

    public static TaskStats Merge(string stage, IEnumerable<TaskStats> tasks)
    {
        var merged = new TaskStats { Stage = stage, Tasks = 0 };
        var steps = new List<StepStats>();
        foreach (var t in tasks)
        {
            merged.Tasks++;
            merged.In += t.In;
            merged.Kept += t.Kept;
            merged.Dropped += t.Dropped;
            merged.Quarantined += t.Quarantined;
            merged.Seconds += t.Seconds;
            foreach (var (k, v) in t.QuarantinedByCode) merged.QuarantinedByCode[k] = merged.QuarantinedByCode.GetValueOrDefault(k) + v;
            foreach (var (k, v) in t.KeptByLanguage) merged.KeptByLanguage[k] = merged.KeptByLanguage.GetValueOrDefault(k) + v;
            foreach (var (k, v) in t.KeptByClusterSize) merged.KeptByClusterSize[k] = merged.KeptByClusterSize.GetValueOrDefault(k) + v;
            for (var i = 0; i < t.Steps.Count; i++)
            {
                if (i == steps.Count)
                    steps.Add(new StepStats(t.Steps[i].Name));
                steps[i].Merge(t.Steps[i]);
            }
        }
        merged.Steps = steps;
        merged.CheckBalance();
        return merged;
    }
}
