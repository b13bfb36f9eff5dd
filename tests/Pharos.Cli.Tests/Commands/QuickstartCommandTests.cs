// `pharos quickstart` end to end with few steps: all four stages run (CPT and SFT from token shards), the model is
// evaluated before CPT and after each stage, and the table, summary.json, per-stage eval runs and the HTML report with its
// plots are written. The quickstart's scores are the numbers `pharos eval` gives for the same model.
using System.Text.Json.Nodes;
using Pharos.Tests;

namespace Pharos.Cli.Tests.Commands;

public class QuickstartCommandTests
{
    [Fact]
    public void Runs_cpt_sft_wpo_grpo_with_an_evaluation_before_and_after_each_stage()
    {
        using var temp = new TempDir();
        var output = Path.Combine(temp.Path, "qs");
        var r = CliProcess.Run("quickstart", "-o", output,
            "--set", "cpt.train.max_steps=12", "--set", "cpt.train.eval_every=6",
            "--set", "sft.train.max_steps=8", "--set", "sft.train.eval_every=4",
            "--set", "prefs.num_samples=3", "--set", "wpo.train.max_steps=4", "--set", "wpo.train.eval_every=2",
            "--set", "grpo.train.max_steps=3", "--set", "grpo.grpo.num_generations=4", "--set", "eval.limit=6");
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

        // CPT and SFT read their rows from token shards made on the way (one per input file, with the tokenizer's hash).
        foreach (var stage in new[] { "cpt", "sft" })
        {
            var shards = Path.Combine(output, stage, "shards");
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(shards, "manifest.json")))!;
            Assert.True((long)manifest["tokens"]! > 0, stage);
            Assert.False(string.IsNullOrEmpty((string?)manifest["tokenizer_hash"]), stage);
            var sources = manifest["sources"]!.AsArray();
            Assert.Equal(3, sources.Count);
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
