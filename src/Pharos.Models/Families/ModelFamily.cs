// A model family: its config defaults, which layers slide, and the few block options that differ from the shared Transformer.
using System.Text.Json.Nodes;
using Pharos.Models.Config;

namespace Pharos.Models.Families;

/// <summary>What a family changes in the shared decoder blocks (Transformer/).</summary>
public sealed record BlockOptions(
    bool QkvBias,
    bool OutputBias,
    bool MlpBias,
    bool NormAddsOne,
    bool SandwichNorms,
    bool ScaleEmbeddings,
    double AttentionScale,
    double? AttnLogitSoftcap,
    double? FinalLogitSoftcap,
    string Activation);

public sealed record ModelFamily(
    string Architecture,
    string ModelType,
    string DefaultsJson,
    Func<int, JsonObject, bool[]> SlidingLayers,
    Func<ModelConfig, BlockOptions> Blocks)
{
    /// <summary>The family's config defaults, as transformers' config class has them; config.json values win.</summary>
    public JsonObject Defaults() => (JsonObject)JsonNode.Parse(DefaultsJson)!;
}
