// Parses config.json into ModelConfig: family defaults, both rope styles (rope_theta/rope_scaling and transformers 5's rope_parameters).
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Models.Families;

namespace Pharos.Models.Config;

public static class ConfigReader
{
    public static ModelConfig ReadFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InvalidModelException($"{folder}: model folder does not exist");
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
            throw new InvalidModelException($"{path}: missing (a Hugging Face model folder needs config.json)");
        return Parse(File.ReadAllText(path), path);
    }

    public static ModelConfig Parse(string json, string path = "config.json")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidModelException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"{path}: invalid JSON: {e.Message}");
        }
        var architecture = new FieldReader(root, path).Architecture();
        var family = ModelFamilies.ForArchitecture(architecture, path);
        // The family's defaults fill what config.json leaves out; an explicit null in config.json stays null (disabled).
        var merged = family.Defaults();
        foreach (var (key, value) in root)
            merged[key] = value?.DeepClone();
        var r = new FieldReader(merged, path);

        int hidden = r.Int("hidden_size"), heads = r.Int("num_attention_heads"), layers = r.Int("num_hidden_layers");
        if (hidden <= 0 || heads <= 0 || layers <= 0)
            throw new InvalidModelException($"{path}: hidden_size, num_attention_heads and num_hidden_layers must be positive");
        int kvHeads = r.OptionalInt("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw new InvalidModelException($"{path}: num_key_value_heads ({kvHeads}) must divide num_attention_heads ({heads})");
        int headDim = r.OptionalInt("head_dim") ?? hidden / heads;
        var (theta, scaling) = r.Rope();
        int? window = r.OptionalInt("sliding_window");

        var config = new ModelConfig
        {
            Family = family,
            Architecture = architecture,
            ModelType = r.OptionalString("model_type") ?? family.ModelType,
            VocabSize = r.Int("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = r.Int("intermediate_size"),
            NumLayers = layers,
            NumHeads = heads,
            NumKvHeads = kvHeads,
            HeadDim = headDim,
            RmsNormEps = r.OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = theta,
            RopeScaling = scaling,
            MaxPositionEmbeddings = r.OptionalInt("max_position_embeddings") ?? 2048,
            TieWordEmbeddings = r.OptionalBool("tie_word_embeddings") ?? false,
            HiddenAct = r.OptionalString("hidden_activation") ?? r.OptionalString("hidden_act") ?? "silu",
            AttentionBias = r.OptionalBool("attention_bias") ?? false,
            MlpBias = r.OptionalBool("mlp_bias") ?? false,
            QueryPreAttnScalar = r.OptionalDouble("query_pre_attn_scalar"),
            AttnLogitSoftcapping = r.OptionalDouble("attn_logit_softcapping"),
            FinalLogitSoftcapping = r.OptionalDouble("final_logit_softcapping"),
            SlidingWindow = window,
            SlidingLayers = r.LayerTypes(layers) ?? family.SlidingLayers(layers, merged),
            BosTokenId = r.OptionalInt("bos_token_id"),
            EosTokenIds = r.IntOrList("eos_token_id"),
            PadTokenId = r.OptionalInt("pad_token_id"),
            TorchDType = r.OptionalString("dtype") ?? r.OptionalString("torch_dtype"),
            Raw = root,
        };
        if (config.SlidingLayers.Any(s => s) && config.SlidingWindow is null or <= 0)
            throw new InvalidModelException($"{path}: field 'sliding_window' is required when layers use sliding attention");
        Pharos.Models.Transformer.ActivationFunctions.Validate(config.HiddenAct, path);
        return config;
    }
}
