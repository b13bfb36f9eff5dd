// Runs one task of one plan stage start to finish: read → steps → per-language shard writers → stats → completion marker (last).
using Pharos.IO;
using System.Diagnostics;
using System.Text.Json;
using Pharos.Curation.Dedup;
using Pharos.Curation.Errors;
using Pharos.Curation.Readers;
using Pharos.Curation.Writers;

namespace Pharos.Curation.Pipeline;

public static class TaskRunner
{
    /// <summary>Runs the task unless its completion marker exists; returns false when it was already done.</summary>
    public static bool Run(CurationPlan plan, PlanStage stage, int task)
    {
        if (task < 0 || task >= stage.TaskCount)
            throw new RecipeException($"stage {stage.Id} has tasks 0..{stage.TaskCount - 1}, not {task}");
        if (stage.IsDone(task))
            return false;
        var started = Stopwatch.GetTimestamp();
        var stats = new TaskStats { Stage = stage.Id };
        switch (stage.Kind)
        {
            case StageKind.Process: Process(plan, stage, task, stats); break;
            case StageKind.Signatures: Signatures(plan, stage, task, stats); break;
            case StageKind.Buckets: Buckets(plan, stage, task, stats); break;
            case StageKind.Clusters: Clusters(plan, stage, task, stats); break;
            case StageKind.DedupFilter: DedupFilter(plan, stage, task, stats); break;
        }
        stats.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (stage.Kind is StageKind.Process or StageKind.DedupFilter && !stats.CheckBalance())
            throw new CurationException($"stage {stage.Id} task {task}: in {stats.In} ≠ kept {stats.Kept} + dropped {stats.Dropped} + quarantined {stats.Quarantined}");
        AtomicFile.WriteAllText(stage.StatsFile(task), stats.ToJson());
        AtomicFile.WriteAllText(stage.MarkerFile(task), DateTime.UtcNow.ToString("O"));
        return true;
    }

    static void Process(CurationPlan plan, PlanStage stage, int task, TaskStats stats)
    {
        using var output = new ShardOutput(plan, stage, task);
        var context = new StepContext(plan.Table, plan.Recipe.Resolve) { Rejected = output.Reject };
        var steps = StepFactory.Build(stage.Section, context);
        var quarantine = new Quarantine();
        var read = new long[1];
        var docs = Read(plan, stage, task, quarantine, read);
        var stepStats = steps.Select(s => new StepStats(s.Name)).ToList();
        for (var i = 0; i < steps.Count; i++)
            docs = steps[i].Run(docs, stepStats[i]);
        foreach (var doc in docs)
            output.Write(doc);
        output.Commit(quarantine);
        Fill(stats, read[0], quarantine, output, stepStats);
    }

    static void Signatures(CurationPlan plan, PlanStage stage, int task, TaskStats stats)
    {
        var quarantine = new Quarantine();
        var step = new StepStats("minhash_signatures");
        Dedup(plan, stage).Signatures(task, Read(plan, stage, task, quarantine, new long[1]), step);
        stats.In = step.In;
        stats.Kept = step.Kept;
        stats.Steps.Add(step);
    }

    static void Buckets(CurationPlan plan, PlanStage stage, int task, TaskStats stats)
    {
        var edges = Dedup(plan, stage).Buckets(task, plan.Inputs.Count);
        stats.Steps.Add(new StepStats("minhash_buckets") { Counters = { ["edges"] = edges } });
    }

    static void Clusters(CurationPlan plan, PlanStage stage, int task, TaskStats stats)
    {
        var dedup = Dedup(plan, stage);
        var results = dedup.Languages().Where(l => (uint)StableHash(l) % (uint)stage.TaskCount == task)
            .Select(l => dedup.Clusters(l, plan.Inputs.Count, stage.Section.MinHash!.Bands)).ToList();
        var step = new StepStats("minhash_clusters");
        foreach (var r in results)
        {
            step.In += r.Documents;
            step.Count($"removed:{r.Language}", r.Removed);
            step.Count($"bytes_per_doc:{r.Language}", Math.Round(r.BytesPerDocument, 2));
        }
        stats.Steps.Add(step);
        stats.Extra = new(StringComparer.Ordinal)
        {
            ["cluster_size_histogram"] = JsonSerializer.SerializeToElement(results.ToDictionary(r => r.Language, r => r.ClusterSizeHistogram)),
        };
    }

    static void DedupFilter(CurationPlan plan, PlanStage stage, int task, TaskStats stats)
    {
        using var output = new ShardOutput(plan, stage, task);
        var quarantine = new Quarantine();
        var read = new long[1];
        var step = new StepStats("minhash_filter");
        foreach (var doc in Dedup(plan, stage).Filter(task, Read(plan, stage, task, quarantine, read), step, output.Reject))
            output.Write(doc);
        output.Commit(quarantine);
        Fill(stats, read[0], quarantine, output, [step]);
    }

    static void Fill(TaskStats stats, long read, Quarantine quarantine, ShardOutput output, List<StepStats> steps)
    {
        stats.In = read + quarantine.Count;
        stats.Quarantined = quarantine.Count;
        stats.QuarantinedByCode = quarantine.CountByCode();
        stats.Kept = output.Written;
        stats.KeptByLanguage = output.WrittenByLanguage;
        stats.KeptByClusterSize = output.WrittenByClusterSize;
        stats.Dropped = steps.Sum(s => s.Dropped);
        stats.Steps = steps;
    }

    static MinHashDedup Dedup(CurationPlan plan, PlanStage stage)
    {
        var m = stage.Section.MinHash!;
        var permutations = m.Permutations switch
        {
            "datatrove" => MinHashPermutations.Datatrove,
            "splitmix" => MinHashPermutations.SplitMix,
            _ => throw new RecipeException($"minhash.permutations: \"{m.Permutations}\" (known: datatrove, splitmix)"),
        };
        return new MinHashDedup(new MinHasher(m.NGram, m.Bands, m.Rows, m.Seed, permutations), stage.MinHashDir);
    }

    static IEnumerable<Document> Read(CurationPlan plan, PlanStage stage, int task, Quarantine quarantine, long[] count)
    {
        // Raw inputs use the recipe's format and field names; later stages read Pharos's own shards.
        var raw = stage.InputStage is null;
        var options = raw ? plan.ReaderOptions : new ReaderOptions();
        foreach (var file in plan.TaskInputs(stage, task))
        {
            var reader = ReaderFactory.For(file, raw ? plan.Recipe.Input.Format : "auto", options);
            foreach (var doc in reader.Read(file, quarantine))
            {
                count[0]++;
                yield return doc;
            }
        }
    }

    static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
            h = unchecked(h * 31 + c);
        return h;
    }
}
