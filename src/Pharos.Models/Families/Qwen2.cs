// Qwen2 / Qwen2.5: Llama's blocks with biases on q, k and v (not o); optional sliding window above max_window_layers.
namespace Pharos.Models.Families;

internal static class Qwen2
{
    public static readonly ModelFamily Family = new(
        Architecture: "Qwen2ForCausalLM",
        ModelType: "qwen2",
        DefaultsJson: """{"rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": false, "hidden_act": "silu", "use_sliding_window": false, "max_window_layers": 28, "max_position_embeddings": 32768}""",
        SlidingLayers: (layers, config) =>
        {
            bool enabled = (bool?)config["use_sliding_window"] ?? false;
            int firstSliding = (int?)config["max_window_layers"] ?? layers;
            return Enumerable.Range(0, layers).Select(i => enabled && i >= firstSliding).ToArray();
        },
        Blocks: c => new BlockOptions(
            QkvBias: true, OutputBias: false, MlpBias: false,
            NormAddsOne: false, SandwichNorms: false, ScaleEmbeddings: false,
            AttentionScale: 1.0 / Math.Sqrt(c.HeadDim),
            AttnLogitSoftcap: null, FinalLogitSoftcap: null, Activation: c.HiddenAct));
}
