// Bad model folders: each fails with one message naming the file and the field or tensor, and yields no model.
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Loading;

public class ModelLoaderBadInputTests
{
    static void EditConfig(string folder, Action<JsonObject> edit)
    {
        var path = Path.Combine(folder, "config.json");
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    [Fact]
    public void Missing_folder_is_named()
    {
        var e = Assert.Throws<InvalidModelException>(() => ModelLoader.Load("/nonexistent/model-folder"));
        Assert.Contains("/nonexistent/model-folder", e.Message);
    }

    [Fact]
    public void Unknown_architecture_names_config_and_architecture()
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-llama", temp);
        EditConfig(folder, c => c["architectures"] = new JsonArray("MambaForCausalLM"));
        var e = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(folder));
        Assert.Contains("config.json", e.Message);
        Assert.Contains("MambaForCausalLM", e.Message);
    }

    [Theory]
    [InlineData("hidden_size")]
    [InlineData("vocab_size")]
    [InlineData("num_hidden_layers")]
    [InlineData("architectures")]
    public void Missing_config_field_is_named(string field)
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-qwen2", temp);
        EditConfig(folder, c => c.Remove(field));
        var e = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(folder));
        Assert.Contains("config.json", e.Message);
        Assert.Contains($"'{field}'", e.Message);
    }

    [Fact]
    public void Wrongly_typed_config_field_is_named()
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-gemma2", temp);
        EditConfig(folder, c => c["num_attention_heads"] = "four");
        var e = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(folder));
        Assert.Contains("'num_attention_heads'", e.Message);
    }

    [Fact]
    public void Wrongly_shaped_weight_is_named_with_both_shapes()
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-llama", temp);
        RewriteWeights(folder, (name, t) => name == "model.layers.1.mlp.up_proj.weight" ? t.narrow(0, 0, 100) : t);
        var e = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", e.Message);
        Assert.Contains("[100, 64]", e.Message);
        Assert.Contains("[128, 64]", e.Message);
    }

    [Fact]
    public void Missing_weight_is_named()
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-llama", temp);
        RewriteWeights(folder, (name, t) => name == "model.norm.weight" ? null : t);
        var e = Assert.Throws<InvalidModelException>(() => ModelLoader.Load(folder));
        Assert.Contains("missing 1 tensor(s): model.norm.weight", e.Message);
    }

    [Fact]
    public void Truncated_safetensors_names_the_file()
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-qwen2", temp);
        var file = Path.Combine(folder, "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 1000)]);
        var e = Assert.Throws<SafetensorsFormatException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Header_offsets_outside_the_file_name_file_and_tensor()
    {
        using var temp = new TempDir();
        var folder = ModelFolderCopy.Of("tiny-qwen2", temp);
        var file = Path.Combine(folder, "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        long n = BitConverter.ToInt64(bytes, 0);
        var header = (JsonObject)JsonNode.Parse(bytes.AsSpan(8, (int)n))!;
        var victim = header.Select(kv => kv.Key).First(k => k != "__metadata__");
        header[victim]!["data_offsets"] = new JsonArray(0, 1L << 40);
        header.Remove("__metadata__"); // frees room so the edited header keeps its length
        var text = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString().PadRight((int)n));
        Assert.Equal(n, text.Length);
        text.CopyTo(bytes, 8);
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<SafetensorsFormatException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains(victim, e.Message);
    }

    static void RewriteWeights(string folder, Func<string, Tensor, Tensor?> change)
    {
        var path = Path.Combine(folder, "model.safetensors");
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using (var file = SafetensorsFile.Open(path))
            foreach (var info in file.Tensors)
                if (change(info.Name, file.Load(info.Name)) is { } t)
                    tensors.Add(new(info.Name, t.contiguous()));
        SafetensorsWriter.Write(path, tensors);
    }
}
