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
        var targets = Targets(model, options);
        if (targets.Count == 0)
            throw new PharosException($"lora.target_modules '{options.TargetModules}' matches no Linear module of this model");
        foreach (var p in model.parameters()) p.requires_grad = false;
        var initRng = new Generator((ulong)seed, model.Device);
        var adapters = new Dictionary<string, LoraAdapter>(StringComparer.Ordinal);
        foreach (var (name, layer) in targets)
        {
            var adapter = make is not null ? make(name, layer, initRng)
                : options.UseDora ? new DoraAdapter(layer, options, initRng, dropoutRng)
                : new LoraAdapter(layer, options, initRng, dropoutRng);
            layer.Attach(adapter);
            adapters[name] = adapter;
        }
        return adapters;
    }

    /// <summary>The Linear modules the options target, in module order (the adapters' factors are never targets themselves).</summary>
    public static List<(string Name, Linear Layer)> Targets(CausalLM model, LoraOptions options) =>
        model.named_modules()
            .Where(m => m.module is Linear layer && !IsAdapterPart(m.name) && options.Targets(m.name, ReferenceEquals(layer, model.lm_head)))
            .Select(m => (m.name, (Linear)m.module)).ToList();

    static bool IsAdapterPart(string name) => name.EndsWith(".lora_A", StringComparison.Ordinal) || name.EndsWith(".lora_B", StringComparison.Ordinal);

    public static IEnumerable<(string Name, LoraAdapter Adapter, Linear Layer)> Find(CausalLM model) =>
        model.named_modules().Where(m => m.module is Linear { Adapter: LoraAdapter })
            .Select(m => (m.name, (LoraAdapter)((Linear)m.module).Adapter!, (Linear)m.module));
}
