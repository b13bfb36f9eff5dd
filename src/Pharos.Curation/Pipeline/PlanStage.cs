// One schedulable stage of a plan: a kind (process, or one of MinHash's four), its task count and its folders.
namespace Pharos.Curation.Pipeline;

public sealed record PlanStage(string Name, StageKind Kind, int TaskCount, StageSection Section, string? InputStage, string StageDir) : ITaskStage
{
    /// <summary>"extract", "dedup.signatures", …: what logs, markers and Slurm job names use.</summary>
    public string Id => Kind is StageKind.Process or StageKind.DedupFilter ? Name : $"{Name}.{Kind.ToString().ToLowerInvariant()}";

    public string ControlDir => Path.Combine(StageDir, "_pharos", Kind.ToString().ToLowerInvariant());
    public string MarkerFile(int task) => Path.Combine(ControlDir, "completions", $"{task:D5}");
    public string StatsFile(int task) => Path.Combine(ControlDir, "stats", $"{task:D5}.json");
    public string QuarantineFile(int task) => Path.Combine(ControlDir, "quarantine", $"{task:D5}.jsonl");
    public string RejectedFile(int task) => Path.Combine(StageDir, "_rejected", $"{task:D5}.jsonl.zst");
    public string MinHashDir => Path.Combine(StageDir, "_minhash");

    public bool IsDone(int task) => File.Exists(MarkerFile(task));
    public bool AllDone() => Enumerable.Range(0, TaskCount).All(IsDone);
}

public enum StageKind { Process, Signatures, Buckets, Clusters, DedupFilter }
