// Builds a from-scratch model config from a family and a few sizes (the rest derived), sized to the tokenizer's vocabulary.
using System.Text.Json.Nodes;
using Pharos.Models.Config;
using Pharos.Models.Families;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using Pharos.Training.Tokenizer;
using static TorchSharp.torch;

namespace Pharos.Training.Recipes;

public static class NewModel
{
    /// <summary>The model a recipe's model.new describes, with its seeded initial weights (the CPT starting point).</summary>
    public static CausalLM Create(NewModelSection spec, ITextTokenizer tokenizer, long seed, ScalarType dtype, Device device)
    {
        var eos = tokenizer is HfTextTokenizer hf ? hf.StopIds : [tokenizer.EosId];
        var model = new CausalLM(Config(spec, tokenizer, eos), dtype, device);
        WeightInit.Normal(model, seed, spec.InitStd);
        return model;
    }

    public static ModelConfig Config(NewModelSection spec, ITextTokenizer tokenizer, IReadOnlyList<int> eosIds)
    {
        var family = ModelFamilies.ForModelType(spec.Family);
        int heads = spec.NumHeads > 0 ? spec.NumHeads : Math.Max(1, spec.HiddenSize / spec.HeadDim);
        int kvHeads = spec.NumKvHeads > 0 ? spec.NumKvHeads : Math.Max(1, heads / 2);
        if (heads % kvHeads != 0) throw new RecipeException("model.new.num_kv_heads", $"{kvHeads} does not divide num_heads {heads}");
        int intermediate = spec.IntermediateSize > 0 ? spec.IntermediateSize : (spec.HiddenSize * 8 / 3 + 31) / 32 * 32;
        var raw = new JsonObject
        {
            ["architectures"] = new JsonArray(family.Architecture),
            ["model_type"] = family.ModelType,
            ["vocab_size"] = Math.Max(spec.VocabSize, tokenizer.VocabSize),
            ["hidden_size"] = spec.HiddenSize,
            ["intermediate_size"] = intermediate,
            ["num_hidden_layers"] = spec.NumLayers,
            ["num_attention_heads"] = heads,
            ["num_key_value_heads"] = kvHeads,
            ["head_dim"] = spec.HeadDim,
            ["max_position_embeddings"] = spec.MaxPositionEmbeddings,
            ["rms_norm_eps"] = 1e-6,
            ["rope_theta"] = spec.RopeTheta,
            ["tie_word_embeddings"] = spec.TieWordEmbeddings,
            ["initializer_range"] = spec.InitStd,
            ["bos_token_id"] = tokenizer.BosId,
            ["eos_token_id"] = new JsonArray(eosIds.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
            ["pad_token_id"] = tokenizer.PadId,
            ["dtype"] = "float32",
        };
        if (family.ModelType == "gemma2")
        {
            raw["sliding_window"] = spec.MaxPositionEmbeddings;
            raw["query_pre_attn_scalar"] = spec.HeadDim;
        }
        return ConfigReader.Parse(raw.ToJsonString(), "model.new");
    }
}
