// Continuous batching on the real queue and model: requests with any settings join a running batch at the next step and
// each gives exactly what it gives alone (greedy and seeded rows), a finished row leaves at once so a waiting request
// takes its slot while the others go on, and a long prompt is prefilled in chunks between the running rows' steps.
using Pharos.Models.Generation;
using Pharos.Tests;

namespace Pharos.Serve.Tests;

public sealed class ContinuousBatchingTests : IDisposable
{
    readonly TempDir temp = new();
    readonly string folder;

    public ContinuousBatchingTests() => folder = ChatModelFolder.Create(temp);

    static (string Text, string Finish, int Tokens) Alone(ServedModel served, GenerationJob job)
    {
        var alone = new TokenGenerator(served.Model).Generate([job.PromptIds], job.Options)[0];
        var text = served.Tokenizer.Decode(alone.Tokens, skipSpecialTokens: true);
        var cuts = job.StopStrings.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).ToArray();
        return cuts.Length > 0 ? (text[..cuts.Min()], "stop", -1) : (text, alone.FinishReason, alone.Tokens.Length);
    }

    /// <summary>The job with a text callback that, at its first text, signals <paramref name="started"/> and holds the
    /// generation thread until <paramref name="queued"/> is set: a busy machine cannot let it run ahead of the test.</summary>
    static GenerationJob HeldAtFirstText(GenerationJob job, ManualResetEventSlim started, ManualResetEventSlim queued) => new()
    {
        PromptIds = job.PromptIds, Options = job.Options, Tokenizer = job.Tokenizer, StopStrings = job.StopStrings,
        OnText = (_, _) => { if (!started.IsSet) { started.Set(); queued.Wait(TimeSpan.FromSeconds(30)); } },
    };

    [Fact]
    public async Task Requests_with_any_settings_join_the_running_batch_and_give_what_they_give_alone()
    {
        using var served = new ServedModel(folder, "stories", maxBatch: 8);
        var log = new StepLog(served.Queue);
        // The blocker's first text holds the generation thread until the others are queued, so on a busy machine it cannot
        // finish its 120 tokens before they arrive (it then still has ~119 steps to share with them).
        using var started = new ManualResetEventSlim();
        using var queued = new ManualResetEventSlim();
        var blocker = HeldAtFirstText(StepLog.Job(served, "Once upon a time", new GenerationOptions { MaxNewTokens = 120 }), started, queued);
        var running = served.Queue.Submit(blocker);
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "the blocker produced no text");
        var jobs = new[]
        {
            StepLog.Job(served, "The little dog", new GenerationOptions { MaxNewTokens = 20 }),
            StepLog.Job(served, "One day", new GenerationOptions { MaxNewTokens = 25, Temperature = 0.9, TopP = 0.9, Seed = 3 }),
            StepLog.Job(served, "Tom had a ball", new GenerationOptions { MaxNewTokens = 30 }, "."),
            StepLog.Job(served, "Lily went to the park", new GenerationOptions { MaxNewTokens = 15, Temperature = 1.2, Seed = 8 }),
            StepLog.Job(served, "The sun", new GenerationOptions { MaxNewTokens = 5, Temperature = 0.7, TopP = 0.5, Seed = 1 }),
        };
        var submitted = jobs.Select(served.Queue.Submit).ToArray();
        queued.Set();
        var results = await Task.WhenAll(submitted).WaitAsync(TimeSpan.FromMinutes(2));
        await running;

        for (int i = 0; i < jobs.Length; i++)
        {
            Assert.Contains(log.Steps, step => step.Contains(blocker) && step.Contains(jobs[i]));
            var alone = Alone(served, jobs[i]);
            Assert.Equal(alone.Text, results[i].Choices[0].Text);
            Assert.Equal(alone.Finish, results[i].Choices[0].FinishReason);
            if (alone.Tokens >= 0) Assert.Equal(alone.Tokens, results[i].Choices[0].CompletionTokens);
        }
        Assert.Equal("stop", results[2].Choices[0].FinishReason);
    }

    [Fact]
    public async Task A_finished_row_leaves_at_once_and_the_next_request_takes_its_slot()
    {
        using var served = new ServedModel(folder, "stories", maxBatch: 2);
        var log = new StepLog(served.Queue);
        var greedy = new GenerationOptions { MaxNewTokens = 100 };
        var blocker = StepLog.Job(served, "Once upon a time", greedy);
        var shortOne = StepLog.Job(served, "The dog", greedy with { MaxNewTokens = 2 });
        var next = StepLog.Job(served, "One day", greedy with { MaxNewTokens = 4 });
        var tasks = new[] { blocker, shortOne, next }.Select(served.Queue.Submit).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));

        var steps = log.Steps;
        int lastOfShort = steps.Select((s, i) => (s, i)).Last(x => x.s.Contains(shortOne)).i;
        // The waiting request is decoded beside the running one right after the short one's last token.
        Assert.Contains(steps.Skip(lastOfShort + 1).Take(2), s => s.Contains(next) && s.Contains(blocker));
        Assert.Equal(2, (await tasks[1]).Choices[0].CompletionTokens);
    }

    [Fact]
    public async Task A_long_prompt_is_prefilled_in_chunks_while_the_running_rows_keep_decoding()
    {
        using var served = new ServedModel(folder, "stories", maxBatch: 4, prefillChunk: 16);
        var log = new StepLog(served.Queue);
        using var started = new ManualResetEventSlim();
        using var queued = new ManualResetEventSlim();
        var blocker = HeldAtFirstText(StepLog.Job(served, "Once upon a time", new GenerationOptions { MaxNewTokens = 200 }), started, queued);
        var running = served.Queue.Submit(blocker);
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "the blocker produced no text");
        var longPrompt = string.Concat(Enumerable.Repeat("Once upon a time there was a girl. ", 12));
        var late = StepLog.Job(served, longPrompt, new GenerationOptions { MaxNewTokens = 5 });
        Assert.InRange(late.PromptIds.Count, 120, 300);
        int submitted = log.Count;
        var lateTask = served.Queue.Submit(late);
        queued.Set();
        var result = await lateTask.WaitAsync(TimeSpan.FromMinutes(2));
        await running;

        int first = log.FirstStep[late];
        var during = log.Steps.Skip(submitted).Take(first - submitted).ToArray();
        // ⌈prompt / 16⌉ prefill passes, each followed by a step of the running row (minus the one racing the submission).
        Assert.True(during.Length >= late.PromptIds.Count / 16 - 1, $"only {during.Length} steps while prefilling {late.PromptIds.Count} tokens");
        Assert.All(during, step => Assert.Contains(blocker, step));
        Assert.Equal(Alone(served, late).Text, result.Choices[0].Text);
    }

    public void Dispose() => temp.Dispose();
}
