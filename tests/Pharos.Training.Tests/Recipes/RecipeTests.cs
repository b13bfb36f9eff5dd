// Recipes: defaults fill what YAML leaves out, --set overrides, unknown keys and bad values name their key.
using Pharos.Training.Recipes;

namespace Pharos.Training.Tests.Recipes;

public class RecipeTests
{
    const string Minimal = """
        stage: cpt
        model: {path: some/model}
        data:
          sources:
            - {name: web, paths: [a.jsonl], share: 0.7}
        """;

    [Fact]
    public void Defaults_fill_missing_fields()
    {
        var r = RecipeBinder.Parse(Minimal);
        Assert.Equal("cpt", r.Stage);
        Assert.Equal(100, r.Train.MaxSteps);
        Assert.Equal(0.7, r.Data.Sources[0].Share);
        Assert.Equal(1.0, r.Train.MaxGradNorm);
        Assert.False(r.Lora.Enabled);
        Assert.Equal("ieee", r.Train.Fp32Matmul);
    }

    [Fact]
    public void Set_overrides_nested_fields_and_lists()
    {
        var r = RecipeBinder.Parse(Minimal, ["train.lr=3e-4", "lora.enabled=true", "lora.target_modules=[q_proj, v_proj]", "train.max_steps=7"]);
        Assert.Equal(3e-4, r.Train.Lr);
        Assert.Equal(7, r.Train.MaxSteps);
        Assert.Equal(["q_proj", "v_proj"], r.Lora.TargetModules);
    }

    [Theory]
    [InlineData("train:\n  lrr: 1", "train.lrr")]
    [InlineData("train:\n  lr: fast", "train.lr")]
    [InlineData("train:\n  max_steps: -3", "train.max_steps")]
    [InlineData("stage: ppo", "stage")]
    [InlineData("train:\n  schedule: wavy", "train.schedule")]
    [InlineData("train:\n  fp32_matmul: tf32", "train.fp32_matmul")]
    public void Bad_keys_and_values_name_the_key(string extra, string key)
    {
        var e = Assert.Throws<RecipeException>(() => RecipeBinder.Parse(Minimal.Replace("stage: cpt", "stage: cpt\n" + extra).Replace("stage: cpt\nstage: ppo", "stage: ppo")));
        Assert.Equal(key, e.Key);
        Assert.StartsWith($"recipe: {key}:", e.Message);
    }

    [Fact]
    public void Unknown_key_in_a_list_item_is_named_with_its_index()
    {
        var e = Assert.Throws<RecipeException>(() => RecipeBinder.Parse(Minimal.Replace("share: 0.7", "share: 0.7, weight: 2")));
        Assert.Equal("data.sources[0].weight", e.Key);
    }

    [Fact]
    public void The_8b_memory_recipe_builds_llama_3_8b_exactly()
    {
        // Built on the meta device: the parameter count of Meta-Llama-3-8B (8,030,261,248) without any memory.
        var recipe = RecipeBinder.Load(Path.Combine(Pharos.Tests.RepoPaths.Root, "configs", "memory", "llama3-8b-lora.yaml"));
        RecipeValidator.Validate(recipe);
        var tokenizer = Pharos.Training.Tokenizer.TokenizerLoader.Load(Path.Combine(Pharos.Tests.RepoPaths.Root, recipe.Model.Tokenizer));
        var config = NewModel.Config(recipe.Model.New!, tokenizer, [tokenizer.EosId]);
        using var model = new Pharos.Models.Transformer.CausalLM(config, TorchSharp.torch.bfloat16, TorchSharp.torch.META);
        Assert.Equal(8_030_261_248L, model.parameters().Sum(p => p.numel()));
        Assert.True(recipe.Train.GradientCheckpointing);
        Assert.Equal("lora", recipe.AdapterKind);
    }

    [Fact]
    public void Shipped_recipes_parse()
    {
        // curate-*.yaml are curation recipes (Pharos.Curation's own format), tested by the curation tests.
        var training = Directory.GetFiles(Path.Combine(Pharos.Tests.RepoPaths.Root, "configs"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("curate", StringComparison.Ordinal)).ToArray();
        Assert.Contains(training, f => Path.GetFileName(f) == "quickstart.yaml");
        foreach (var file in training)
        {
            if (RecipeChain.IsChain(File.ReadAllText(file)))
            {
                Assert.All(RecipeChain.StageFiles(file), stage => Assert.True(File.Exists(stage), $"{file} lists missing {stage}"));
                continue;
            }
            if (Path.GetFileName(file) != "quickstart.yaml") { RecipeBinder.Load(file); continue; }
            var plan = RecipeBinder.Parse<QuickstartPlan>(File.ReadAllText(file));
            // The quickstart fills the curated source's paths with the shards its curation step writes.
            Assert.True(File.Exists(Path.Combine(Pharos.Tests.RepoPaths.Root, plan.Curation.Recipe)), plan.Curation.Recipe);
            Assert.Empty(plan.Cpt.Data.Sources.Single(s => s.Name == plan.Curation.Source).Paths);
            plan.Cpt.Data.Sources.Single(s => s.Name == plan.Curation.Source).Paths = ["curated/mix/en/00000.jsonl.zst"];
            plan.Cpt.Model.Tokenizer = "tok";
            plan.Sft.Model.Path = "cpt-model";
            RecipeValidator.Validate(plan.Cpt);
            RecipeValidator.Validate(plan.Sft);
            plan.Wpo.Model.Path = "sft-model";
            plan.Wpo.Data.Sources = [new SourceSection { Name = "pairs", Paths = ["pairs.jsonl"] }];
            RecipeValidator.Validate(plan.Wpo);
            plan.Grpo.Model.Path = "wpo-model";
            RecipeValidator.Validate(plan.Grpo);
        }
    }
}
