// What a checkpoint records about the model it was made for, so resuming into a different model refuses and says which field differs.
using System.Text.Json.Nodes;
using Pharos.Models.Transformer;

namespace Pharos.Training.Checkpoints;

public static class ModelFingerprint
{
    /// <summary>Before train.precision existed every run was fp32: a checkpoint without the field was made in fp32.</summary>
    const string PrecisionBefore = "fp32";

    public static JsonObject Of(CausalLM model, string method, string precision = PrecisionBefore)
    {
        var c = model.Config;
        return new JsonObject
        {
            ["architecture"] = c.Architecture,
            ["vocab_size"] = c.VocabSize,
            ["hidden_size"] = c.HiddenSize,
            ["intermediate_size"] = c.IntermediateSize,
            ["num_hidden_layers"] = c.NumLayers,
            ["num_attention_heads"] = c.NumHeads,
            ["num_key_value_heads"] = c.NumKvHeads,
            ["head_dim"] = c.HeadDim,
            ["dtype"] = model.DType.ToString(),
            ["method"] = method,
            ["precision"] = precision,
        };
    }

    /// <returns>null when they match, else a sentence naming the first difference</returns>
    public static string? Difference(JsonObject saved, JsonObject current)
    {
        foreach (var (key, value) in current)
        {
            var before = saved[key]?.ToJsonString() ?? (key == "precision" ? JsonValue.Create(PrecisionBefore).ToJsonString() : "(missing)");
            var now = value?.ToJsonString() ?? "(missing)";
            if (before != now) return $"{key} is {before} in the checkpoint but {now} in this run";
        }
        return null;
    }
}
