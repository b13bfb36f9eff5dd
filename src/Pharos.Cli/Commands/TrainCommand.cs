// `pharos train --recipe FILE [--set key=value]… [--resume [CHECKPOINT]]`: runs one stage from a YAML recipe, in one
// process or on every rank of an mpirun/srun job.
using System.CommandLine;
using Pharos.Training;
using Pharos.Training.Recipes;

namespace Pharos.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var recipe = new Option<string>("--recipe") { Description = "YAML recipe (see configs/).", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override a recipe field, e.g. --set train.lr=2e-4 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var resume = new Option<string?>("--resume") { Description = "Continue from the newest checkpoint of the run (or the checkpoint folder given).", Arity = ArgumentArity.ZeroOrOne };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first bad record instead of skipping and counting it." };
        var command = new Command("train", "Train one stage (cpt, sft, dpo or grpo; full fine-tuning, LoRA or SparseLoRA) from a YAML recipe.");
        foreach (var o in new Option[] { recipe, set, resume, strict }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var overrides = (parse.GetValue(set) ?? []).ToList();
            if (parse.GetValue(strict)) overrides.Add("data.strict=true");
            var r = RecipeBinder.Load(parse.GetValue(recipe)!, overrides);
            string? resumeFrom = parse.GetResult(resume) is null ? null : parse.GetValue(resume) ?? "latest";
            // Under mpirun/srun every rank runs the stage; rank 0 shows progress and the summary.
            return RankedRun.Run(parse, group =>
            {
                var result = group.Rank == 0
                    ? TrainingProgress.Show(r.Stage, observer => StageRunner.Run(r, observer, resumeFrom, group: group))
                    : StageRunner.Run(r, resume: resumeFrom, group: group);
                if (group.Rank == 0) StageSummary.Print(result);
                return 0;
            });
        });
        return command;
    }
}
