// `pharos curate --recipe curate.yaml`: runs a curation recipe locally (--workers N) or on Slurm; subcommands run-task, report, calibrate, decide, rehydrate.
using System.CommandLine;
using System.Reflection;
using Pharos.Curation.Pipeline;

namespace Pharos.Cli.Commands;

internal static class CurateCommand
{
    public static Command Create()
    {
        var recipe = RecipeOption();
        var workers = new Option<int?>("--workers") { Description = "Tasks run in parallel (default: the recipe's workers)." };
        var executor = new Option<string>("--executor") { Description = "local or slurm.", DefaultValueFactory = _ => "local" };
        executor.AcceptOnlyFromAmong("local", "slurm");
        var shardIndex = new Option<int>("--shard-index") { Description = "Run only tasks t with t % shard-count == shard-index (split a run across machines).", DefaultValueFactory = _ => 0 };
        var shardCount = new Option<int>("--shard-count") { Description = "Number of shards the tasks are split into.", DefaultValueFactory = _ => 1 };
        var stage = new Option<string?>("--stage") { Description = "Run only this stage (e.g. extract, dedup.signatures)." };
        var wait = new Option<bool>("--wait") { Description = "Slurm: wait until the submitted jobs finish and check every task completed." };
        var timeout = new Option<int>("--wait-timeout") { Description = "Slurm --wait limit in seconds.", DefaultValueFactory = _ => 86_400 };
        var command = new Command("curate", "Curate raw web text into clean per-language shards: readers, language ID, per-language filters, MinHash dedup. Resumable: a rerun does only unfinished tasks.");
        foreach (var o in new Option[] { recipe, workers, executor, shardIndex, shardCount, stage, wait, timeout })
            command.Options.Add(o);
        command.Subcommands.Add(RunTaskCommand());
        command.Subcommands.Add(CurateReportCommand.Create());
        command.Subcommands.Add(CurateCalibrateCommand.Create());
        command.Subcommands.Add(CurateDecideCommand.Create());
        command.Subcommands.Add(CurateRehydrateCommand.Create());
        command.SetAction(parse =>
        {
            var path = parse.GetValue(recipe)!;
            var loaded = CurationRecipe.Load(path);
            var plan = CurationPlan.Create(loaded);
            plan.RecipePath = Path.GetFullPath(path);
            if (parse.GetValue(executor) == "slurm")
            {
                var slurm = new SlurmExecutor(SelfCommand(), Console.Out);
                var jobs = slurm.Submit(plan);
                if (parse.GetValue(wait) && jobs.Count > 0)
                {
                    SlurmExecutor.Wait(jobs, TimeSpan.FromSeconds(parse.GetValue(timeout)));
                    var unfinished = plan.Stages.Where(s => !s.AllDone()).Select(s => s.Id).ToList();
                    if (unfinished.Count > 0)
                        throw new Curation.Errors.CurationException($"Slurm jobs ended with unfinished stages: {string.Join(", ", unfinished)} (logs in {SlurmExecutor.ScriptDir(plan)}/logs)");
                    foreach (var s in plan.Stages)
                        StageStatsMerger.Merge(s);
                    Console.WriteLine($"done: {plan.FinalDir}");
                }
                return 0;
            }
            new LocalExecutor(parse.GetValue(workers) ?? loaded.Workers, parse.GetValue(shardIndex), parse.GetValue(shardCount), Console.Out)
                .Run(plan, parse.GetValue(stage));
            Console.WriteLine($"done: {plan.FinalDir}");
            return 0;
        });
        return command;
    }

    internal static Option<string> RecipeOption() => new("--recipe") { Description = "Curation recipe (YAML), e.g. configs/curate-fineweb2.yaml.", Required = true };

    static Command RunTaskCommand()
    {
        var recipe = RecipeOption();
        var stage = new Option<string>("--stage") { Description = "Stage id (extract, dedup.signatures, …).", Required = true };
        var task = new Option<int?>("--task") { Description = "Task index (default: --task-offset + $SLURM_ARRAY_TASK_ID)." };
        var offset = new Option<int>("--task-offset") { Description = "Added to $SLURM_ARRAY_TASK_ID (arrays split at MaxArraySize).", DefaultValueFactory = _ => 0 };
        var command = new Command("run-task", "Run one task of one stage (what Slurm array jobs call).");
        foreach (var o in new Option[] { recipe, stage, task, offset })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var plan = CurationPlan.Create(CurationRecipe.Load(parse.GetValue(recipe)!));
            var planStage = plan.Stage(parse.GetValue(stage)!);
            var index = parse.GetValue(task) ?? parse.GetValue(offset) + (int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), out var id) ? id
                : throw new Curation.Errors.RecipeException("--task not given and SLURM_ARRAY_TASK_ID not set"));
            if (index >= planStage.TaskCount)
                return 0; // the last array chunk may be larger than the stage
            var ran = TaskRunner.Run(plan, planStage, index);
            Console.WriteLine($"{planStage.Id} task {index}: {(ran ? "done" : "already complete")}");
            if (planStage.AllDone())
                StageStatsMerger.Merge(planStage);
            return 0;
        });
        return command;
    }

    /// <summary>How to start this same pharos from a batch script: the apphost, or `dotnet pharos.dll`.</summary>
    internal static string SelfCommand()
    {
        var process = Environment.ProcessPath ?? "pharos";
        var dll = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && dll is not null ? $"'{process}' '{dll}'" : $"'{process}'";
    }
}
