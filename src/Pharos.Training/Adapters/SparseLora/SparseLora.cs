// Attaching SparseLoRA: LoRA adapters exactly as Lora.Apply makes them (same targets, init and PEFT names), but on decoder-layer
// projections they compute the frozen base sparsely, with channels chosen per layer by MlpChannels / AttentionChannels.
using System.Text.RegularExpressions;
using Pharos.Models.Errors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public static partial class SparseLora
{
    /// <param name="estimators">factors by module name, from <see cref="EstimatorCache"/> (only the sparse layers' are needed)</param>
    /// <returns>the context to hand to <see cref="SparseLoraObjective"/> and to the Trainer as its step hook</returns>
    public static SparseLoraContext Apply(CausalLM model, LoraOptions lora, SparseLoraOptions options,
        IReadOnlyDictionary<string, LowRankFactors> estimators, long seed, Generator? dropoutRng = null,
        Func<Linear, Generator, SparseLoraContext, ILayerChannels, ProjectionRole, LoraAdapter>? sparseAdapter = null)
    {
        // sparseAdapter: tests put a masked-dense reference adapter in the sparse adapter's place, with the same channel choice.
        var c = model.Config;
        if (options.Schedule.Layers.Count != c.NumLayers)
            throw new PharosException($"sparselora: the schedule has {options.Schedule.Layers.Count} layers, the model {c.NumLayers}");
        var context = new SparseLoraContext(options);
        var mlp = new ILayerChannels?[c.NumLayers];
        var attn = new ILayerChannels?[c.NumLayers];
        for (int i = 0; i < c.NumLayers; i++)
        {
            var s = options.Schedule.Layers[i];
            if (s.Mlp > 0)
                mlp[i] = new MlpChannels(Factors(estimators, i, "mlp.gate_proj"), Factors(estimators, i, "mlp.up_proj"),
                    model.model.layers[i].mlp.Activation, SparsitySchedule.Keep(c.IntermediateSize, s.Mlp));
            if (s.SelfAttn > 0)
                attn[i] = new AttentionChannels(Factors(estimators, i, "self_attn.q_proj"), Factors(estimators, i, "self_attn.k_proj"),
                    Factors(estimators, i, "self_attn.v_proj"), c.NumHeads, c.NumKvHeads, c.HeadDim,
                    SparsitySchedule.Keep((long)c.NumKvHeads * c.HeadDim, s.SelfAttn));
        }
        Lora.Apply(model, lora, seed, dropoutRng, (name, layer, initRng) =>
        {
            var m = LayerProjection().Match(name);
            var role = m.Success ? ProjectionRoles.FromName(m.Groups[3].Value) : null;
            var channels = role is null ? null : (m.Groups[2].Value == "mlp" ? mlp : attn)[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            // Decoder projections of dense layers get a SparseLoraAdapter too (it runs dense) so the FLOP log covers every layer.
            if (role is null) return new LoraAdapter(layer, lora, initRng, dropoutRng);
            return (channels is null ? null : sparseAdapter?.Invoke(layer, initRng, context, channels, role.Value))
                ?? new SparseLoraAdapter(layer, lora, initRng, dropoutRng, context, channels, role.Value);
        });
        return context;
    }

    static LowRankFactors Factors(IReadOnlyDictionary<string, LowRankFactors> estimators, int layer, string projection) =>
        estimators.TryGetValue($"model.layers.{layer}.{projection}", out var f) ? f
            : throw new PharosException($"sparselora: no estimator for model.layers.{layer}.{projection}");

    [GeneratedRegex(@"(?:^|\.)layers\.(\d+)\.(self_attn|mlp)\.(\w+)$")]
    private static partial Regex LayerProjection();
}
