// A recipe turned into schedulable stages with fixed task counts (tasks = input shards), known before anything runs (Slurm needs that).
using Pharos.IO;
using Pharos.Curation.Errors;
using Pharos.Curation.Filters;
using Pharos.Curation.Readers;

namespace Pharos.Curation.Pipeline;

public sealed class CurationPlan : ITaskPlan
{
    CurationPlan(CurationRecipe recipe, IReadOnlyList<string> inputs, IReadOnlyList<PlanStage> stages, LanguageTable table)
    {
        Recipe = recipe;
        Inputs = inputs;
        Stages = stages;
        Table = table;
    }

    public CurationRecipe Recipe { get; }
    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<PlanStage> Stages { get; }
    public LanguageTable Table { get; }
    public string OutputDir => Recipe.Resolve(Recipe.Output.Dir);
    /// <summary>The folder holding the final per-language shards (the last stage's output).</summary>
    public string FinalDir => Stages[^1].StageDir;

    public static CurationPlan Create(CurationRecipe recipe)
    {
        var inputs = ExpandInputs(recipe);
        if (inputs.Count == 0)
            throw new RecipeException($"input.paths matched no files ({string.Join(", ", recipe.Input.Paths)})");
        var table = LanguageTable.Load(recipe.LanguageTables is null ? null : recipe.Resolve(recipe.LanguageTables));
        var output = recipe.Resolve(recipe.Output.Dir);
        var stages = new List<PlanStage>();
        string? previous = null;
        var n = inputs.Count;
        foreach (var s in recipe.Stages)
        {
            var dir = Path.Combine(output, s.Name);
            if (s.MinHash is { } m)
            {
                stages.Add(new PlanStage(s.Name, StageKind.Signatures, n, s, previous, dir));
                stages.Add(new PlanStage(s.Name, StageKind.Buckets, m.Bands, s, previous, dir));
                stages.Add(new PlanStage(s.Name, StageKind.Clusters, Math.Max(1, m.ClusterTasks), s, previous, dir));
                stages.Add(new PlanStage(s.Name, StageKind.DedupFilter, n, s, previous, dir));
            }
            else
                stages.Add(new PlanStage(s.Name, StageKind.Process, n, s, previous, dir));
            previous = s.Name;
        }
        return new CurationPlan(recipe, inputs, stages, table);
    }

    IReadOnlyList<ITaskStage> ITaskPlan.TaskStages => Stages;

    SlurmSection ITaskPlan.Slurm => Recipe.Slurm;

    bool ITaskPlan.RunTask(ITaskStage stage, int task) => TaskRunner.Run(this, (PlanStage)stage, task);

    void ITaskPlan.StageComplete(ITaskStage stage, TextWriter? log)
    {
        var planStage = (PlanStage)stage;
        var merged = StageStatsMerger.Merge(planStage);
        if (merged is not null && planStage.Kind is StageKind.Process or StageKind.DedupFilter)
            log?.WriteLine($"{stage.Id}: in {merged.In}, kept {merged.Kept}, dropped {merged.Dropped}, quarantined {merged.Quarantined}");
    }

    /// <summary>Set by the CLI: the recipe file a batch job reloads (the plan itself is rebuilt from it).</summary>
    public string? RecipePath { get; set; }

    string ITaskPlan.TaskCommand(ITaskStage stage) =>
        $"curate run-task --recipe {ShellQuote.Quote(RecipePath ?? throw new InvalidOperationException("RecipePath is needed to submit to Slurm"))} --stage {stage.Id}";

    public PlanStage Stage(string id) => Stages.FirstOrDefault(s => s.Id == id)
        ?? throw new RecipeException($"no stage \"{id}\" (stages: {string.Join(", ", Stages.Select(s => s.Id))})");

    /// <summary>The files task <paramref name="task"/> of <paramref name="stage"/> reads: its raw input, or the previous stage's shards of that task in every language.</summary>
    public IReadOnlyList<string> TaskInputs(PlanStage stage, int task)
    {
        if (stage.InputStage is null)
            return [Inputs[task]];
        var dir = Path.Combine(OutputDir, stage.InputStage);
        if (!Directory.Exists(dir))
            return [];
        var prefix = $"{task:D5}.";
        return [.. Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('_')).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d).Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal)
                && !f.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))];
    }

    static List<string> ExpandInputs(CurationRecipe recipe)
    {
        var files = new List<string>();
        foreach (var raw in recipe.Input.Paths)
        {
            var path = recipe.Resolve(raw);
            if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsData).Order(StringComparer.Ordinal));
            else if (Path.GetFileName(path).Contains('*'))
            {
                var dir = Path.GetDirectoryName(path)!;
                if (Directory.Exists(dir))
                    files.AddRange(Directory.EnumerateFiles(dir, Path.GetFileName(path)).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
                files.Add(path);
            else
                throw new RecipeException($"input not found: {raw}");
        }
        return files;
    }

    static bool IsData(string f) => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal);

    internal ReaderOptions ReaderOptions => new()
    {
        TextKey = Recipe.Input.TextKey,
        IdKey = Recipe.Input.IdKey,
        TextPerLine = Recipe.Input.TextPerLine,
        ExtractTimeout = TimeSpan.FromSeconds(Recipe.Input.ExtractTimeoutSeconds),
    };
}
