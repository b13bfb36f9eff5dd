// `pharos recipe run FILE [--set key=value]…`: runs a chain of stages (CPT → SFT → WPO → GRPO) or one stage recipe;
// finished stages are skipped and interrupted ones resume, so rerunning the command continues where it stopped.
using System.CommandLine;
using Pharos.Training.Recipes;

namespace Pharos.Cli.Commands;

internal static class RecipeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A chain recipe (chain: [stage.yaml, …]) or a single stage recipe." };
        var set = new Option<string[]>("--set") { Description = "Override a field in every stage, e.g. --set train.max_steps=10 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var run = new Command("run", "Run every stage of a recipe chain in order, skipping finished stages and resuming interrupted ones.");
        run.Arguments.Add(file);
        run.Options.Add(set);
        run.SetAction(parse => RankedRun.Run(parse, group =>
        {
            // Under mpirun/srun every rank runs the chain; rank 0 shows progress and the summaries.
            bool writer = group.Rank == 0;
            var stages = ChainRunner.Run(parse.GetValue(file)!, parse.GetValue(set) ?? [],
                writer ? (recipe, body) => TrainingProgress.Show(recipe.Stage, body) : null, writer ? Console.WriteLine : null, group);
            foreach (var s in stages.Where(_ => writer))
            {
                Console.WriteLine($"{Path.GetFileName(s.File)}: {s.Recipe.Stage} {s.Outcome.ToString().ToLowerInvariant()}");
                if (s.Result is not null) StageSummary.Print(s.Result);
            }
            return 0;
        }));
        var command = new Command("recipe", "Recipe chains: the whole Tower+-style recipe as one command.");
        command.Subcommands.Add(run);
        return command;
    }
}
