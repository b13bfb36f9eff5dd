// Runs a recipe chain stage by stage: a stage whose manifest records all its steps is skipped, one with checkpoints
// resumes from the newest, the rest start fresh. Overrides (--set) apply to every stage.
using System.Text.Json.Nodes;
using Pharos.Training.Checkpoints;
using Pharos.Training.Distributed;
using Pharos.Training.Logging;

namespace Pharos.Training.Recipes;

public enum StageOutcome { Ran, Resumed, Skipped }

public sealed record ChainStage(string File, Recipe Recipe, StageOutcome Outcome, StageResult? Result);

public static class ChainRunner
{
    /// <param name="observerFor">progress display per stage (the CLI's progress bar); null = none</param>
    public static List<ChainStage> Run(string path, IReadOnlyList<string>? overrides = null, Func<Recipe, Func<ITrainingObserver, StageResult>, StageResult>? observerFor = null,
        Action<string>? message = null, IProcessGroup? group = null)
    {
        var files = RecipeChain.StageFiles(path);
        // Every stage is checked before the first one runs: a typo in the last recipe should not cost the first stage's hours.
        var recipes = files.Select(f => RecipeBinder.Load(f, overrides)).ToList();
        var done = new List<ChainStage>();
        for (int i = 0; i < files.Count; i++)
        {
            var recipe = recipes[i];
            var output = Path.GetFullPath(recipe.Output);
            if (Finished(output, recipe.Train.MaxSteps))
            {
                message?.Invoke($"{Path.GetFileName(files[i])}: done already ({output}), skipped");
                done.Add(new ChainStage(files[i], recipe, StageOutcome.Skipped, null));
                continue;
            }
            bool resume = new CheckpointStore(Path.Combine(output, "checkpoints"), recipe.Train.KeepLast).Latest() is not null;
            message?.Invoke($"{Path.GetFileName(files[i])}: {(resume ? "resuming" : "starting")} stage {recipe.Stage} → {output}");
            var result = observerFor is null
                ? StageRunner.Run(recipe, resume: resume ? "latest" : null, group: group)
                : observerFor(recipe, observer => StageRunner.Run(recipe, observer, resume ? "latest" : null, group: group));
            done.Add(new ChainStage(files[i], recipe, resume ? StageOutcome.Resumed : StageOutcome.Ran, result));
        }
        return done;
    }

    static bool Finished(string output, int maxSteps)
    {
        var manifest = Path.Combine(output, "manifest.json");
        if (!File.Exists(manifest)) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(manifest))?["steps"]?.GetValue<int>() >= maxSteps;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
