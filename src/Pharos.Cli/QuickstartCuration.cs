// The quickstart's first step, and the one place where curated web text meets training: `pharos curate` with the plan's
// recipe on its committed input (the bundled crawl) into <run>/curated, the curation report and FineWeb2's rehydration
// weights. CPT's monolingual source then names the final stage's language folders and the weights file as they stand:
// CPT's shard path tokenizes each curated file once and repeats each document by its cluster size's weight.
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;
using Pharos.Curation.Rehydration;
using Pharos.Curation.Reports;
using Pharos.Training.Datasets.Shards;
using Pharos.Training.Recipes;

namespace Pharos.Cli;

/// <summary>One curated file CPT reads: its language, path, documents, and how many it makes with rehydration's copies.</summary>
internal sealed record CuratedShard(string Language, string File, long Documents, long WithCopies);

/// <summary>What curation produced for CPT: the run's summary, the copies per cluster size (and their file) and the shards.</summary>
internal sealed record CuratedData(string Recipe, string Folder, CurationSummary Summary, string Rehydration, IReadOnlyDictionary<long, int> Weights,
    string? WeightsFile, IReadOnlyList<string> LanguageFolders, IReadOnlyList<CuratedShard> Shards)
{
    public IReadOnlyList<string> Files => [.. Shards.Select(s => s.File)];
    public long DocumentsFor(string language) => Shards.Where(s => s.Language == language).Sum(s => s.WithCopies);
}

internal static class QuickstartCuration
{
    /// <summary>The curation plan writing into <paramref name="folder"/>, checked (recipe, inputs, languages, scheme) before anything runs.</summary>
    public static CurationPlan Prepare(CurationStepPlan step, string recipePath, string folder)
    {
        if (step.Languages.Count == 0)
            throw new Models.Errors.PharosException("curation.languages: name the languages whose curated documents feed CPT");
        if (step.Rehydration is not ("rates" or "table" or "none"))
            throw new Models.Errors.PharosException($"curation.rehydration: \"{step.Rehydration}\" is not rates, table or none");
        var recipe = CurationRecipe.Load(recipePath);
        recipe.Output.Dir = folder;
        return CurationPlan.Create(recipe);
    }

    public static CuratedData Run(CurationStepPlan step, CurationPlan plan, string recipeName, TextWriter log)
    {
        new LocalExecutor(Math.Clamp(plan.Recipe.Workers, 1, Environment.ProcessorCount), log: log).Run(plan);
        CurationReport.Write(plan, Path.Combine(plan.OutputDir, "report"));
        var summary = CurationSummary.From(plan);

        // The weights file `pharos curate rehydrate` writes; "none" leaves every document once.
        SortedDictionary<long, int> weights = [];
        string? weightsFile = null;
        if (step.Rehydration != "none")
        {
            weights = RehydrationPlan.Weights(plan, step.Rehydration, step.MaxCopies);
            weightsFile = Path.Combine(plan.OutputDir, "rehydration.json");
            RehydrationPlan.WriteWeights(weightsFile, weights);
        }
        var folders = new List<string>();
        var shards = new List<CuratedShard>();
        foreach (var language in step.Languages)
        {
            var dir = Path.Combine(plan.FinalDir, language);
            if (!Directory.Exists(dir))
                continue;
            folders.Add(dir);
            // The files CPT's shard path finds in the folder, counted as it will count them.
            foreach (var file in TokenizeInput.Expand(dir))
            {
                var docs = ReaderFactory.For(file, "auto", new ReaderOptions()).Read(file, new Quarantine()).ToList();
                shards.Add(new CuratedShard(language, file, docs.Count, docs.Sum(d => (long)RehydrationPlan.Copies(d, weights))));
            }
        }
        if (shards.Sum(s => s.Documents) == 0)
            throw new Models.Errors.PharosException($"curation kept no documents in {string.Join(", ", step.Languages)} (see {Path.Combine(plan.OutputDir, "report", "index.html")})");
        return new CuratedData(recipeName, plan.OutputDir, summary, step.Rehydration, weights, weightsFile, folders, shards);
    }
}
