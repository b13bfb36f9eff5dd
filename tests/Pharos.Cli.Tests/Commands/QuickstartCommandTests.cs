// `pharos quickstart` end to end with few steps (one run shared by the tests, QuickstartRun): the bundled crawl is
// curated exactly as `pharos curate` alone curates it and CPT reads the curated shards with `pharos curate rehydrate`'s
// weights through its token shards, all four stages run (CPT and SFT from token shards), the model is evaluated before
// CPT and after each stage, and the tables, summary.json, per-stage eval runs and the HTML report with its plots are
// written. The quickstart's scores are the numbers `pharos eval` gives.
using System.Text.Json.Nodes;
using Pharos.IO;
using Pharos.Tests;
using Pharos.Training.Datasets.Shards;

namespace Pharos.Cli.Tests.Commands;

public class QuickstartCommandTests(QuickstartRun run) : IClassFixture<QuickstartRun>
{
    [Fact]
    public void Runs_cpt_sft_wpo_grpo_with_an_evaluation_before_and_after_each_stage()
    {
        var (r, output, temp) = (run.Result, run.Output, run.Temp);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("What each stage changed", r.Stdout);

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "summary.json")))!;
        var rows = summary["checkpoints"]!.AsArray();
        Assert.Equal(["init", "cpt", "sft", "wpo", "grpo"], rows.Select(x => (string)x!["checkpoint"]!));
        // CPT from scratch learns something even in 12 steps; every stage after init has a loss before and after.
        Assert.True((double)rows[1]!["eval_loss_after"]! < (double)rows[1]!["eval_loss_before"]!);
        foreach (var row in rows.Skip(1).Take(3)) Assert.NotNull(row!["eval_loss_after"]);
        Assert.Equal("reward accuracy", (string?)rows[3]!["signal"]);
        Assert.Equal("mean reward", (string?)rows[4]!["signal"]);
        foreach (var row in rows)
        {
            Assert.InRange((double)row!["translation_chrf"]!, 0, 100);
            Assert.InRange((double)row["ifmt_inst_level_acc"]!, 0, 1);
            Assert.InRange((double)row["ifeval_inst_level_strict_acc"]!, 0, 1);
        }

        // CPT and SFT read their rows from token shards made on the way (one per input file, with the tokenizer's hash):
        // CPT's are the curated files, the parallel text and the instructions.
        var curatedFiles = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "summary.json")))!["curation"]!["cpt_shards"]!.AsArray().Count;
        foreach (var (stage, inputs) in new[] { ("cpt", curatedFiles + 2), ("sft", 3) })
        {
            var shards = Path.Combine(output, stage, "shards");
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(shards, "manifest.json")))!;
            Assert.True((long)manifest["tokens"]! > 0, stage);
            Assert.False(string.IsNullOrEmpty((string?)manifest["tokenizer_hash"]), stage);
            var sources = manifest["sources"]!.AsArray();
            Assert.Equal(inputs, sources.Count);
            foreach (var source in sources)
                Assert.True(File.Exists(Path.Combine(shards, (string)source!["shard"]!)), $"{stage}: {source!["shard"]}");
        }

        // The pieces each stage leaves: pairs with scores, the cached reference log-probs, the GRPO completions.
        var pairs = File.ReadAllLines(Path.Combine(output, "wpo-pairs.jsonl"));
        Assert.True(pairs.Length >= 2);
        var pair = JsonNode.Parse(pairs[0])!;
        Assert.True((double)pair["score_chosen"]! > (double)pair["score_rejected"]!);
        Assert.True(File.Exists(Path.Combine(output, "wpo", "ref_logps.json")));
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(output, "grpo", "completions.jsonl")));
        Assert.True(File.Exists(Path.Combine(output, "grpo", "model", "model.safetensors")));

        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        foreach (var text in new[] { "Pharos quickstart", "GRPO", "scores_by_stage.png", "loss_cpt_sft.png", "wpo.png", "grpo.png", "ifmt" })
            Assert.Contains(text, html);
        foreach (var png in new[] { "scores_by_stage.png", "loss_cpt_sft.png", "wpo.png", "grpo.png" })
            Assert.True(new FileInfo(Path.Combine(output, "quickstart_plots", png)).Length > 1000, png);

        // Same model, same suite, same settings: `pharos eval` gives the quickstart's number.
        var evalOut = Path.Combine(temp.Path, "eval");
        // One libtorch thread, as the quickstart uses: the same arithmetic, so the same greedy tokens.
        var e = CliProcess.RunWithEnvironment(new Dictionary<string, string> { ["PHAROS_THREADS"] = "1" }, "eval", "--model", Path.Combine(output, "sft", "model"), "--suite", "translation,ifmt", "--limit", "6",
            "--max-tokens", "48", "--batch-size", "16", "--data", "translation=" + RepoPaths.Samples("eval", "translation.jsonl"), "-o", evalOut);
        Assert.True(e.ExitCode == 0, e.Stdout + e.Stderr);
        var fromEval = JsonNode.Parse(File.ReadAllText(Path.Combine(evalOut, "results.json")))!["suites"]!;
        var fromQuickstart = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "eval", "sft", "results.json")))!["suites"]!;
        foreach (var (suite, metric) in new[] { ("translation", "chrF2"), ("translation", "BLEU"), ("ifmt", "inst_level_acc") })
            Assert.Equal((double)fromEval[suite]!["metrics"]![metric]!, (double)fromQuickstart[suite]!["metrics"]![metric]!);
    }

    [Fact]
    public void Curation_section_is_what_pharos_curate_alone_makes_of_the_same_crawl_and_feeds_cpt()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.Stdout + run.Result.Stderr);
        var curation = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "summary.json")))!["curation"]!;
        var recipe = Path.Combine(RepoPaths.Root, (string)curation["recipe"]!);
        var alone = Path.Combine(run.Temp.Path, "curate-alone");
        foreach (var args in new[]
        {
            new[] { "curate", "--recipe", recipe, "--output-dir", alone },
            ["curate", "report", "--recipe", recipe, "--output-dir", alone],
            ["curate", "rehydrate", "--recipe", recipe, "--output-dir", alone, "--scheme", (string)curation["rehydration"]!["scheme"]!, "--write-mix", Path.Combine(alone, "mix")],
        })
        {
            var c = CliProcess.Run(args);
            Assert.True(c.ExitCode == 0, string.Join(' ', args) + "\n" + c.Stdout + c.Stderr);
        }

        // The same summary: records in/kept/dropped/quarantined, stages, drop reasons, per-language counts and clusters.
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(alone, "report", "summary.json")))!;
        Assert.True(JsonNode.DeepEquals(summary, curation["summary"]), $"curate alone:\n{summary}\nquickstart:\n{curation["summary"]}");
        var records = summary["records"]!;
        Assert.Equal((long)records["in"]!, (long)records["kept"]! + (long)records["dropped"]! + (long)records["quarantined"]!);
        Assert.Contains($"Curation: {records["in"]} web pages → {records["kept"]} kept", run.Result.Stdout);

        // The same rehydration weights, and the curated shards CPT read are byte for byte those of `curate` alone.
        var weights = JsonNode.Parse(File.ReadAllText(Path.Combine(alone, "rehydration.json")))!;
        Assert.True(JsonNode.DeepEquals(weights, curation["rehydration"]!["copies_by_cluster_size"]));
        var curated = Path.Combine(run.Output, "curated");
        var shards = curation["cpt_shards"]!.AsArray();
        Assert.NotEmpty(shards);
        foreach (var shard in shards)
        {
            var mine = Path.Combine(run.Output, (string)shard!["file"]!);
            Assert.Equal(File.ReadAllBytes(Path.Combine(alone, Path.GetRelativePath(curated, mine))), File.ReadAllBytes(mine));
        }
        var languages = shards.Select(x => (string)x!["language"]!).Distinct().ToList();
        Assert.Equal(["en", "de", "fr", "es", "it", "pt"], languages);
        var kept = summary["languages"]!.AsArray().Where(l => languages.Contains((string)l!["language"]!)).Sum(l => (long)l!["kept"]!);
        Assert.Equal(kept, shards.Sum(x => (long)x!["documents"]!));

        // CPT's monolingual source is the curated language folders with the weights file, as curation left them.
        var cpt = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "cpt", "manifest.json")))!;
        var source = cpt["recipe"]!["data"]!["sources"]!.AsArray().Single(x => (string)x!["name"]! == "monolingual")!;
        var weightsFile = Path.Combine(curated, "rehydration.json");
        Assert.Equal(Path.Combine(run.Output, (string)curation["cpt_source"]!["rehydration"]!), weightsFile);
        Assert.Equal(weightsFile, (string)source["rehydration"]!);
        Assert.Equal(curation["cpt_source"]!["paths"]!.AsArray().Select(p => Path.Combine(run.Output, (string)p!)), source["paths"]!.AsArray().Select(p => (string)p!));

        // CPT's token shards hold each curated file's documents, repeated as `curate rehydrate --write-mix` repeats them.
        var tokenShards = Path.Combine(run.Output, "cpt", "shards");
        var made = JsonNode.Parse(File.ReadAllText(Path.Combine(tokenShards, "manifest.json")))!["sources"]!.AsArray()
            .Where(x => (string?)x!["rehydration"] == weightsFile).ToDictionary(x => (string)x!["input"]!, x => x!);
        Assert.Equal(shards.Select(x => Path.Combine(run.Output, (string)x!["file"]!)).Order(), made.Keys.Order());
        foreach (var language in languages)
        {
            long copies = 0;
            foreach (var shard in shards.Where(x => (string)x!["language"]! == language))
            {
                var input = made[Path.Combine(run.Output, (string)shard!["file"]!)];
                Assert.Equal((long)shard["documents"]!, (long)input["documents"]!);
                using var tokens = TokenShard.Open(Path.Combine(tokenShards, (string)input["shard"]!));
                for (long d = 0; d < tokens.Documents; d++) copies += tokens.Document(d).Copies;
            }
            var mix = Directory.EnumerateFiles(Path.Combine(alone, "mix", language)).Sum(f => JsonlFile.ReadLines(f).LongCount());
            Assert.Equal(mix, copies);
            Assert.Equal(mix, shards.Where(x => (string)x!["language"]! == language).Sum(x => (long)x!["with_copies"]!));
        }
        Assert.True(shards.Sum(x => (long)x!["with_copies"]!) > kept, "the table's weights repeat some documents");
        var html = File.ReadAllText(Path.Combine(run.Output, "report.html"));
        Assert.Contains("Curation: raw web pages", html);
        Assert.Contains("curated/filter/en/", html);
        Assert.True(File.Exists(Path.Combine(run.Output, "curated", "report", "index.html")));
    }

    [Fact]
    public void Never_deletes_an_output_folder_that_is_not_a_quickstart_run()
    {
        using var temp = new TempDir();
        var precious = Path.Combine(temp.Path, "notes.txt");
        File.WriteAllText(precious, "keep me");
        var r = CliProcess.Run("quickstart", "-o", temp.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a quickstart run", r.Stderr);
        Assert.Equal("keep me", File.ReadAllText(precious));
    }
}
