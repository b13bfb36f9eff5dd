// One client's request as the queue sees it: prompt ids, decoding options, n copies, and callbacks for streaming.
using Pharos.Models.Generation;
using Pharos.Models.Tokenization;

namespace Pharos.Serve;

public sealed class GenerationJob
{
    public required IReadOnlyList<int> PromptIds { get; init; }
    public required GenerationOptions Options { get; init; }
    public int Copies { get; init; } = 1;
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    public required HfTokenizer Tokenizer { get; init; }
    /// <summary>Called with (choice index, new text) as text becomes final; runs on the generation thread.</summary>
    public Action<int, string>? OnText { get; init; }
    public CancellationToken Cancel { get; init; }

    internal TaskCompletionSource<JobResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed record ChoiceResult(string Text, string FinishReason, int CompletionTokens);

public sealed record JobResult(IReadOnlyList<ChoiceResult> Choices, int PromptTokens);
