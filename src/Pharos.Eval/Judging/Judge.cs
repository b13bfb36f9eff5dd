// A judge model behind any chat backend (normally an OpenAI-compatible endpoint): asks, and counts what went wrong.
// A judge request that still fails after the backend's retries is an error, never an exception.
using Pharos.Eval.Backends;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Judging;

public sealed class Judge(IChatBackend backend, EvalGenerationSettings? settings = null) : IDisposable
{
    public EvalGenerationSettings Settings { get; } = settings ?? new EvalGenerationSettings(MaxTokens: 1024);
    public string Name => backend.Name;

    /// <summary>Retries the backend made so far (0 for backends that do not retry).</summary>
    public int Retries => backend is OpenAiEndpointBackend endpoint ? endpoint.Retries : 0;

    public IReadOnlyList<ChatAnswer> Ask(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations) =>
        conversations.Count == 0 ? [] : backend.CompleteAsync(conversations, Settings).GetAwaiter().GetResult();

    public void Dispose() => backend.Dispose();
}
