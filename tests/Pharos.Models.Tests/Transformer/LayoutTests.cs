// Builds real model sizes (8B–72B) on the meta device and checks every parameter name and shape against the layout
// transformers itself builds (Fixtures/layouts, made by make_layouts.py), without allocating any weights.
using Pharos.Models.Config;
using Pharos.Models.Transformer;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Transformer;

public class LayoutTests
{
    [Theory]
    [InlineData("llama3-8b", 8_030_261_248L)]
    [InlineData("llama3.1-70b", 70_553_706_496L)]
    [InlineData("qwen2.5-72b", 72_706_203_648L)]
    [InlineData("gemma2-2b", 2_614_341_888L)]
    [InlineData("gemma2-9b", 9_241_705_984L)]
    public void Parameter_names_and_shapes_match_transformers(string name, long expectedParameters)
    {
        var path = RepoPaths.Fixtures("Pharos.Models.Tests", "layouts", name + ".config.json");
        var config = ConfigReader.Parse(File.ReadAllText(path), path);
        using var model = new CausalLM(config, bfloat16, META);

        var expected = File.ReadAllLines(RepoPaths.Fixtures("Pharos.Models.Tests", "layouts", name + ".params.tsv"))
            .Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1]);
        var actual = model.named_parameters().ToDictionary(p => p.name, p => string.Join(",", p.parameter.shape));

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected)
            Assert.True(shape == actual[key], $"{key}: expected [{shape}], built [{actual[key]}]");
        Assert.Equal(expectedParameters, model.parameters().Sum(p => p.numel()));
        Assert.All(model.parameters(), p => Assert.Equal(TorchSharp.DeviceType.META, p.device.type));
    }

    [Fact]
    public void Gemma2_slides_on_even_layers_and_reads_rope_parameters()
    {
        var path = RepoPaths.Fixtures("Pharos.Models.Tests", "layouts", "gemma2-2b.config.json");
        var config = ConfigReader.Parse(File.ReadAllText(path), path);
        Assert.Equal(Enumerable.Range(0, 26).Select(i => i % 2 == 0), config.SlidingLayers);
        Assert.Equal(4096, config.SlidingWindow);
        Assert.Equal(1.0 / 16, config.Blocks.AttentionScale, 12);
        Assert.Equal(30.0, config.Blocks.FinalLogitSoftcap);
    }

    [Fact]
    public void Llama31_rope_scaling_is_read_from_rope_parameters()
    {
        var path = RepoPaths.Fixtures("Pharos.Models.Tests", "layouts", "llama3.1-70b.config.json");
        var config = ConfigReader.Parse(File.ReadAllText(path), path);
        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal(new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192), config.RopeScaling);
    }
}
