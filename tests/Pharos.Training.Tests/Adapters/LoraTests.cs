// LoRA: starts as the base model, trains only adapter factors, saves/loads PEFT's format, merges into equal outputs.
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using Pharos.Training.Adapters;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Adapters;

public class LoraTests
{
    static string Tiny => RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama");

    [Fact]
    public void Adapted_model_starts_equal_and_only_factors_train()
    {
        using var model = ModelLoader.Load(Tiny);
        using var ids = tensor(new long[] { 1, 5, 9, 3 }).unsqueeze(0);
        using var before = model.Forward(ids);
        Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 }, seed: 1);
        using var after = model.Forward(ids);
        Assert.Equal(0, (after - before).abs().max().item<float>());
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.All(trainable, n => Assert.Matches(@"\.lora_[AB]\.weight$", n));
        Assert.Contains("model.layers.0.self_attn.q_proj.lora_A.weight", trainable);
        Assert.Contains("model.layers.0.mlp.down_proj.lora_B.weight", trainable);
    }

    [Fact]
    public void Peft_save_load_and_merge_agree()
    {
        using var dir = new TempDir();
        using var model = ModelLoader.Load(Tiny);
        var options = new LoraOptions { Rank = 4, Alpha = 16, Dropout = 0, TargetModules = TargetModules.Names("q_proj", "v_proj", "down_proj"), UseRsLora = true };
        Lora.Apply(model, options, seed: 2);
        using (no_grad())
            foreach (var (_, adapter, _) in Lora.Find(model)) adapter.lora_B.weight.normal_(0, 0.05);
        model.eval();
        using var ids = tensor(new long[] { 1, 5, 9, 3, 7 }).unsqueeze(0);
        using var expected = model.Forward(ids);
        PeftFormat.Save(model, dir.File("adapter"), options, Tiny);

        var config = JsonNode.Parse(File.ReadAllText(dir.File("adapter/adapter_config.json")))!;
        Assert.Equal("LORA", (string?)config["peft_type"]);
        Assert.Equal(4, (int)config["r"]!);
        Assert.True((bool)config["use_rslora"]!);
        using (var file = SafetensorsFile.Open(dir.File("adapter/adapter_model.safetensors")))
            Assert.Contains(file.Tensors, t => t.Name == "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");

        using var reloaded = ModelLoader.Load(Tiny);
        PeftFormat.Load(reloaded, dir.File("adapter"));
        reloaded.eval();
        using var again = reloaded.Forward(ids);
        Assert.Equal(0, (again - expected).abs().max().item<float>());

        using var merged = ModelLoader.Load(Tiny);
        Assert.Equal(9, PeftFormat.Merge(merged, dir.File("adapter")));
        using var viaMerge = merged.Forward(ids);
        // Merged weights round differently from the two-matmul path: agreement to float32 noise, not bits.
        Assert.True((viaMerge - expected).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void Target_patterns_follow_peft()
    {
        var list = new LoraOptions { TargetModules = TargetModules.Names("q_proj") };
        Assert.True(list.Targets("model.layers.3.self_attn.q_proj"));
        Assert.False(list.Targets("model.layers.3.self_attn.k_proj"));
        Assert.False(list.Targets("model.layers.3.self_attn.xq_proj"));
        var regex = new LoraOptions { TargetModules = TargetModules.Regex(@"model\.layers\.[01]\..*proj") };
        Assert.True(regex.Targets("model.layers.1.mlp.up_proj"));
        Assert.False(regex.Targets("model.layers.2.mlp.up_proj"));
        // A regex string is a full match (re.fullmatch), and a trailing newline does not sneak past the end.
        Assert.False(regex.Targets("x.model.layers.1.mlp.up_proj"));
        Assert.False(regex.Targets("model.layers.1.mlp.up_proj\n"));
        // A list entry is a name, never a pattern; a plain name given as the string form matches nothing (fullmatch).
        Assert.False(new LoraOptions { TargetModules = TargetModules.Names("q_.*") }.Targets("model.layers.0.self_attn.q_proj"));
        Assert.False(new LoraOptions { TargetModules = TargetModules.Regex("q_proj") }.Targets("model.layers.0.self_attn.q_proj"));
        var all = new LoraOptions { TargetModules = TargetModules.Regex("ALL-LINEAR") };
        Assert.True(all.TargetModules.IsAllLinear);
        Assert.True(all.Targets("model.layers.0.mlp.down_proj"));
        Assert.False(all.Targets("lm_head", isOutputLayer: true));
        var saving = new LoraOptions { TargetModules = TargetModules.AllLinear, ModulesToSave = ["lm_head"] };
        Assert.False(saving.Targets("lm_head"));
    }
}
