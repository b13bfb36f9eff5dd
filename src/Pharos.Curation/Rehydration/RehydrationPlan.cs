// Rehydration for a finished run: weights per cluster size (table or this run's removal rates), written as a weights file or a repeated mix.
using Pharos.IO;
using System.Text.Json;
using Pharos.Curation.Errors;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;
using Pharos.Curation.Writers;

namespace Pharos.Curation.Rehydration;

public static class RehydrationPlan
{
    /// <summary>Copies per cluster size. "rates" compares the documents leaving the last MinHash stage with those leaving the last stage.</summary>
    public static SortedDictionary<long, int> Weights(CurationPlan plan, string scheme, int maxCopies)
    {
        var dedup = plan.Stages.LastOrDefault(s => s.Kind == StageKind.DedupFilter)
            ?? throw new RecipeException("rehydration needs a minhash stage in the recipe");
        var before = StageStatsMerger.Merge(dedup) ?? throw new CurationException($"stage {dedup.Id} has not run");
        var final = StageStatsMerger.Merge(plan.Stages[^1]) ?? throw new CurationException($"stage {plan.Stages[^1].Id} has not run");
        return scheme switch
        {
            "table" => new SortedDictionary<long, int>(before.KeptByClusterSize.Keys.ToDictionary(n => n, Rehydrator.FromTable)),
            "rates" => Rehydrator.FromRemovalRates(before.KeptByClusterSize, final.KeptByClusterSize, maxCopies),
            _ => throw new RecipeException($"unknown rehydration scheme \"{scheme}\" (table or rates)"),
        };
    }

    public static void WriteWeights(string path, SortedDictionary<long, int> weights) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(weights.ToDictionary(p => p.Key.ToString(), p => p.Value), new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Writes the final shards again with each document repeated by its weight (a training mix); returns documents written.</summary>
    public static long WriteMix(CurationPlan plan, SortedDictionary<long, int> weights, string outputDir, string format)
    {
        long written = 0;
        var final = plan.Stages[^1].StageDir;
        foreach (var languageDir in Directory.EnumerateDirectories(final).Where(d => !Path.GetFileName(d).StartsWith('_')).Order(StringComparer.Ordinal))
            foreach (var file in Directory.EnumerateFiles(languageDir).Where(f => !f.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                using var writer = WriterFactory.Create(Path.Combine(outputDir, Path.GetFileName(languageDir), CompressedFile.Stem(file)), format);
                foreach (var doc in ReaderFactory.For(file, "auto", new ReaderOptions()).Read(file, new Quarantine()))
                {
                    var size = (long)(doc.GetDouble(MetadataKeys.ClusterSize) ?? 1);
                    var copies = Rehydrator.Lookup(weights, size);
                    for (var c = 0; c < copies; c++)
                        writer.Write(doc);
                    written += copies;
                }
                writer.Commit();
            }
        return written;
    }
}
