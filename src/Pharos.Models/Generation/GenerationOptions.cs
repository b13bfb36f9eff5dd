// Decoding settings, named as in transformers' GenerationConfig; Temperature 0 means greedy.
namespace Pharos.Models.Generation;

public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 64;
    public double Temperature { get; init; }
    public int TopK { get; init; }
    public double TopP { get; init; } = 1.0;
    public double RepetitionPenalty { get; init; } = 1.0;
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];
    public long? Seed { get; init; }

    public bool Greedy => Temperature <= 0;

    public void Validate()
    {
        if (MaxNewTokens < 0) throw new Errors.PharosException("max new tokens must be ≥ 0");
        if (TopP is <= 0 or > 1) throw new Errors.PharosException("top_p must be in (0, 1]");
        if (TopK < 0) throw new Errors.PharosException("top_k must be ≥ 0");
        if (RepetitionPenalty <= 0) throw new Errors.PharosException("repetition penalty must be > 0");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new Errors.PharosException("temperature must be ≥ 0");
    }
}

/// <summary>New tokens of one prompt and why decoding stopped ("stop": a stop token, excluded from Tokens; "length": the limit).</summary>
public sealed record GenerationResult(int[] Tokens, string FinishReason, int PromptTokens);
