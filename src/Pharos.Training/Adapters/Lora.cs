// Attaching LoRA to a model: adapters on every targeted Linear, base weights frozen, only adapter factors trainable.
using Pharos.Models.Errors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters;

public static class Lora
{
    /// <returns>the adapted modules by name</returns>
    /// <param name="make">builds the adapter for one module (name, layer, init generator); default plain LoRA. SparseLoRA passes
    /// its own so targets, freezing and the init draw order stay exactly LoRA's.</param>
    public static Dictionary<string, LoraAdapter> Apply(CausalLM model, LoraOptions options, long seed, Generator? dropoutRng = null,
        Func<string, Linear, Generator, LoraAdapter>? make = null)
    {
        if (options.Rank <= 0) throw new PharosException($"lora.r must be positive (got {options.Rank})");
        var targets = model.named_modules()
            .Where(m => m.module is Linear && options.Targets(m.name) && !m.name.EndsWith(".lora_A") && !m.name.EndsWith(".lora_B"))
            .Select(m => (m.name, Layer: (Linear)m.module)).ToList();
        if (targets.Count == 0)
            throw new PharosException($"lora.target_modules [{string.Join(", ", options.TargetModules)}] matches no Linear module of this model");
        foreach (var p in model.parameters()) p.requires_grad = false;
        var initRng = new Generator((ulong)seed, model.Device);
        var adapters = new Dictionary<string, LoraAdapter>(StringComparer.Ordinal);
        foreach (var (name, layer) in targets)
        {
            var adapter = make is null ? new LoraAdapter(layer, options, initRng, dropoutRng) : make(name, layer, initRng);
            layer.Attach(adapter);
            adapters[name] = adapter;
        }
        return adapters;
    }

    public static IEnumerable<(string Name, LoraAdapter Adapter, Linear Layer)> Find(CausalLM model) =>
        model.named_modules().Where(m => m.module is Linear { Adapter: LoraAdapter })
            .Select(m => (m.name, (LoraAdapter)((Linear)m.module).Adapter!, (Linear)m.module));

    /// <summary>Folds every adapter into its base weight (W += scale·B·A). The adapters stay attached: use the merged
    /// weights through <see cref="Pharos.Models.Loading.ModelSaver"/> on a model built without them, or via MergeInto.</summary>
    public static void MergeInto(Linear layer, Tensor loraA, Tensor loraB, double scale)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var delta = loraB.to(float32).matmul(loraA.to(float32)) * scale;
        layer.weight.copy_((layer.weight.to(float32) + delta).to(layer.weight.dtype));
    }
}
