// End to end on the local executor: recipe → LID → per-language shards → MinHash → filters; balanced stats, resume, bad records.
using System.Text.Json;
using Pharos.Curation.Errors;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;
using Pharos.Tests;

namespace Pharos.Curation.Tests.Pipeline;

public sealed class PipelineTests
{
    static readonly string[] English = ["The weather in the mountains was cold and the river was frozen for most of the winter.", "Children in the village walked to school together every morning before sunrise."];
    static readonly string[] German = ["Das Wetter in den Bergen war kalt und der Fluss war den größten Teil des Winters gefroren.", "Die Kinder aus dem Dorf gingen jeden Morgen vor Sonnenaufgang gemeinsam zur Schule."];
    static readonly string[] French = ["Le temps dans les montagnes était froid et la rivière est restée gelée pendant presque tout l'hiver.", "Les enfants du village allaient à l'école ensemble chaque matin avant le lever du soleil."];

    internal static string WriteCorpus(TempDir dir)
    {
        var input = Directory.CreateDirectory(Path.Combine(dir.Path, "input")).FullName;
        for (var f = 0; f < 3; f++)
        {
            var lines = new List<string>();
            for (var i = 0; i < 12; i++)
            {
                var source = (i % 3) switch { 0 => English, 1 => German, _ => French };
                // Each document is unique (its number), except doc 0 which is the same in every file: two of those must go.
                var n = i == 0 ? 0 : f * 100 + i;
                var rng = new Random(n);
                // Shuffled words of the language: the language stays recognisable, the 5-gram shingles are new.
                var vocabulary = string.Join(' ', source).TrimEnd('.').Split(' ');
                string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => vocabulary[rng.Next(vocabulary.Length)]));
                var text = string.Join("\n", Enumerable.Range(0, 2).Select(k => $"{source[k]} {Words(25)}."));
                lines.Add(JsonSerializer.Serialize(new { text, id = $"f{f}-{i}", url = $"https://site{f}.example/{i}" }));
            }
            if (f == 1)
                lines.Insert(5, "{not json");
            File.WriteAllLines(Path.Combine(input, $"part{f}.jsonl"), lines);
        }
        var model = RepoPaths.Samples("models", "lid.176.ftz");
        var recipe = Path.Combine(dir.Path, "curate.yaml");
        File.WriteAllText(recipe, $"""
            input:
              paths: [input]
            output:
              dir: out
              format: jsonl.zst
            workers: 2
            stages:
              - name: extract
                steps:
                  - url_filter: {"{"}blocked_domains: [site9.example]{"}"}
                  - language_id: {"{"}model: {model}{"}"}
                  - language_score: {"{"}threshold: 0.3{"}"}
              - name: dedup
                minhash: {"{"}bands: 14, rows: 8{"}"}
              - name: filter
                steps:
                  - gopher_repetition: {"{"}dup_line_frac: -1{"}"}
                  - gopher_quality: {"{"}min_doc_words: 20, languages: [en]{"}"}
                  - pii: {"{"}{"}"}
                  - table_artifacts: {"{"}{"}"}
            """);
        return recipe;
    }

    [Fact]
    public void RunsEndToEndAndResumes()
    {
        using var dir = new TempDir();
        var recipePath = WriteCorpus(dir);
        var plan = CurationPlan.Create(CurationRecipe.Load(recipePath));
        Assert.Equal(["extract", "dedup.signatures", "dedup.buckets", "dedup.clusters", "dedup", "filter"], plan.Stages.Select(s => s.Id));
        new LocalExecutor(2).Run(plan);

        var extract = TaskStats.Read(Path.Combine(plan.OutputDir, "extract", "stats.json"));
        Assert.Equal(37, extract.In);
        Assert.Equal(1, extract.Quarantined);
        Assert.Equal(1, extract.QuarantinedByCode["invalid_json"]);
        Assert.True(extract.Balanced);
        Assert.Equal(new[] { "de", "en", "fr" }, extract.KeptByLanguage.Keys);
        var dedup = TaskStats.Read(Path.Combine(plan.OutputDir, "dedup", "stats.json"));
        Assert.Equal(2, dedup.Dropped); // the document repeated in three files is kept once
        Assert.Equal(2, dedup.Steps[0].DroppedByReason["minhash_duplicate"]);
        Assert.True(dedup.Balanced);
        var final = TaskStats.Read(Path.Combine(plan.OutputDir, "filter", "stats.json"));
        Assert.True(final.Balanced);
        Assert.Equal(34, final.In);

        var docs = ReadShards(Path.Combine(plan.OutputDir, "filter"));
        Assert.Equal(final.Kept, docs.Count);
        Assert.Contains(docs, d => (long)d.Metadata["minhash_cluster_size"]! == 3);
        Assert.All(docs, d => Assert.True(d.GetDouble("language_score") >= 0.3));

        // Resume: a lost task of the last stage is the only work a rerun does, and its output comes back the same.
        var stage = plan.Stages[^1];
        var shard = Directory.GetFiles(stage.StageDir, "00001.jsonl.zst", SearchOption.AllDirectories);
        var before = shard.ToDictionary(f => f, File.ReadAllBytes);
        File.Delete(stage.MarkerFile(1));
        foreach (var f in shard) File.Delete(f);
        File.WriteAllText(shard[0] + ".pharos-tmp", "half-written by a killed run");
        var log = new StringWriter();
        new LocalExecutor(2, log: log).Run(CurationPlan.Create(CurationRecipe.Load(recipePath)));
        Assert.Contains("filter: 1 of 3 tasks to run (2 already complete)", log.ToString());
        Assert.Contains("extract: 0 of 3 tasks to run", log.ToString());
        foreach (var (f, bytes) in before)
            Assert.Equal(bytes, File.ReadAllBytes(f));
        Assert.Equal(final.Kept, ReadShards(Path.Combine(plan.OutputDir, "filter")).Count);
    }

    [Fact]
    public void ShardsSplitTasksAcrossMachines()
    {
        using var dir = new TempDir();
        var plan = CurationPlan.Create(CurationRecipe.Load(WriteCorpus(dir)));
        var log = new StringWriter();
        new LocalExecutor(1, shardIndex: 0, shardCount: 2, log: log).Run(plan);
        Assert.True(plan.Stages[0].IsDone(0) && plan.Stages[0].IsDone(2) && !plan.Stages[0].IsDone(1));
        Assert.Contains("waiting for other shards", log.ToString());
        // Each machine reruns until the stages it waits on are complete (what a cron or a Slurm dependency would do).
        for (var round = 0; round < 8 && !plan.Stages.All(s => s.AllDone()); round++)
            new LocalExecutor(1, shardIndex: (round + 1) % 2, shardCount: 2).Run(plan);
        Assert.All(plan.Stages, s => Assert.True(s.AllDone(), s.Id));
    }

    [Fact]
    public void RecipeErrorsNameTheKey()
    {
        var e = Assert.Throws<RecipeException>(() => CurationRecipe.Parse("input: {paths: [a]}\nstages: [{name: x, steps: []}]\nworkerz: 3\n", "r.yaml"));
        Assert.Contains("workerz", e.Message);
        var step = Assert.Throws<RecipeException>(() => StepFactory.Build(new StageSection { Name = "s", Steps = [new() { ["pii"] = new() { ["remove_phones"] = true } }] },
            new StepContext(Pharos.Curation.Filters.LanguageTable.Load(), p => p)));
        Assert.Contains("remove_phones", step.Message);
        Assert.Throws<RecipeException>(() => StepFactory.Build(new StageSection { Name = "s", Steps = [new() { ["nope"] = null }] }, new StepContext(Pharos.Curation.Filters.LanguageTable.Load(), p => p)));
    }

    [Fact]
    public void ShippedFineWeb2RecipeParses()
    {
        var recipe = CurationRecipe.Load(RepoPaths.Root + "/configs/curate-fineweb2.yaml");
        Assert.Equal(["extract", "dedup", "filter"], recipe.Stages.Select(s => s.Name));
        var steps = recipe.Stages[2].Steps!.Select(s => s.Keys.Single()).ToList();
        Assert.Equal(["gopher_repetition", "fineweb_quality", "gopher_quality", "c4_quality", "encoding_fix", "pii", "table_artifacts"], steps);
    }

    internal static List<Document> ReadShards(string path)
    {
        IEnumerable<string> files = File.Exists(path) ? [path] : Directory.GetFiles(path, "*.jsonl.zst", SearchOption.AllDirectories).Where(f => !f.Contains("_rejected")).Order();
        return [.. files.SelectMany(f => new JsonlReader(new()).Read(f, new Quarantine()))];
    }
}
