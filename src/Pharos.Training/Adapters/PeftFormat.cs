// LoRA adapters in PEFT's folder format: adapter_config.json + adapter_model.safetensors with keys like
// base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight (DoRA adds …q_proj.lora_magnitude_vector, modules_to_save
// adds the module's own weights, e.g. base_model.model.lm_head.weight), so PEFT loads what we save and we load what PEFT saves.
using Pharos.IO;
using Pharos.Models.Errors;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters;

public static class PeftFormat
{
    public const string ConfigFile = PeftConfigFile.FileName;
    public const string WeightsFile = "adapter_model.safetensors";
    const string Prefix = "base_model.model.";
    const string FactorA = ".lora_A.weight", FactorB = ".lora_B.weight", Magnitude = ".lora_magnitude_vector";

    /// <summary>One adapted module's tensors (float32, CPU); Magnitude only for DoRA.</summary>
    public sealed record Factors(Tensor A, Tensor B, Tensor? Magnitude);

    /// <summary>Every tensor of an adapter file: factors by module name and whole weights (modules_to_save) by parameter name.</summary>
    public sealed record Weights(Dictionary<string, Factors> Modules, Dictionary<string, Tensor> Saved);

    public static void Save(CausalLM model, string folder, LoraOptions options, string? baseModel)
    {
        Directory.CreateDirectory(folder);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, adapter, _) in Lora.Find(model))
        {
            tensors.Add(new(Prefix + name + FactorA, adapter.lora_A.weight.detach()));
            tensors.Add(new(Prefix + name + FactorB, adapter.lora_B.weight.detach()));
            if (adapter is DoraAdapter dora) tensors.Add(new(Prefix + name + Magnitude, dora.lora_magnitude_vector.weight.detach()));
        }
        if (tensors.Count == 0) throw new InvalidOperationException("the model has no LoRA adapters to save");
        foreach (var (name, parameter) in SavedWholeParameters(model, options))
            tensors.Add(new(Prefix + name, parameter.detach()));
        SafetensorsWriter.Write(Path.Combine(folder, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        PeftConfigFile.Write(folder, options, baseModel);
    }

    public static LoraOptions ReadOptions(string folder) => PeftConfigFile.Read(folder);

    /// <summary>Reads every tensor of the adapter file; a key that is neither a LoRA/DoRA factor nor a modules_to_save
    /// weight is refused by name (PEFT's LoRA on embeddings, lora_embedding_A, is one such).</summary>
    public static Weights ReadWeights(string folder, LoraOptions options)
    {
        var path = Path.Combine(folder, WeightsFile);
        if (!File.Exists(path)) throw new PharosException($"{path}: missing");
        using var file = SafetensorsFile.Open(path);
        var parts = new Dictionary<string, (Tensor? A, Tensor? B, Tensor? M)>(StringComparer.Ordinal);
        var saved = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var key in file.Tensors.Select(t => t.Name))
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal)) throw new PharosException($"{path}: key {key} lacks PEFT's '{Prefix}' prefix");
            var name = key[Prefix.Length..];
            var tensor = file.Load(key, float32, CPU);
            if (name.EndsWith(FactorA, StringComparison.Ordinal)) Set(name[..^FactorA.Length], p => p with { A = tensor });
            else if (name.EndsWith(FactorB, StringComparison.Ordinal)) Set(name[..^FactorB.Length], p => p with { B = tensor });
            else if (name.EndsWith(Magnitude, StringComparison.Ordinal))
            {
                if (!options.UseDora) throw new PharosException($"{path}: {key} is a DoRA magnitude but adapter_config.json has no use_dora: true");
                Set(name[..^Magnitude.Length], p => p with { M = tensor });
            }
            else if (name.LastIndexOf('.') is var dot && dot > 0 && options.IsSavedWhole(name[..dot])) saved[name] = tensor;
            else throw new PharosException($"{path}: {key} is neither a LoRA factor (lora_A/lora_B{(options.UseDora ? "/lora_magnitude_vector" : "")}) nor a weight of modules_to_save");
        }
        var modules = new Dictionary<string, Factors>(StringComparer.Ordinal);
        foreach (var (module, p) in parts)
        {
            if (p.A is null || p.B is null) throw new PharosException($"{path}: {module} has {(p.A is null ? "lora_B but no lora_A" : "lora_A but no lora_B")}");
            if (options.UseDora && p.M is null) throw new PharosException($"{path}: {module} has no lora_magnitude_vector (use_dora: true)");
            modules[module] = new Factors(p.A, p.B, p.M);
        }
        if (modules.Count == 0) throw new PharosException($"{path}: no lora_A/lora_B tensors");
        return new Weights(modules, saved);

        void Set(string module, Func<(Tensor? A, Tensor? B, Tensor? M), (Tensor? A, Tensor? B, Tensor? M)> update) =>
            parts[module] = update(parts.TryGetValue(module, out var p) ? p : default);
    }

    /// <summary>Attaches adapters as the folder describes and loads their tensors (for inference or parity checks).
    /// modules_to_save weights replace the model's own in place, so switching the adapters off does not restore them.</summary>
    public static LoraOptions Load(CausalLM model, string folder, Generator? dropoutRng = null)
    {
        var options = ReadOptions(folder);
        var weights = ReadWeights(folder, options);
        CheckSaved(model, folder, weights.Saved);
        var adapters = Lora.Apply(model, options, seed: 0, dropoutRng);
        using var noGrad = no_grad();
        foreach (var (name, adapter) in adapters)
        {
            if (!weights.Modules.TryGetValue(name, out var f))
                throw new PharosException($"{folder}: no adapter weights for {name}");
            Copy(folder, name, adapter.lora_A.weight, f.A);
            Copy(folder, name, adapter.lora_B.weight, f.B);
            if (adapter is DoraAdapter dora) Copy(folder, name, dora.lora_magnitude_vector.weight, f.Magnitude!);
        }
        var extra = weights.Modules.Keys.Except(adapters.Keys).ToList();
        if (extra.Count > 0) throw new PharosException($"{folder}: adapter weights for modules the model lacks or the config does not target: {string.Join(", ", extra.Take(3))}");
        CopySaved(model, folder, weights.Saved);
        return options;
    }

    /// <summary>Folds a PEFT adapter folder into a plain model's weights, modules_to_save included, as PEFT's
    /// merge_and_unload() does. Returns the number of adapted modules merged.</summary>
    public static int Merge(CausalLM model, string folder)
    {
        var options = ReadOptions(folder);
        var weights = ReadWeights(folder, options);
        CheckSaved(model, folder, weights.Saved);
        var layers = model.named_modules().Where(m => m.module is Linear).ToDictionary(m => m.name, m => (Linear)m.module, StringComparer.Ordinal);
        foreach (var (name, f) in weights.Modules)
        {
            if (!layers.TryGetValue(name, out var layer)) throw new PharosException($"{folder}: the model has no module {name}");
            if (!options.Targets(name, ReferenceEquals(layer, model.lm_head)))
                throw new PharosException($"{folder}: {name} has adapter weights but target_modules '{options.TargetModules}' does not select it");
            using var delta = f.B.matmul(f.A);
            Check(folder, name, layer.weight, delta);
            using var noGrad = no_grad();
            using var merged = f.Magnitude is null
                ? (layer.weight.to(float32) + delta * options.Scale).to(layer.weight.dtype)
                : DoraAdapter.MergedWeight(layer.weight, f.A, f.B, f.Magnitude, options.Scale);
            layer.weight.copy_(merged);
        }
        CopySaved(model, folder, weights.Saved);
        return weights.Modules.Count;
    }

    /// <summary>The parameters of the model's modules_to_save modules, by name.</summary>
    static IEnumerable<(string Name, Tensor Parameter)> SavedWholeParameters(CausalLM model, LoraOptions options)
    {
        if (options.ModulesToSave.Count == 0) yield break;
        foreach (var (name, parameter) in model.named_parameters())
            if (name.LastIndexOf('.') is var dot && dot > 0 && options.IsSavedWhole(name[..dot])) yield return (name, parameter);
    }

    static void CheckSaved(CausalLM model, string folder, Dictionary<string, Tensor> saved)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var (name, tensor) in saved)
        {
            if (name.StartsWith("lm_head.", StringComparison.Ordinal) && model.lm_head is null)
                throw new PharosException($"{folder}: modules_to_save has lm_head but this model ties lm_head to embed_tokens (an adapter that unties them is not supported)");
            if (!parameters.TryGetValue(name, out var p)) throw new PharosException($"{folder}: modules_to_save weight {name} names no parameter of the model");
            Check(folder, name, p, tensor);
        }
    }

    static void CopySaved(CausalLM model, string folder, Dictionary<string, Tensor> saved)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, tensor) in saved) parameters[name].copy_(tensor.to(parameters[name].dtype));
    }

    static void Copy(string folder, string name, Tensor target, Tensor source)
    {
        Check(folder, name, target, source);
        target.copy_(source);
    }

    static void Check(string folder, string name, Tensor expected, Tensor found)
    {
        if (!expected.shape.SequenceEqual(found.shape))
            throw new PharosException($"{folder}: {name}: adapter shape [{string.Join(", ", found.shape)}] does not fit [{string.Join(", ", expected.shape)}] (adapter made for another model?)");
    }
}
