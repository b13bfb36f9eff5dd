// Gemma 2: scaled embeddings, (1 + w) RMSNorm, sandwich norms, GeGLU, query_pre_attn_scalar, logit soft-capping,
// and sliding-window attention on even layers (0, 2, ...), as transformers' Gemma2 defines them.
namespace Pharos.Models.Families;

internal static class Gemma2
{
    public static readonly ModelFamily Family = new(
        Architecture: "Gemma2ForCausalLM",
        ModelType: "gemma2",
        DefaultsJson: """{"rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": true, "hidden_activation": "gelu_pytorch_tanh", "head_dim": 256, "query_pre_attn_scalar": 256, "attn_logit_softcapping": 50.0, "final_logit_softcapping": 30.0, "sliding_window": 4096, "max_position_embeddings": 8192}""",
        SlidingLayers: (layers, _) => Enumerable.Range(0, layers).Select(i => i % 2 == 0).ToArray(),
        Blocks: c => new BlockOptions(
            QkvBias: c.AttentionBias, OutputBias: c.AttentionBias, MlpBias: false,
            NormAddsOne: true, SandwichNorms: true, ScaleEmbeddings: true,
            AttentionScale: 1.0 / Math.Sqrt(c.QueryPreAttnScalar ?? c.HeadDim),
            AttnLogitSoftcap: c.AttnLogitSoftcapping, FinalLogitSoftcap: c.FinalLogitSoftcapping, Activation: c.HiddenAct));
}
