// The quickstart's first step, and the one place where curated web text meets training: `pharos curate` with the plan's
// recipe on its committed input (the bundled crawl) into <run>/curated, the curation report, FineWeb2's rehydration
// weights, and the repeated per-language shards that become CPT's monolingual source. When training reads token shards,
// this is what changes: Files would be tokenized here instead of read as JSONL by CPT.
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;
using Pharos.Curation.Rehydration;
using Pharos.Curation.Reports;
using Pharos.Training.Recipes;

namespace Pharos.Cli;

/// <summary>One curated shard CPT reads: its language, path and documents (after rehydration's copies).</summary>
internal sealed record CuratedShard(string Language, string File, long Documents);

/// <summary>What curation produced for CPT: the run's summary, the copies per cluster size and the shards.</summary>
internal sealed record CuratedData(string Recipe, string Folder, CurationSummary Summary, string Rehydration, IReadOnlyDictionary<long, int> Weights,
    IReadOnlyList<CuratedShard> Shards)
{
    public IReadOnlyList<string> Files => [.. Shards.Select(s => s.File)];
    public long DocumentsFor(string language) => Shards.Where(s => s.Language == language).Sum(s => s.Documents);
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

        // Rehydration repeats each kept document by its cluster size's weight; "none" reads the final shards as they are.
        SortedDictionary<long, int> weights = [];
        var shardsDir = plan.FinalDir;
        if (step.Rehydration != "none")
        {
            weights = RehydrationPlan.Weights(plan, step.Rehydration, step.MaxCopies);
            RehydrationPlan.WriteWeights(Path.Combine(plan.OutputDir, "rehydration.json"), weights);
            shardsDir = Path.Combine(plan.OutputDir, "mix");
            RehydrationPlan.WriteMix(plan, weights, shardsDir, plan.Recipe.Output.Format);
        }
        var shards = new List<CuratedShard>();
        foreach (var language in step.Languages)
        {
            var dir = Path.Combine(shardsDir, language);
            if (!Directory.Exists(dir))
                continue;
            foreach (var file in Directory.EnumerateFiles(dir).Where(f => !f.EndsWith(Curation.Writers.AtomicFile.TempSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                shards.Add(new CuratedShard(language, file, ReaderFactory.For(file, "auto", new ReaderOptions()).Read(file, new Quarantine()).LongCount()));
        }
        if (shards.Sum(s => s.Documents) == 0)
            throw new Models.Errors.PharosException($"curation kept no documents in {string.Join(", ", step.Languages)} (see {Path.Combine(plan.OutputDir, "report", "index.html")})");
        return new CuratedData(recipeName, plan.OutputDir, summary, step.Rehydration, weights, shards);
    }
}
