// Watches a real GenerationQueue: the jobs of every iteration that produced tokens, in order, and the first iteration
// each job took part in; plus a helper that makes a job from a text prompt.
using System.Collections.Concurrent;
using Pharos.Models.Generation;

namespace Pharos.Serve.Tests;

internal sealed class StepLog
{
    readonly object gate = new();
    readonly List<GenerationJob[]> steps = new();

    public StepLog(GenerationQueue queue) => queue.Stepped += Record;

    public ConcurrentDictionary<GenerationJob, int> FirstStep { get; } = new();

    public int Count { get { lock (gate) return steps.Count; } }

    public IReadOnlyList<GenerationJob[]> Steps { get { lock (gate) return steps.ToArray(); } }

    void Record(IReadOnlyList<GenerationJob> rows)
    {
        lock (gate)
        {
            foreach (var job in rows) FirstStep.TryAdd(job, steps.Count);
            steps.Add(rows.ToArray());
        }
    }

    /// <summary>Waits until <paramref name="job"/> has received its first token.</summary>
    public async Task StartedAsync(GenerationJob job)
    {
        for (int i = 0; i < 6000 && !FirstStep.ContainsKey(job); i++) await Task.Delay(10);
        Assert.True(FirstStep.ContainsKey(job), "the job never started");
    }

    public static GenerationJob Job(ServedModel served, string prompt, GenerationOptions options, params string[] stops) => new()
    {
        PromptIds = served.Tokenizer.Encode(prompt), Options = options with { StopTokenIds = served.StopIds },
        Tokenizer = served.Tokenizer, StopStrings = stops,
    };
}
