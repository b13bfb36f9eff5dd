// Per-layer sparsity of each decoder layer's MLP and self-attention: the paper's presets scaled to any depth, plus per-layer overrides.
using Pharos.Models.Errors;

namespace Pharos.Training.Adapters.SparseLora;

/// <param name="Mlp">share of intermediate channels skipped for context tokens (0 = dense)</param>
/// <param name="SelfAttn">share of q/k and v channels skipped for context tokens (0 = dense)</param>
public readonly record struct LayerSparsity(double Mlp, double SelfAttn);

public sealed class SparsitySchedule
{
    public static readonly IReadOnlyList<string> Presets = ["none", "conservative", "aggressive"];

    SparsitySchedule(LayerSparsity[] layers) => Layers = layers;

    public IReadOnlyList<LayerSparsity> Layers { get; }

    public bool IsDense => Layers.All(l => l.Mlp == 0 && l.SelfAttn == 0);

    public static SparsitySchedule Dense(int numLayers) => new(new LayerSparsity[numLayers]);

    public static SparsitySchedule Uniform(int numLayers, double mlp, double selfAttn) =>
        new(Enumerable.Repeat(new LayerSparsity(Check(mlp, "mlp"), Check(selfAttn, "self_attn")), numLayers).ToArray());

    /// <summary>The fewest MLP channels a preset keeps per sparse layer: the paper's aggressive Llama-3-8B setting keeps 143
    /// (1% of 14,336), rounded down to 128.</summary>
    public const int PresetMinMlpChannels = 128;

    /// <summary>The fewest q/k and v channels a preset keeps per KV head: the paper's aggressive setting keeps 32 of 128.</summary>
    public const int PresetMinAttentionChannelsPerKvHead = 32;

    /// <summary>The paper's Llama-3-8B pattern (32 layers: first 3 and last 2 dense; FFN very sparse; attention sparse only in
    /// the deeper half) with the layer counts scaled to <paramref name="numLayers"/>, keeping at least one dense layer at each end,
    /// and the fractions capped for narrow models so that a sparse layer keeps at least as many channels as the paper's 8B model
    /// did (<see cref="PresetMinMlpChannels"/>, <see cref="PresetMinAttentionChannelsPerKvHead"/>): on a 1,024-wide MLP 99% would
    /// keep 10 channels, and the larger quality bench model lost 1.2–1.5% eval loss that way. Per-layer overrides are exact.</summary>
    public static SparsitySchedule Preset(string name, int numLayers, int intermediateSize, int headDim)
    {
        var (mlp, attn) = name switch
        {
            "none" => (0.0, 0.0),
            "conservative" => (0.9, 0.25),
            "aggressive" => (0.99, 0.75),
            _ => throw new PharosException($"sparselora.preset '{name}' is not one of {string.Join(", ", Presets)}"),
        };
        mlp = Capped(mlp, intermediateSize, PresetMinMlpChannels);
        attn = Capped(attn, headDim, PresetMinAttentionChannelsPerKvHead);
        int denseFirst = Math.Max(1, (int)Math.Round(numLayers * 3 / 32.0));
        int denseLast = Math.Max(1, (int)Math.Round(numLayers * 2 / 32.0));
        var layers = new LayerSparsity[numLayers];
        for (int i = denseFirst; i < numLayers - denseLast; i++)
            layers[i] = new LayerSparsity(mlp, i >= numLayers / 2 ? attn : 0);
        return new SparsitySchedule(layers);
    }

    /// <summary>The sparsity, lowered if needed so that at least <paramref name="minKept"/> of <paramref name="channels"/> stay (0 if
    /// that is all of them).</summary>
    static double Capped(double sparsity, long channels, int minKept) =>
        sparsity == 0 ? 0 : Math.Max(0, Math.Min(sparsity, 1 - (double)minKept / channels));

    /// <summary>This schedule with one layer's values replaced (null keeps the current value).</summary>
    public SparsitySchedule With(int layer, double? mlp, double? selfAttn)
    {
        if (layer < 0 || layer >= Layers.Count) throw new PharosException($"sparselora.layers.{layer}: the model has {Layers.Count} layers");
        var copy = Layers.ToArray();
        copy[layer] = new LayerSparsity(Check(mlp ?? copy[layer].Mlp, $"layers.{layer}.mlp"), Check(selfAttn ?? copy[layer].SelfAttn, $"layers.{layer}.self_attn"));
        return new SparsitySchedule(copy);
    }

    /// <summary>Channels kept out of <paramref name="channels"/>: k = channels·(1 − sparsity), at least one.</summary>
    public static long Keep(long channels, double sparsity) => Math.Clamp((long)Math.Round(channels * (1 - sparsity)), 1, channels);

    public override string ToString() =>
        string.Join(" ", Layers.Select((l, i) => $"{i}:{l.Mlp:0.##}/{l.SelfAttn:0.##}"));

    static double Check(double value, string key) =>
        value is >= 0 and < 1 ? value : throw new PharosException($"sparselora.{key}: sparsity must be in [0, 1) (got {value})");
}
