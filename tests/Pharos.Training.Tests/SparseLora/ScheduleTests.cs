// Sparsity schedules: presets follow the paper's pattern at any depth, capped on narrow models; recipes set per-layer values and name bad keys.
using Pharos.Models.Config;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Recipes;

namespace Pharos.Training.Tests.SparseLora;

public class ScheduleTests
{
    [Fact]
    public void Presets_scale_the_papers_pattern_to_any_depth()
    {
        // Llama-3-8B's widths (MLP 14,336, head_dim 128): exactly the paper's fractions.
        var deep = SparsitySchedule.Preset("aggressive", 32, 14336, 128);
        Assert.All(new[] { 0, 1, 2, 30, 31 }, i => Assert.Equal(default, deep.Layers[i]));
        Assert.All(Enumerable.Range(3, 27), i => Assert.Equal(0.99, deep.Layers[i].Mlp));
        Assert.Equal(0, deep.Layers[15].SelfAttn);
        Assert.Equal(0.75, deep.Layers[16].SelfAttn);
        var shallow = SparsitySchedule.Preset("conservative", 3, 14336, 128);
        Assert.Equal([0.0, 0.9, 0.0], shallow.Layers.Select(l => l.Mlp));
        Assert.True(SparsitySchedule.Preset("none", 12, 14336, 128).IsDense);
        Assert.Equal(20, SparsitySchedule.Keep(2048, 0.99));
        Assert.Equal(1, SparsitySchedule.Keep(64, 0.999));
        Assert.Equal(64, SparsitySchedule.Keep(64, 0));
    }

    [Theory]
    // The quality bench's larger model: 99% of 1,024 would keep 10 MLP channels, 75% of 64 per KV head 16.
    [InlineData(1024, 64, 0.99, 0.75, 128, 32)]
    [InlineData(2048, 64, 0.99, 0.75, 128, 32)]
    // Narrower than the floor: the quickstart model's attention (head_dim 32) stays dense.
    [InlineData(352, 32, 0.99, 0.75, 128, 32)]
    // Wide enough: conservative's fractions keep more than the floors already.
    [InlineData(14336, 128, 0.9, 0.25, 1434, 96)]
    public void Presets_keep_at_least_the_papers_channel_counts_on_narrow_models(int intermediate, int headDim, double mlpPreset,
        double attnPreset, int mlpKept, int keptPerHead)
    {
        var schedule = SparsitySchedule.Preset(mlpPreset == 0.99 ? "aggressive" : "conservative", 8, intermediate, headDim);
        var middle = schedule.Layers[6];
        Assert.Equal(Math.Min(mlpKept, intermediate), SparsitySchedule.Keep(intermediate, middle.Mlp));
        Assert.Equal(Math.Min(keptPerHead, headDim) * 3, SparsitySchedule.Keep(3L * headDim, middle.SelfAttn));
        Assert.True(middle.Mlp <= mlpPreset && middle.SelfAttn <= attnPreset);
        Assert.Equal(headDim <= SparsitySchedule.PresetMinAttentionChannelsPerKvHead, middle.SelfAttn == 0);
    }

    /// <summary>12 layers as wide as Llama-3-8B, so the preset's fractions are not capped.</summary>
    static readonly ModelConfig WideConfig = ConfigReader.Parse("""
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 256, "hidden_size": 4096,
         "intermediate_size": 14336, "num_hidden_layers": 12, "num_attention_heads": 32, "num_key_value_heads": 8,
         "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "rope_theta": 10000.0}
        """);

    const string Yaml = """
        stage: sft
        model: {path: some/model}
        adapter: sparselora
        train: {max_steps: 200}
        sparselora:
          preset: conservative
          layers:
            0: {mlp: 0.5}
            5: {self_attn: 0}
        data:
          sources:
            - {paths: [a.jsonl]}
        """;

    [Fact]
    public void Recipe_sets_preset_overrides_and_warmup()
    {
        var recipe = RecipeBinder.Parse(Yaml);
        Assert.Equal("sparselora", recipe.AdapterKind);
        var options = SparseLoraSetup.Options(recipe.Sparselora, WideConfig, recipe.Train.MaxSteps);
        Assert.Equal(10, options.StartStep);
        Assert.Null(options.EndStep);
        Assert.Equal(0.5, options.Schedule.Layers[0].Mlp);
        Assert.Equal(0.9, options.Schedule.Layers[5].Mlp);
        Assert.Equal(0, options.Schedule.Layers[5].SelfAttn);
        Assert.Equal(0.25, options.Schedule.Layers[6].SelfAttn);
    }

    [Theory]
    [InlineData("sparselora.preset=wild", "sparselora.preset")]
    [InlineData("sparselora.layers.x.mlp=0.5", "sparselora.layers.x")]
    [InlineData("sparselora.layers.2.mlp=1.5", "sparselora.layers.2.mlp")]
    [InlineData("sparselora.layers.2.ffn=0.5", "sparselora.layers.2.ffn")]
    [InlineData("adapter=dora", "adapter")]
    public void Bad_values_name_their_key(string assignment, string key)
    {
        var e = Assert.Throws<RecipeException>(() => RecipeBinder.Parse(Yaml, [assignment]));
        Assert.Contains(key, e.Message);
    }
}
