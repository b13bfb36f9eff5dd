// LoRA adapters in PEFT's folder format: adapter_config.json + adapter_model.safetensors with keys like
using Pharos.IO;
// base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight, so PEFT loads what we save and we load what PEFT saves.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters;

public static class PeftFormat
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    const string Prefix = "base_model.model.";

    public static void Save(CausalLM model, string folder, LoraOptions options, string? baseModel)
    {
        Directory.CreateDirectory(folder);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, adapter, _) in Lora.Find(model))
        {
            tensors.Add(new(Prefix + name + ".lora_A.weight", adapter.lora_A.weight.detach()));
            tensors.Add(new(Prefix + name + ".lora_B.weight", adapter.lora_B.weight.detach()));
        }
        if (tensors.Count == 0) throw new InvalidOperationException("the model has no LoRA adapters to save");
        SafetensorsWriter.Write(Path.Combine(folder, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModel,
            ["r"] = options.Rank,
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["target_modules"] = new JsonArray(options.TargetModules.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            ["use_rslora"] = options.UseRsLora,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["modules_to_save"] = null,
            ["rank_pattern"] = new JsonObject(),
            ["alpha_pattern"] = new JsonObject(),
            ["use_dora"] = false,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static LoraOptions ReadOptions(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new PharosException($"{path}: missing (a PEFT adapter folder needs adapter_config.json)");
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new PharosException($"{path}: not a JSON object");
        if ((string?)json["peft_type"] != "LORA") throw new PharosException($"{path}: peft_type '{json["peft_type"]}' is not LORA");
        if (json["use_dora"] is JsonValue dora && (bool)dora) throw new PharosException($"{path}: use_dora adapters are not supported");
        foreach (var key in new[] { "rank_pattern", "alpha_pattern" })
            if (json[key] is JsonObject o && o.Count > 0) throw new PharosException($"{path}: {key} (per-module ranks) is not supported");
        if (json["bias"] is JsonValue b && (string?)b != "none") throw new PharosException($"{path}: bias '{b}' is not supported (only \"none\")");
        var targets = json["target_modules"] switch
        {
            JsonArray a => a.Select(t => (string)t!).ToList(),
            JsonValue v => [(string)v!],
            _ => throw new PharosException($"{path}: target_modules missing"),
        };
        return new LoraOptions
        {
            Rank = (int)json["r"]!,
            Alpha = (double)json["lora_alpha"]!,
            Dropout = json["lora_dropout"] is JsonValue d ? (double)d : 0,
            TargetModules = targets,
            UseRsLora = json["use_rslora"] is JsonValue rs && (bool)rs,
        };
    }

    /// <summary>Factors by module name (without PEFT's prefix): (lora_A [r, in], lora_B [out, r]).</summary>
    public static Dictionary<string, (Tensor A, Tensor B)> ReadFactors(string folder)
    {
        var path = Path.Combine(folder, WeightsFile);
        if (!File.Exists(path)) throw new PharosException($"{path}: missing");
        using var file = SafetensorsFile.Open(path);
        var result = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
        foreach (var key in file.Tensors.Select(t => t.Name).Where(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal)))
        {
            var module = ModuleName(key, ".lora_A.weight", path);
            var bKey = key[..^".lora_A.weight".Length] + ".lora_B.weight";
            if (!file.Contains(bKey)) throw new PharosException($"{path}: {key} has no matching lora_B");
            result[module] = (file.Load(key, float32, CPU), file.Load(bKey, float32, CPU));
        }
        if (result.Count == 0) throw new PharosException($"{path}: no lora_A/lora_B tensors");
        return result;
    }

    /// <summary>Attaches adapters as the folder describes and loads their factors (for continuing training or inference).</summary>
    public static LoraOptions Load(CausalLM model, string folder, Generator? dropoutRng = null)
    {
        var options = ReadOptions(folder);
        var factors = ReadFactors(folder);
        var adapters = Lora.Apply(model, options, seed: 0, dropoutRng);
        using var noGrad = no_grad();
        foreach (var (name, adapter) in adapters)
        {
            if (!factors.TryGetValue(name, out var f))
                throw new PharosException($"{folder}: no adapter weights for {name}");
            Check(folder, name, adapter.lora_A.weight, f.A);
            Check(folder, name, adapter.lora_B.weight, f.B);
            adapter.lora_A.weight.copy_(f.A);
            adapter.lora_B.weight.copy_(f.B);
        }
        var extra = factors.Keys.Except(adapters.Keys).ToList();
        if (extra.Count > 0) throw new PharosException($"{folder}: adapter weights for modules the model lacks or the config does not target: {string.Join(", ", extra.Take(3))}");
        return options;
    }

    /// <summary>Folds a PEFT adapter folder into a plain model's weights.</summary>
    public static int Merge(CausalLM model, string folder)
    {
        var options = ReadOptions(folder);
        var layers = model.named_modules().Where(m => m.module is Linear).ToDictionary(m => m.name, m => (Linear)m.module, StringComparer.Ordinal);
        int merged = 0;
        foreach (var (name, (a, b)) in ReadFactors(folder))
        {
            if (!layers.TryGetValue(name, out var layer)) throw new PharosException($"{folder}: the model has no module {name}");
            Check(folder, name, layer.weight, b.matmul(a));
            Lora.MergeInto(layer, a, b, options.Scale);
            merged++;
        }
        return merged;
    }

    static void Check(string folder, string name, Tensor expected, Tensor found)
    {
        if (!expected.shape.SequenceEqual(found.shape))
            throw new PharosException($"{folder}: {name}: adapter shape [{string.Join(", ", found.shape)}] does not fit [{string.Join(", ", expected.shape)}] (adapter made for another model?)");
    }

    static string ModuleName(string key, string suffix, string path) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..^suffix.Length]
        : throw new PharosException($"{path}: key {key} lacks PEFT's '{Prefix}' prefix");
}
