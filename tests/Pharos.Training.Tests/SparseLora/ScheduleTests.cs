// Sparsity schedules: presets follow the paper's pattern at any depth; recipes set per-layer values and name bad keys.
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Recipes;

namespace Pharos.Training.Tests.SparseLora;

public class ScheduleTests
{
    [Fact]
    public void Presets_scale_the_papers_pattern_to_any_depth()
    {
        var deep = SparsitySchedule.Preset("aggressive", 32);
        Assert.All(new[] { 0, 1, 2, 30, 31 }, i => Assert.Equal(default, deep.Layers[i]));
        Assert.All(Enumerable.Range(3, 27), i => Assert.Equal(0.99, deep.Layers[i].Mlp));
        Assert.Equal(0, deep.Layers[15].SelfAttn);
        Assert.Equal(0.75, deep.Layers[16].SelfAttn);
        var shallow = SparsitySchedule.Preset("conservative", 3);
        Assert.Equal([0.0, 0.9, 0.0], shallow.Layers.Select(l => l.Mlp));
        Assert.True(SparsitySchedule.Preset("none", 12).IsDense);
        Assert.Equal(20, SparsitySchedule.Keep(2048, 0.99));
        Assert.Equal(1, SparsitySchedule.Keep(64, 0.999));
        Assert.Equal(64, SparsitySchedule.Keep(64, 0));
    }

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
        var options = SparseLoraSetup.Options(recipe.Sparselora, 12, recipe.Train.MaxSteps);
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
