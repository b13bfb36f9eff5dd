// Merges a finished stage's per-task stats into <stage>/stats.json (and MinHash's cluster histogram into clusters.json).
using Pharos.IO;
using System.Text.Json;
using Pharos.Curation.Writers;

namespace Pharos.Curation.Pipeline;

public static class StageStatsMerger
{
    public static TaskStats? Merge(PlanStage stage)
    {
        var files = Enumerable.Range(0, stage.TaskCount).Select(stage.StatsFile).Where(File.Exists).ToList();
        if (files.Count == 0)
            return null;
        var tasks = files.Select(TaskStats.Read).ToList();
        var merged = TaskStats.Merge(stage.Id, tasks);
        var name = stage.Kind is StageKind.Process or StageKind.DedupFilter ? "stats.json" : $"stats.{stage.Kind.ToString().ToLowerInvariant()}.json";
        if (stage.Kind == StageKind.Clusters)
        {
            var histograms = new Dictionary<string, SortedDictionary<int, long>>();
            foreach (var t in tasks)
                if (t.Extra?.GetValueOrDefault("cluster_size_histogram") is { ValueKind: JsonValueKind.Object } h)
                    foreach (var (lang, hist) in h.Deserialize<Dictionary<string, SortedDictionary<int, long>>>()!)
                        histograms[lang] = hist;
            merged.Extra = new(StringComparer.Ordinal) { ["cluster_size_histogram"] = JsonSerializer.SerializeToElement(histograms) };
        }
        AtomicFile.WriteAllText(Path.Combine(stage.StageDir, name), merged.ToJson());
        return merged;
    }
}
