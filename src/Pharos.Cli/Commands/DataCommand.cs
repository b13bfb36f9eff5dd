// `pharos data tokenize`: turns training inputs (JSONL/Parquet files, folders of them such as a curation output) into
// memory-mapped token shards ahead of a stage, on local workers or as a Slurm job array (one task per input file; a rerun
// does only what is missing). `run-task` is what each array task runs.
using System.CommandLine;
using Pharos.Curation.Pipeline;
using Pharos.Models.Errors;
using Pharos.Training.Datasets.Shards;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;

namespace Pharos.Cli.Commands;

internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Training data tools.");
        command.Subcommands.Add(TokenizeCommand());
        return command;
    }

    static Command TokenizeCommand()
    {
        var recipe = new Option<string?>("--recipe") { Description = "Tokenize this stage recipe's sources into its shards folder (data.shards, default OUTPUT/shards)." };
        var set = new Option<string[]>("--set") { Description = "Override a recipe field (repeatable).", AllowMultipleArgumentsPerToken = false };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Folder with tokenizer.json (and tokenizer_config.json for the chat template), without --recipe." };
        var input = new Option<string[]>("--input") { Description = "JSONL (.gz/.zst) or Parquet files, or folders of them (a `pharos curate` output), without --recipe.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--output") { Description = "Shards folder, without --recipe." };
        var rehydration = new Option<string?>("--rehydration") { Description = "Rehydration weights from `pharos curate rehydrate`: documents repeated by MinHash cluster size." };
        var workers = new Option<int>("--workers") { Description = "Files tokenized in parallel (0: one per core).", DefaultValueFactory = _ => 0 };
        var executor = new Option<string>("--executor") { Description = "local or slurm.", DefaultValueFactory = _ => "local" };
        executor.AcceptOnlyFromAmong("local", "slurm");
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var time = new Option<string>("--time") { Description = "Slurm time limit per task.", DefaultValueFactory = _ => "24:00:00" };
        var wait = new Option<bool>("--wait") { Description = "Slurm: wait until the jobs finish and check every task completed." };
        var timeout = new Option<int>("--wait-timeout") { Description = "Slurm --wait limit in seconds.", DefaultValueFactory = _ => 86_400 };
        var command = new Command("tokenize", "Tokenize training inputs into memory-mapped token shards (ids, document index, loss masks) with a manifest; stages read them without tokenizing again.");
        foreach (var o in new Option[] { recipe, set, tokenizer, input, output, rehydration, workers, executor, partition, time, wait, timeout })
            command.Options.Add(o);
        command.Subcommands.Add(RunTaskCommand());
        command.SetAction(parse =>
        {
            var plan = Plan(parse.GetValue(recipe), parse.GetValue(set) ?? [], parse.GetValue(tokenizer), parse.GetValue(input) ?? [], parse.GetValue(output), parse.GetValue(rehydration));
            if (parse.GetValue(executor) == "slurm")
            {
                plan.Slurm = new SlurmSection { Partition = parse.GetValue(partition), Time = parse.GetValue(time)! };
                var jobs = new SlurmExecutor(CurateCommand.SelfCommand(), Console.Out).Submit(plan);
                if (parse.GetValue(wait) && jobs.Count > 0)
                {
                    SlurmExecutor.Wait(jobs, TimeSpan.FromSeconds(parse.GetValue(timeout)));
                    if (!plan.AllDone())
                        throw new PharosException($"Slurm jobs ended with {plan.Inputs.Count(i => plan.Marker(i) is null)} files not tokenized (logs in {SlurmExecutor.ScriptDir(plan)}/logs)");
                }
                if (plan.AllDone()) plan.StageComplete(plan, Console.Out);
                return 0;
            }
            new LocalExecutor(parse.GetValue(workers) is > 0 and var n ? n : Environment.ProcessorCount, log: Console.Out).Run(plan);
            return 0;
        });
        return command;
    }

    static TokenizePlan Plan(string? recipePath, string[] overrides, string? tokenizerFolder, string[] inputs, string? output, string? rehydration)
    {
        if (recipePath is not null)
        {
            if (tokenizerFolder is not null || inputs.Length > 0 || output is not null)
                throw new PharosException("--recipe takes the tokenizer, inputs and shards folder from the recipe: leave out --tokenizer, --input and --output");
            var r = RecipeBinder.Load(recipePath, overrides);
            var folder = r.Model.Tokenizer.Length > 0 ? r.Model.Tokenizer : r.Model.Path;
            if (folder.Length == 0) throw new PharosException($"{recipePath}: model.tokenizer (or model.path) names no tokenizer folder");
            var shards = r.Data.Shards.Length > 0 ? r.Data.Shards : Path.Combine(Path.GetFullPath(r.Output), "shards");
            var recipeInputs = r.Data.Sources.SelectMany(s => s.Paths.Where(p => !TokenShards.IsShardFolder(p)).SelectMany(TokenizeInput.Expand)
                .Select(f => new TokenizeInput(f, s.Rehydration.Length > 0 ? Path.GetFullPath(s.Rehydration) : null)));
            return TokenizePlan.Create(shards, TokenizerLoader.Load(folder), recipeInputs);
        }
        if (tokenizerFolder is null || inputs.Length == 0 || output is null)
            throw new PharosException("give --recipe, or --tokenizer, --input and --output");
        var weights = rehydration is null ? null : Path.GetFullPath(rehydration);
        return TokenizePlan.Create(output, TokenizerLoader.Load(tokenizerFolder), inputs.SelectMany(TokenizeInput.Expand).Select(f => new TokenizeInput(f, weights)));
    }

    static Command RunTaskCommand()
    {
        var plan = new Option<string>("--plan") { Description = "The shards folder's tokenize.json.", Required = true };
        var task = new Option<int?>("--task") { Description = "Task (input) index (default: --task-offset + $SLURM_ARRAY_TASK_ID)." };
        var offset = new Option<int>("--task-offset") { Description = "Added to $SLURM_ARRAY_TASK_ID (arrays split at MaxArraySize).", DefaultValueFactory = _ => 0 };
        var command = new Command("run-task", "Tokenize one input file of a plan (what Slurm array jobs call).");
        foreach (var o in new Option[] { plan, task, offset }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var loaded = TokenizePlan.Load(parse.GetValue(plan)!);
            var index = parse.GetValue(task) ?? parse.GetValue(offset) + (int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), out var id) ? id
                : throw new PharosException("--task not given and SLURM_ARRAY_TASK_ID not set"));
            if (index >= loaded.TaskCount) return 0; // the last array chunk may be larger than the plan
            var ran = loaded.RunTask(loaded, index);
            Console.WriteLine($"tokenize task {index}: {(ran ? "done" : "already complete")} ({loaded.Inputs[index].Path})");
            if (loaded.AllDone()) loaded.StageComplete(loaded, Console.Out);
            return 0;
        });
        return command;
    }
}
