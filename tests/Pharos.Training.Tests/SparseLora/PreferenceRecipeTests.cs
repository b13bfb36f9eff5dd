// adapter: sparselora in stage: dpo and stage: grpo recipes, end to end through StageRunner on a copy of the bundled
// stories260K (5 layers; the paper's aggressive fractions set on the three middle ones, since the preset itself keeps this narrow
// model's attention dense and most of its 172 MLP channels): steps run sparse, the FLOP reduction is
// logged, and what is saved is a PEFT LoRA adapter. The copy keeps the estimator cache out of samples/.
using System.Text.Json.Nodes;
using Pharos.Tests;
using Pharos.Training.Recipes;

namespace Pharos.Training.Tests.SparseLora;

public class PreferenceRecipeTests
{
    static string CopyModel(TempDir dir)
    {
        var source = Path.Combine(RepoPaths.Root, "samples", "models", "stories260K");
        var target = dir.File("model");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    static string Recipe(string stage, string model, string data, string output, string extra) => $"""
        stage: {stage}
        seed: 3
        output: {output}
        model: {"{"}path: {model}{"}"}
        data:
          sequence_length: 96
          eval_fraction: 0.0
          sources: [{"{"}name: main, paths: [{data}]{"}"}]
        train: {"{"}max_steps: 3, micro_batch_size: 2, lr: 1e-2, schedule: constant{"}"}
        adapter: sparselora
        lora: {"{"}r: 4, alpha: 8, dropout: 0.0{"}"}
        sparselora:
          preset: none
          start_step: 0
          layers: {"{"}1: {"{"}mlp: 0.99{"}"}, 2: {"{"}mlp: 0.99, self_attn: 0.75{"}"}, 3: {"{"}mlp: 0.99, self_attn: 0.75{"}"}{"}"}
        {extra}
        """;

    static void AssertSparseSteps(StageResult result, string adapter)
    {
        Assert.Equal(3, result.Train.Steps);
        var rows = File.ReadLines(result.Metrics).Select(l => JsonNode.Parse(l)!).Where(r => r["sparselora/flop_reduction"] is not null).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.True(r["sparselora/flop_reduction"]!.GetValue<double>() > 1.05, r.ToJsonString()));
        Assert.All(rows, r => Assert.True(double.IsFinite(r["train/loss"]!.GetValue<double>())));
        Assert.Equal("LORA", JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, "adapter_config.json")))!["peft_type"]!.GetValue<string>());
    }

    [Fact]
    public void Wpo_recipe_trains_with_sparselora()
    {
        using var dir = new TempDir();
        var model = CopyModel(dir);
        var pairs = Enumerable.Range(0, 6).Select(i => new JsonObject
        {
            ["prompt"] = $"Once upon a time there was a cat called {i} who", ["chosen"] = " liked to play with Lily.", ["rejected"] = " ran away fast.",
        }.ToJsonString());
        File.WriteAllLines(dir.File("prefs.jsonl"), pairs);
        var recipe = RecipeBinder.Parse(Recipe("dpo", model, dir.File("prefs.jsonl"), dir.File("run"), "dpo: {beta: 0.1, use_weighting: true}"));
        var result = StageRunner.Run(recipe);
        AssertSparseSteps(result, dir.File("run/adapter"));
        Assert.NotNull(JsonNode.Parse(File.ReadLines(result.Metrics).Last())!["train/rewards/margins"]);
        Assert.True(File.Exists(Path.Combine(model, "sparselora_estimator.safetensors")));
    }

    [Fact]
    public void Grpo_recipe_trains_with_sparselora()
    {
        using var dir = new TempDir();
        var model = CopyModel(dir);
        var prompts = Enumerable.Range(0, 4).Select(i => new JsonObject { ["prompt"] = $"Once upon a time {i}", ["answer"] = "Lily" }.ToJsonString());
        File.WriteAllLines(dir.File("prompts.jsonl"), prompts);
        var recipe = RecipeBinder.Parse(Recipe("grpo", model, dir.File("prompts.jsonl"), dir.File("run"), """
            grpo:
              num_generations: 4
              max_completion_length: 12
              beta: 0.04
              rewards: [{name: contains, weight: 1.0}]
            """));
        var result = StageRunner.Run(recipe);
        AssertSparseSteps(result, dir.File("run/adapter"));
        Assert.NotEmpty(File.ReadAllLines(dir.File("run/completions.jsonl")));
    }
}
