// Saving writes HF names back: an unchanged model round-trips to byte-identical tensor data, sharded or not.
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Tests;

namespace Pharos.Models.Tests.Loading;

public class ModelSaverTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    [InlineData("tiny-gemma2")]
    public void Unchanged_model_round_trips_to_identical_tensor_bytes(string name)
    {
        using var temp = new TempDir();
        var source = RepoPaths.Fixtures("Pharos.Models.Tests", name);
        using (var model = ModelLoader.Load(source))
            ModelSaver.Save(model, temp.Path);

        using var original = SafetensorsFile.Open(Path.Combine(source, "model.safetensors"));
        using var saved = SafetensorsFile.Open(Path.Combine(temp.Path, "model.safetensors"));
        Assert.Equal(original.Tensors.Select(t => t.Name).Order(), saved.Tensors.Select(t => t.Name).Order());
        foreach (var t in original.Tensors)
            Assert.True(original.GetBytes(t.Name).SequenceEqual(saved.GetBytes(t.Name)), $"{t.Name} differs");

        // The saved folder loads again and gives the same config.
        using var reloaded = ModelLoader.Load(temp.Path);
        Assert.Equal(ModelLoader.Load(source).Config.Architecture, reloaded.Config.Architecture);
    }

    [Fact]
    public void Large_models_are_sharded_with_an_index_and_reload()
    {
        using var temp = new TempDir();
        using (var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama")))
            ModelSaver.Save(model, temp.Path, maxShardBytes: 200_000);
        Assert.True(File.Exists(Path.Combine(temp.Path, "model.safetensors.index.json")));
        Assert.True(Directory.GetFiles(temp.Path, "model-0000*-of-*.safetensors").Length > 1);
        using var reloaded = ModelLoader.Load(temp.Path);
        Assert.Equal(3, reloaded.Config.NumLayers);
    }
}
