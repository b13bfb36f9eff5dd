// How a Hugging Face Llama / Qwen2 / Gemma2 checkpoint becomes llama.cpp's GGUF model: the architecture's hyperparameter
// keys, tensor names (token_embd, blk.N.attn_q, …) and the few weight changes llama.cpp expects: Llama's q/k rows
// reordered from rotate-half to interleaved RoPE, and Gemma's (1 + w) norm weights stored as 1 + w.
// What llama.cpp would compute differently from the checkpoint is refused with one line naming the config field.
using Pharos.Models.Config;
using Pharos.Models.Errors;
using static TorchSharp.torch;

namespace Pharos.Models.Gguf;

/// <param name="Transform">applied to the float32 checkpoint tensor before encoding; null = as stored</param>
public sealed record GgufTensorSource(string HfName, string GgufName, Func<Tensor, Tensor>? Transform);

public static class GgufModelMap
{
    public static string Architecture(ModelConfig c) => c.ModelType switch
    {
        "llama" or "qwen2" or "gemma2" => c.ModelType,
        _ => throw new PharosException($"config.json: model_type '{c.ModelType}' has no GGUF export (llama, qwen2 and gemma2 do)"),
    };

    /// <summary>Refuses configs whose computation llama.cpp's architecture would not reproduce.</summary>
    public static void Check(ModelConfig c, string folder)
    {
        var config = Path.Combine(folder, "config.json");
        string arch = Architecture(c);
        if (arch == "qwen2" && c.SlidingLayers.Any(s => s))
            throw new PharosException($"{config}: use_sliding_window is on, but llama.cpp's qwen2 attends to the whole context");
        if (arch == "gemma2" && c.QueryPreAttnScalar is double q && q != GemmaQueryScalar(c))
            throw new PharosException($"{config}: query_pre_attn_scalar {q} is not what llama.cpp's gemma2 uses for this model ({GemmaQueryScalar(c)}), so its logits would differ");
        if (c.RopeScaling is { Type: "llama3" } && arch != "llama")
            throw new PharosException($"{config}: rope_scaling llama3 on {arch} has no GGUF form (llama.cpp reads rope_freqs only for llama)");
        if (c.MlpBias) throw new PharosException($"{config}: mlp_bias has no GGUF tensors in llama.cpp's {arch}");
    }

    /// <summary>llama.cpp's gemma2 scales queries by 1/√head_dim, except the 46-layer 27B, which uses hidden/heads.</summary>
    static double GemmaQueryScalar(ModelConfig c) => c.NumLayers == 46 ? (double)c.HiddenSize / c.NumHeads : c.HeadDim;

    public static void AddHyperparameters(GgufMetadata m, ModelConfig c)
    {
        string a = Architecture(c);
        m.UInt32($"{a}.context_length", (uint)c.MaxPositionEmbeddings);
        m.UInt32($"{a}.embedding_length", (uint)c.HiddenSize);
        m.UInt32($"{a}.block_count", (uint)c.NumLayers);
        m.UInt32($"{a}.feed_forward_length", (uint)c.IntermediateSize);
        m.UInt32($"{a}.attention.head_count", (uint)c.NumHeads);
        m.UInt32($"{a}.attention.head_count_kv", (uint)c.NumKvHeads);
        m.Float32($"{a}.rope.freq_base", (float)c.RopeTheta);
        m.Float32($"{a}.attention.layer_norm_rms_epsilon", (float)c.RmsNormEps);
        m.UInt32($"{a}.attention.key_length", (uint)c.HeadDim);
        m.UInt32($"{a}.attention.value_length", (uint)c.HeadDim);
        m.UInt32($"{a}.rope.dimension_count", (uint)c.HeadDim);
        m.UInt32($"{a}.vocab_size", (uint)c.VocabSize);
        if (c.RopeScaling is { Type: "linear" } linear)
        {
            m.String($"{a}.rope.scaling.type", "linear");
            m.Float32($"{a}.rope.scaling.factor", (float)linear.Factor);
        }
        if (a == "gemma2")
        {
            if (c.AttnLogitSoftcapping is double attn) m.Float32($"{a}.attn_logit_softcapping", (float)attn);
            if (c.FinalLogitSoftcapping is double final) m.Float32($"{a}.final_logit_softcapping", (float)final);
            if (c.SlidingWindow is int window) m.UInt32($"{a}.attention.sliding_window", (uint)window);
        }
    }

    /// <summary>Every checkpoint tensor with its GGUF name, in checkpoint order; an unknown name is refused.</summary>
    public static List<GgufTensorSource> Tensors(ModelConfig c, IEnumerable<string> hfNames)
    {
        string a = Architecture(c);
        var list = new List<GgufTensorSource>();
        foreach (var name in hfNames)
        {
            // Gemma 2 always ties its output to the embedding; llama.cpp reads token_embd for both.
            if (name == "lm_head.weight" && (c.TieWordEmbeddings || a == "gemma2")) continue;
            var gguf = Name(a, name) ?? throw new PharosException($"{name}: no GGUF tensor name for this {a} weight");
            list.Add(new GgufTensorSource(name, gguf, Transform(a, c, name)));
        }
        return list;
    }

    static string? Name(string arch, string hf)
    {
        switch (hf)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }
        var parts = hf.Split('.');
        if (parts.Length < 5 || parts[0] != "model" || parts[1] != "layers" || !int.TryParse(parts[2], out int layer)) return null;
        var rest = string.Join('.', parts[3..]);
        var suffix = rest[(rest.LastIndexOf('.') + 1)..];
        var module = rest[..rest.LastIndexOf('.')];
        string? block = module switch
        {
            "input_layernorm" => "attn_norm",
            "self_attn.q_proj" => "attn_q",
            "self_attn.k_proj" => "attn_k",
            "self_attn.v_proj" => "attn_v",
            "self_attn.o_proj" => "attn_output",
            // Gemma 2's sandwich norms: its post_attention_layernorm follows attention; pre_feedforward_layernorm is the FFN's input norm.
            "post_attention_layernorm" => arch == "gemma2" ? "post_attention_norm" : "ffn_norm",
            "pre_feedforward_layernorm" when arch == "gemma2" => "ffn_norm",
            "post_feedforward_layernorm" when arch == "gemma2" => "post_ffw_norm",
            "mlp.gate_proj" => "ffn_gate",
            "mlp.up_proj" => "ffn_up",
            "mlp.down_proj" => "ffn_down",
            _ => null,
        };
        return block is null || suffix is not ("weight" or "bias") ? null : $"blk.{layer}.{block}.{suffix}";
    }

    static Func<Tensor, Tensor>? Transform(string arch, ModelConfig c, string hf)
    {
        if (arch == "gemma2" && hf.EndsWith("norm.weight", StringComparison.Ordinal)) return w => w + 1;
        if (arch != "llama") return null;
        if (hf.EndsWith("self_attn.q_proj.weight", StringComparison.Ordinal) || hf.EndsWith("self_attn.q_proj.bias", StringComparison.Ordinal))
            return w => Interleave(w, c.NumHeads);
        if (hf.EndsWith("self_attn.k_proj.weight", StringComparison.Ordinal) || hf.EndsWith("self_attn.k_proj.bias", StringComparison.Ordinal))
            return w => Interleave(w, c.NumKvHeads);
        return null;
    }

    /// <summary>Reorders each head's rows from transformers' rotate-half RoPE layout (first half, second half) to the
    /// interleaved pairs llama.cpp's llama rotates: row i of the first half and row i of the second half become 2i, 2i+1.</summary>
    static Tensor Interleave(Tensor w, int heads)
    {
        long rows = w.shape[0];
        long[] inner = [.. w.shape.Skip(1)];
        return w.reshape([heads, 2, rows / heads / 2, .. inner]).transpose(1, 2).reshape(w.shape);
    }

    /// <summary>llama3 RoPE: the per-frequency divisor llama.cpp multiplies into its wavelengths (rope_freqs.weight),
    /// from the formula transformers applies to inv_freq, in float32 as convert_hf_to_gguf.py computes it.</summary>
    public static float[]? RopeFactors(ModelConfig c)
    {
        if (c.RopeScaling is not { Type: "llama3" } s) return null;
        var factors = new float[c.HeadDim / 2];
        float factor = (float)s.Factor, low = (float)s.LowFreqFactor, high = (float)s.HighFreqFactor, original = s.OriginalMaxPositionEmbeddings;
        float lowWavelength = original / low, highWavelength = original / high;
        for (int i = 0; i < factors.Length; i++)
        {
            float freq = 1f / MathF.Pow((float)c.RopeTheta, (float)(2 * i) / c.HeadDim);
            float wavelength = (float)(2 * Math.PI) / freq;
            float smooth = (original / wavelength - low) / (high - low);
            factors[i] = wavelength < highWavelength ? 1f : wavelength > lowWavelength ? factor : 1f / ((1 - smooth) / factor + smooth);
        }
        return factors;
    }
}
