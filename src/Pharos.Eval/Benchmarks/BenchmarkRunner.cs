// Items → prompts → backend answers → records and results: the one loop every suite shares.
using Pharos.Eval.Backends;

namespace Pharos.Eval.Benchmarks;

public static class BenchmarkRunner
{
    public static async Task<(IReadOnlyList<ItemRecord> Records, SuiteResult Result)> RunAsync(IBenchmark benchmark, IChatBackend backend,
        EvalGenerationSettings settings, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var answers = await backend.CompleteAsync(benchmark.Prompts, settings, progress, cancel);
        if (answers.Count != benchmark.Prompts.Count)
            throw new InvalidOperationException($"backend {backend.Name} returned {answers.Count} answers for {benchmark.Prompts.Count} prompts");
        return benchmark.Score(answers);
    }

    /// <summary>The prompt as one text for the records: "role: content" turns.</summary>
    internal static string Flatten(IReadOnlyList<Pharos.Models.Tokenization.ChatMessage> conversation) =>
        conversation.Count == 1 ? conversation[0].Content : string.Join("\n\n", conversation.Select(m => $"{m.Role}: {m.Content}"));
}
