// What a finished curation run did, from its merged stage stats: records in/kept/dropped/quarantined, each stage, every
// drop reason, and per language how many documents language ID assigned, how many each stage kept and the MinHash
// duplicate clusters. No times and no paths, so two runs on the same input give equal summaries (summary.json).
using System.Text.Json;
using System.Text.Json.Serialization;
using Pharos.Curation.Errors;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Reports;

public sealed class CurationSummary
{
    [JsonPropertyName("inputs")] public List<string> Inputs { get; set; } = [];
    /// <summary>Records read from the inputs and where each one ended: in = kept + dropped + quarantined.</summary>
    [JsonPropertyName("records")] public RecordCounts Records { get; set; } = new();
    [JsonPropertyName("quarantined_by_code")] public SortedDictionary<string, long> QuarantinedByCode { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("stages")] public List<StageCounts> Stages { get; set; } = [];
    [JsonPropertyName("drop_reasons")] public List<DropReason> DropReasons { get; set; } = [];
    [JsonPropertyName("languages")] public List<LanguageCounts> Languages { get; set; } = [];

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>The summary of <paramref name="plan"/>'s finished stages; fails if its first stage has not run.</summary>
    public static CurationSummary From(CurationPlan plan)
    {
        var counted = plan.Stages.Where(s => s.Kind is StageKind.Process or StageKind.DedupFilter)
            .Select(s => (Stage: s, Stats: StageStatsMerger.Merge(s))).ToList();
        if (counted.Count == 0 || counted[0].Stats is null)
            throw new CurationException($"{plan.OutputDir}: the run has not finished its first stage; run `pharos curate` first");
        var finished = counted.TakeWhile(c => c.Stats is not null).Select(c => (c.Stage, Stats: c.Stats!)).ToList();
        var summary = new CurationSummary { Inputs = [.. plan.Inputs.Select(Path.GetFileName).Select(n => n!)] };
        foreach (var (stage, stats) in finished)
        {
            summary.Stages.Add(new StageCounts { Stage = stage.Id, In = stats.In, Kept = stats.Kept, Dropped = stats.Dropped, Quarantined = stats.Quarantined });
            summary.Records.Dropped += stats.Dropped;
            summary.Records.Quarantined += stats.Quarantined;
            foreach (var (code, n) in stats.QuarantinedByCode)
                summary.QuarantinedByCode[code] = summary.QuarantinedByCode.GetValueOrDefault(code) + n;
            foreach (var step in stats.Steps)
                foreach (var (reason, n) in step.DroppedByReason)
                    summary.DropReasons.Add(new DropReason { Stage = stage.Id, Step = step.Name, Reason = reason, Documents = n });
        }
        summary.Records.In = finished[0].Stats.In;
        summary.Records.Kept = finished[^1].Stats.Kept;
        summary.Languages = PerLanguage(plan, finished);
        return summary;
    }

    static List<LanguageCounts> PerLanguage(CurationPlan plan, List<(PlanStage Stage, TaskStats Stats)> finished)
    {
        // "identified": the language_id step's per-label counters in the first stage that has one.
        var identified = finished.SelectMany(f => f.Stats.Steps).FirstOrDefault(s => s.Name == "language_id")?.Counters
            .Where(c => c.Key.StartsWith("lang:", StringComparison.Ordinal)).ToDictionary(c => c.Key["lang:".Length..], c => (long)c.Value);
        var clusters = ClusterHistograms(plan);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (identified is not null)
            names.UnionWith(identified.Keys);
        foreach (var (_, stats) in finished)
            names.UnionWith(stats.KeptByLanguage.Keys);
        var final = finished[^1].Stats.KeptByLanguage;
        return [.. names.Select(language =>
        {
            var histogram = clusters.GetValueOrDefault(language) ?? [];
            return new LanguageCounts
            {
                Language = language,
                Identified = identified?.GetValueOrDefault(language),
                KeptByStage = finished.ToDictionary(f => f.Stage.Id, f => f.Stats.KeptByLanguage.GetValueOrDefault(language), StringComparer.Ordinal),
                Kept = final.GetValueOrDefault(language),
                DuplicateClusters = histogram.Where(h => h.Key > 1).Sum(h => h.Value),
                DuplicatesRemoved = histogram.Where(h => h.Key > 1).Sum(h => (h.Key - 1) * h.Value),
                ClusterSizes = histogram,
            };
        }).OrderByDescending(l => l.Kept).ThenByDescending(l => l.Identified ?? 0).ThenBy(l => l.Language, StringComparer.Ordinal)];
    }

    /// <summary>Per language: cluster size → clusters, from every MinHash stage's merged clustering stats.</summary>
    static Dictionary<string, SortedDictionary<long, long>> ClusterHistograms(CurationPlan plan)
    {
        var result = new Dictionary<string, SortedDictionary<long, long>>(StringComparer.Ordinal);
        foreach (var stage in plan.Stages.Where(s => s.Kind == StageKind.Clusters))
        {
            var path = Path.Combine(stage.StageDir, "stats.clusters.json");
            if (!File.Exists(path) || TaskStats.Read(path).Extra?.GetValueOrDefault("cluster_size_histogram") is not { ValueKind: JsonValueKind.Object } h)
                continue;
            foreach (var (language, histogram) in h.Deserialize<Dictionary<string, SortedDictionary<long, long>>>()!)
            {
                var into = result.TryGetValue(language, out var x) ? x : result[language] = [];
                foreach (var (size, count) in histogram)
                    into[size] = into.GetValueOrDefault(size) + count;
            }
        }
        return result;
    }
}

public class RecordCounts
{
    [JsonPropertyName("in")] public long In { get; set; }
    [JsonPropertyName("kept")] public long Kept { get; set; }
    [JsonPropertyName("dropped")] public long Dropped { get; set; }
    [JsonPropertyName("quarantined")] public long Quarantined { get; set; }
}

public sealed class StageCounts : RecordCounts
{
    [JsonPropertyName("stage"), JsonPropertyOrder(-1)] public string Stage { get; set; } = "";
}

public sealed class DropReason
{
    [JsonPropertyName("stage")] public string Stage { get; set; } = "";
    [JsonPropertyName("step")] public string Step { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
    [JsonPropertyName("documents")] public long Documents { get; set; }
}

public sealed class LanguageCounts
{
    [JsonPropertyName("language")] public string Language { get; set; } = "";
    /// <summary>Documents language ID assigned to this language (null when the recipe has no language_id step).</summary>
    [JsonPropertyName("identified")] public long? Identified { get; set; }
    /// <summary>Documents in this language each stage kept, in pipeline order.</summary>
    [JsonPropertyName("kept_by_stage")] public Dictionary<string, long> KeptByStage { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("kept")] public long Kept { get; set; }
    /// <summary>MinHash clusters of two or more documents; each keeps one and drops the rest.</summary>
    [JsonPropertyName("duplicate_clusters")] public long DuplicateClusters { get; set; }
    [JsonPropertyName("duplicates_removed")] public long DuplicatesRemoved { get; set; }
    [JsonPropertyName("cluster_sizes")] public SortedDictionary<long, long> ClusterSizes { get; set; } = [];
}
