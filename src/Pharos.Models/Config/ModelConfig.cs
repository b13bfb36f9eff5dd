// The fields of a Hugging Face config.json that Pharos's model families use, read strictly (a missing field names itself).
using System.Text.Json.Nodes;
using Pharos.Models.Families;

namespace Pharos.Models.Config;

public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);

public sealed record ModelConfig
{
    public required ModelFamily Family { get; init; }
    public required string Architecture { get; init; }
    public required string ModelType { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKvHeads { get; init; }
    public required int HeadDim { get; init; }
    public required double RmsNormEps { get; init; }
    public required double RopeTheta { get; init; }
    public RopeScaling? RopeScaling { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public required bool TieWordEmbeddings { get; init; }
    public required string HiddenAct { get; init; }
    public bool AttentionBias { get; init; }
    public bool MlpBias { get; init; }
    public double? QueryPreAttnScalar { get; init; }
    public double? AttnLogitSoftcapping { get; init; }
    public double? FinalLogitSoftcapping { get; init; }
    public int? SlidingWindow { get; init; }
    /// <summary>Per layer: true where attention is restricted to the sliding window.</summary>
    public required bool[] SlidingLayers { get; init; }
    public int? BosTokenId { get; init; }
    public int[] EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    public string? TorchDType { get; init; }
    /// <summary>The parsed config.json, kept so saving writes back every field we did not model.</summary>
    public JsonObject Raw { get; init; } = new();

    public int KvGroups => NumHeads / NumKvHeads;

    public BlockOptions Blocks => Family.Blocks(this);
}
