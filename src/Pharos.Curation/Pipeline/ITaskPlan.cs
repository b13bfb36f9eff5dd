// What LocalExecutor and SlurmExecutor run: stages in order, each a fixed number of tasks with completion markers. Curation
// plans and the training data's tokenize plan are both ITaskPlans, so there is one scheduler for both.
namespace Pharos.Curation.Pipeline;

public interface ITaskPlan
{
    IReadOnlyList<ITaskStage> TaskStages { get; }

    /// <summary>Folder under which Slurm scripts and logs go (`_slurm/`).</summary>
    string OutputDir { get; }

    SlurmSection Slurm { get; }

    /// <summary>Runs one task unless its marker exists; false when it was already complete. Writes the marker last.</summary>
    bool RunTask(ITaskStage stage, int task);

    /// <summary>Called once every task of <paramref name="stage"/> is complete (merges per-task statistics); may log a summary.</summary>
    void StageComplete(ITaskStage stage, TextWriter? log);

    /// <summary>The pharos arguments that run one task of <paramref name="stage"/> in a batch job; the executor appends
    /// `--task-offset N` and the job adds $SLURM_ARRAY_TASK_ID.</summary>
    string TaskCommand(ITaskStage stage);
}

public interface ITaskStage
{
    /// <summary>What logs, markers and Slurm job names use ("extract", "dedup.signatures", "tokenize").</summary>
    string Id { get; }
    int TaskCount { get; }
    bool IsDone(int task);
    bool AllDone();
}
