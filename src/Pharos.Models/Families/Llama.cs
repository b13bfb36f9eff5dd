// Llama (2, 3, 3.x): the plain decoder; rope_scaling 'llama3' is handled by the shared RotaryEmbedding.
namespace Pharos.Models.Families;

internal static class Llama
{
    public static readonly ModelFamily Family = new(
        Architecture: "LlamaForCausalLM",
        ModelType: "llama",
        DefaultsJson: """{"rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": false, "hidden_act": "silu", "attention_bias": false, "mlp_bias": false, "max_position_embeddings": 2048}""",
        SlidingLayers: (layers, _) => new bool[layers],
        Blocks: c => new BlockOptions(
            QkvBias: c.AttentionBias, OutputBias: c.AttentionBias, MlpBias: c.MlpBias,
            NormAddsOne: false, SandwichNorms: false, ScaleEmbeddings: false,
            AttentionScale: 1.0 / Math.Sqrt(c.HeadDim),
            AttnLogitSoftcap: null, FinalLogitSoftcap: null, Activation: c.HiddenAct));
}
