// `pharos recipe run`'s chain: WPO then GRPO on stories260K with LoRA, the second starting from the first's merged model;
// a rerun skips both finished stages; a bad last stage stops the chain before the first runs.
using System.Text.Json.Nodes;
using Pharos.Tests;
using Pharos.Training.Recipes;

namespace Pharos.Training.Tests.Recipes;

public class ChainTests
{
    static readonly string Model = Path.Combine(RepoPaths.Root, "samples", "models", "stories260K");

    static string Stage(string stage, string model, string data, string output, string extra) => $$"""
        stage: {{stage}}
        output: {{output}}
        model: {path: {{model}}, tokenizer: {{Model}}}
        data: {sequence_length: 96, eval_fraction: 0.0, sources: [{name: main, paths: [{{data}}]}]}
        train: {max_steps: 2, micro_batch_size: 2, lr: 1e-2, merge_adapter: true}
        lora: {enabled: true, r: 4, alpha: 8, dropout: 0.0}
        {{extra}}
        """;

    [Fact]
    public void Chain_runs_stages_in_order_and_skips_finished_ones()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("prefs.jsonl"), Enumerable.Range(0, 4).Select(i =>
            new JsonObject { ["prompt"] = $"Once upon a time {i}", ["chosen"] = " Lily smiled.", ["rejected"] = " no" }.ToJsonString()));
        File.WriteAllLines(dir.File("prompts.jsonl"), Enumerable.Range(0, 4).Select(i =>
            new JsonObject { ["prompt"] = $"Once upon a time {i}", ["answer"] = "Lily" }.ToJsonString()));
        File.WriteAllText(dir.File("wpo.yaml"), Stage("dpo", Model, dir.File("prefs.jsonl"), dir.File("wpo"), "dpo: {use_weighting: true}"));
        File.WriteAllText(dir.File("grpo.yaml"), Stage("grpo", dir.File("wpo/model"), dir.File("prompts.jsonl"), dir.File("grpo"),
            "grpo: {num_generations: 2, max_completion_length: 6, rewards: [{name: contains}]}"));
        File.WriteAllText(dir.File("chain.yaml"), "chain: [wpo.yaml, grpo.yaml]\n");

        var first = ChainRunner.Run(dir.File("chain.yaml"));
        Assert.Equal([StageOutcome.Ran, StageOutcome.Ran], first.Select(s => s.Outcome));
        Assert.True(File.Exists(dir.File("grpo/model/model.safetensors")));
        var again = ChainRunner.Run(dir.File("chain.yaml"));
        Assert.Equal([StageOutcome.Skipped, StageOutcome.Skipped], again.Select(s => s.Outcome));
    }

    [Fact]
    public void A_bad_later_stage_fails_before_anything_runs()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.yaml"), Stage("dpo", Model, "p.jsonl", dir.File("a"), ""));
        File.WriteAllText(dir.File("b.yaml"), Stage("grpo", Model, "p.jsonl", dir.File("b"), "grpo: {rewards: [{name: bleurt}]}"));
        File.WriteAllText(dir.File("chain.yaml"), "chain: [a.yaml, b.yaml]\n");
        var e = Assert.Throws<RecipeException>(() => ChainRunner.Run(dir.File("chain.yaml")));
        Assert.Contains("grpo.rewards[0].name", e.Message);
        Assert.False(Directory.Exists(dir.File("a")));

        // comet is a known reward, but not without its model folder.
        File.WriteAllText(dir.File("b.yaml"), Stage("grpo", Model, "p.jsonl", dir.File("b"), "grpo: {rewards: [{name: comet}]}"));
        e = Assert.Throws<RecipeException>(() => ChainRunner.Run(dir.File("chain.yaml")));
        Assert.Contains("grpo.rewards[0].model", e.Message);
        Assert.False(Directory.Exists(dir.File("a")));
    }
}
