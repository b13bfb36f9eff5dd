// Where evaluation answers come from: a local model folder or any OpenAI-compatible endpoint, behind one interface.
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Backends;

/// <summary>Decoding settings an evaluation asks for (greedy by default, so runs are reproducible).</summary>
public sealed record EvalGenerationSettings(int MaxTokens = 512, double Temperature = 0, double TopP = 1.0, long? Seed = 0);

/// <summary>One answer, or the reason there is none (an endpoint that kept failing): evaluation records it and goes on.</summary>
public sealed record ChatAnswer(string? Text, string? Error)
{
    public static ChatAnswer Ok(string text) => new(text, null);
    public static ChatAnswer Failed(string error) => new(null, error);
}

public interface IChatBackend : IDisposable
{
    /// <summary>A short description for reports: "local:DIR" or "endpoint:URL model".</summary>
    string Name { get; }

    /// <summary>Answers every conversation; the result has one entry per conversation, in order.</summary>
    Task<IReadOnlyList<ChatAnswer>> CompleteAsync(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, EvalGenerationSettings settings,
        IProgress<int>? progress = null, CancellationToken cancel = default);
}
