// The generation queue on the real model: requests are admitted in arrival order under load (none overtakes an earlier
// one), and requests with the same settings are decoded in one batch and give exactly what each gives alone.
using System.Collections.Concurrent;
using Pharos.Models.Generation;
using Pharos.Tests;

namespace Pharos.Serve.Tests;

public sealed class QueueOrderTests : IDisposable
{
    readonly TempDir temp = new();
    readonly string folder;

    public QueueOrderTests() => folder = ChatModelFolder.Create(temp);

    static GenerationJob Job(ServedModel served, string prompt, GenerationOptions options) => new()
    {
        PromptIds = served.Tokenizer.Encode(prompt), Options = options with { StopTokenIds = served.StopIds }, Tokenizer = served.Tokenizer,
    };

    /// <summary>Records, for every job, the index of the first decode step it took part in, and every step's jobs.</summary>
    sealed class StepLog
    {
        readonly object gate = new();

        public StepLog(GenerationQueue queue) => queue.Stepped += Record;

        public ConcurrentDictionary<GenerationJob, int> FirstStep { get; } = new();
        public List<HashSet<GenerationJob>> Steps { get; } = new();

        void Record(IReadOnlyList<GenerationJob> rows)
        {
            lock (gate)
            {
                foreach (var job in rows) FirstStep.TryAdd(job, Steps.Count);
                Steps.Add(rows.ToHashSet());
            }
        }
    }

    [Fact]
    public async Task Under_load_no_request_is_admitted_before_an_earlier_one()
    {
        using var served = new ServedModel(folder, "stories", maxBatch: 2);
        var log = new StepLog(served.Queue);
        var greedy = new GenerationOptions { MaxNewTokens = 6 };
        var sampled = new GenerationOptions { MaxNewTokens = 6, Temperature = 0.8, TopP = 0.9 };
        // The first job keeps the worker busy while the rest queue up behind it, with settings mixed so that
        // a queue that batches later requests with the oldest one would let them overtake the ones between.
        var jobs = new[]
        {
            Job(served, "Once upon a time", sampled with { MaxNewTokens = 40, Seed = 7 }),
            Job(served, "The dog", greedy),
            Job(served, "One day", sampled with { Seed = 1 }),
            Job(served, "Tom had a ball", greedy),
            Job(served, "Lily went", sampled),
            Job(served, "The sun", greedy with { MaxNewTokens = 3 }),
            Job(served, "A bird", sampled with { Seed = 2, Temperature = 0.5 }),
            Job(served, "Ben and Mia", greedy),
        };
        await Task.WhenAll(jobs.Select(served.Queue.Submit).ToArray()).WaitAsync(TimeSpan.FromMinutes(2));

        var first = jobs.Select(j => log.FirstStep[j]).ToArray();
        for (int i = 1; i < jobs.Length; i++)
            Assert.True(first[i - 1] <= first[i], $"request {i} was first decoded at step {first[i]}, before request {i - 1} (step {first[i - 1]})");
    }

    [Fact]
    public async Task Requests_with_the_same_settings_share_a_batch_and_each_gives_what_it_gives_alone()
    {
        using var served = new ServedModel(folder, "stories", maxBatch: 8);
        var log = new StepLog(served.Queue);
        var options = new GenerationOptions { MaxNewTokens = 20 };
        var blocker = Job(served, "Once upon a time", new GenerationOptions { MaxNewTokens = 60, Temperature = 0.9, Seed = 3 });
        // Prompts of different lengths, so the batch pads them.
        var jobs = new[] { "Once upon a time", "The little dog", "One day, a girl named Lily went to the park with her mom", "Tom" }
            .Select(p => Job(served, p, options)).ToArray();
        var running = served.Queue.Submit(blocker);
        var results = await Task.WhenAll(jobs.Select(served.Queue.Submit).ToArray()).WaitAsync(TimeSpan.FromMinutes(2));
        await running;

        Assert.Contains(log.Steps, step => jobs.All(step.Contains));
        for (int i = 0; i < jobs.Length; i++)
        {
            var alone = new TokenGenerator(served.Model).Generate([jobs[i].PromptIds], jobs[i].Options)[0];
            Assert.Equal(served.Tokenizer.Decode(alone.Tokens, skipSpecialTokens: true), results[i].Choices[0].Text);
            Assert.Equal(alone.Tokens.Length, results[i].Choices[0].CompletionTokens);
            Assert.Equal(alone.FinishReason, results[i].Choices[0].FinishReason);
        }
    }

    public void Dispose() => temp.Dispose();
}
