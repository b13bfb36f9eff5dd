// Runs a plan on this machine: stages in order, each stage's unfinished tasks on N workers; --shard-index/--shard-count split tasks across machines.
using Pharos.Curation.Errors;

namespace Pharos.Curation.Pipeline;

public sealed class LocalExecutor(int workers, int shardIndex = 0, int shardCount = 1, TextWriter? log = null)
{
    public void Run(ITaskPlan plan, string? onlyStage = null)
    {
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount)
            throw new RecipeException($"--shard-index must be in 0..{shardCount - 1}");
        foreach (var stage in plan.TaskStages)
        {
            if (onlyStage is not null && stage.Id != onlyStage)
                continue;
            var mine = Enumerable.Range(0, stage.TaskCount).Where(t => t % shardCount == shardIndex).ToList();
            var todo = mine.Where(t => !stage.IsDone(t)).ToList();
            log?.WriteLine($"{stage.Id}: {todo.Count} of {mine.Count} tasks to run ({mine.Count - todo.Count} already complete)");
            var errors = new List<Exception>();
            Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = workers }, task =>
            {
                try
                {
                    plan.RunTask(stage, task);
                }
                catch (Exception e)
                {
                    lock (errors)
                        errors.Add(e);
                }
            });
            if (errors.Count > 0)
                throw errors[0] is CurationException or IOException ? errors[0] : new CurationException($"stage {stage.Id}: {errors.Count} task(s) failed: {errors[0].Message}", errors[0]);
            if (!stage.AllDone())
            {
                // Another shard of this run still has tasks of this stage: later stages must wait for it.
                log?.WriteLine($"{stage.Id}: waiting for other shards; rerun when they finish");
                return;
            }
            plan.StageComplete(stage, log);
        }
    }
}
