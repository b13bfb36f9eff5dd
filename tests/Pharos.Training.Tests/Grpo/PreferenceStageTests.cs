// stage: dpo and stage: grpo end to end through StageRunner on the bundled stories260K (real tokenizer.json) with LoRA:
// WPO with cached reference log-probs, GRPO with a KL to the adapters-off base; metrics, caches and logs on disk;
// an unknown reward name or loss type stops the recipe at start-up, naming the key.
using System.Text.Json.Nodes;
using Pharos.Tests;
using Pharos.Training.Recipes;

namespace Pharos.Training.Tests.Grpo;

public class PreferenceStageTests
{
    static readonly string Model = Path.Combine(RepoPaths.Root, "samples", "models", "stories260K");

    static string Recipe(string stage, string data, string output, string extra) => $"""
        stage: {stage}
        seed: 3
        output: {output}
        model: {"{"}path: {Model}{"}"}
        data:
          sequence_length: 96
          eval_fraction: 0.0
          sources: [{"{"}name: main, paths: [{data}]{"}"}]
        train: {"{"}max_steps: 4, micro_batch_size: 2, lr: 1e-2, schedule: constant, save_every: 2{"}"}
        lora: {"{"}enabled: true, r: 4, alpha: 8, dropout: 0.0{"}"}
        {extra}
        """;

    [Fact]
    public void Wpo_stage_runs_with_cached_reference_log_probs()
    {
        using var dir = new TempDir();
        var pairs = Enumerable.Range(0, 6).Select(i => new JsonObject
        {
            ["prompt"] = $"Once upon a time {i}", ["chosen"] = " there was a little girl named Lily.", ["rejected"] = " the dog ran away fast.",
        }.ToJsonString()).Append("""{"prompt":"x","chosen":"same","rejected":"same"}""");
        File.WriteAllLines(dir.File("prefs.jsonl"), pairs);
        var recipe = RecipeBinder.Parse(Recipe("dpo", dir.File("prefs.jsonl"), dir.File("run"),
            "dpo: {beta: 0.1, use_weighting: true, precompute_ref_log_probs: true}"));
        var result = StageRunner.Run(recipe);
        Assert.Equal(4, result.Train.Steps);
        Assert.True(File.Exists(dir.File("run/ref_logps.json")));
        var last = JsonNode.Parse(File.ReadLines(result.Metrics).Last())!;
        Assert.NotNull(last["train/rewards/accuracies"]);
        Assert.NotNull(last["train/wpo/weight"]);
        Assert.Contains("identical_pair", File.ReadAllText(dir.File("run/bad_records.jsonl")));
        Assert.True(Directory.Exists(dir.File("run/adapter")));
    }

    [Fact]
    public void Grpo_stage_runs_with_rewards_by_name_and_logs_completions()
    {
        using var dir = new TempDir();
        var prompts = Enumerable.Range(0, 4).Select(i => new JsonObject { ["prompt"] = $"Once upon a time {i}", ["answer"] = "Lily", ["reference"] = "there was a little girl named Lily" }.ToJsonString());
        File.WriteAllLines(dir.File("prompts.jsonl"), prompts);
        var recipe = RecipeBinder.Parse(Recipe("grpo", dir.File("prompts.jsonl"), dir.File("run"), """
            grpo:
              num_generations: 4
              max_completion_length: 12
              beta: 0.04
              rewards: [{name: contains, weight: 1.0}, {name: chrf, weight: 0.5}]
            """));
        var result = StageRunner.Run(recipe);
        Assert.Equal(4, result.Train.Steps);
        var last = JsonNode.Parse(File.ReadLines(result.Metrics).Last())!;
        foreach (var key in new[] { "train/reward", "train/kl", "train/clip_ratio", "train/completion_length", "train/rewards/chrf/mean" })
            Assert.True(last[key] is not null, $"{key} missing from metrics");
        Assert.NotEmpty(File.ReadAllLines(dir.File("run/completions.jsonl")));
        // Resume after the last checkpoint: nothing left to do, same step count.
        Assert.Equal(4, StageRunner.Run(recipe, resume: "latest").Train.Steps);
    }

    [Theory]
    [InlineData("grpo", "grpo: {rewards: [{name: xcomet}]}", "grpo.rewards[0].name")]
    [InlineData("grpo", "grpo: {rewards: []}", "grpo.rewards")]
    [InlineData("dpo", "dpo: {loss_type: kto}", "dpo.loss_type")]
    public void Configuration_mistakes_fail_at_start_up(string stage, string block, string key)
    {
        var e = Assert.Throws<RecipeException>(() => RecipeBinder.Parse(Recipe(stage, "x.jsonl", "out", block)));
        Assert.Contains(key, e.Message);
    }
}
