// Serves many clients fairly on one model: requests wait in a FIFO queue; one worker takes the oldest request
// and the queued requests right behind it with identical decoding options (up to maxBatch rows) and decodes them as one batch.
// Why: a CPU or single GPU is saturated by one batched decode; batching compatible requests raises throughput
// under load, FIFO order keeps latency fair, and no request can starve another.
using System.Threading.Channels;
using Pharos.Models.Generation;
using Pharos.Models.Transformer;

namespace Pharos.Serve;

public sealed class GenerationQueue : IDisposable
{
    readonly CausalLM model;
    readonly int maxBatch;
    readonly Channel<GenerationJob> incoming = Channel.CreateUnbounded<GenerationJob>();
    readonly List<GenerationJob> waiting = new();
    readonly CancellationTokenSource shutdown = new();
    readonly Task worker;

    public GenerationQueue(CausalLM model, int maxBatch)
    {
        this.model = model;
        this.maxBatch = Math.Max(1, maxBatch);
        worker = Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>Raised on the generation thread after every decode step with the job of each row that received a token
    /// (a job with n choices appears n times), in row order; for monitoring and tests.</summary>
    internal event Action<IReadOnlyList<GenerationJob>>? Stepped;

    public Task<JobResult> Submit(GenerationJob job)
    {
        if (!incoming.Writer.TryWrite(job)) throw new InvalidOperationException("the server is shutting down");
        return job.Completion.Task;
    }

    async Task Work()
    {
        while (!shutdown.IsCancellationRequested)
        {
            if (waiting.Count == 0)
            {
                try { waiting.Add(await incoming.Reader.ReadAsync(shutdown.Token)); }
                catch (OperationCanceledException) { break; }
                catch (ChannelClosedException) { break; }
            }
            while (incoming.Reader.TryRead(out var more)) waiting.Add(more);
            var batch = TakeBatch();
            try { Run(batch); }
            catch (Exception e)
            {
                foreach (var job in batch) job.Completion.TrySetException(e);
            }
        }
        foreach (var job in waiting) job.Completion.TrySetCanceled();
    }

    /// <summary>The oldest request and the requests right behind it with identical options (up to maxBatch rows);
    /// stops at the first request that differs, so no request is served before an earlier one.</summary>
    List<GenerationJob> TakeBatch()
    {
        var first = waiting[0];
        var batch = new List<GenerationJob> { first };
        int rows = first.Copies;
        for (int i = 1; i < waiting.Count && waiting[i].CanBatchWith(first) && rows + waiting[i].Copies <= maxBatch; i++)
        {
            batch.Add(waiting[i]);
            rows += waiting[i].Copies;
        }
        waiting.RemoveRange(0, batch.Count);
        return batch;
    }

    void Run(List<GenerationJob> jobs)
    {
        jobs.RemoveAll(j =>
        {
            if (!j.Cancel.IsCancellationRequested) return false;
            j.Completion.TrySetCanceled();
            return true;
        });
        if (jobs.Count == 0) return;

        // One row per choice: (job, choice index).
        var rows = jobs.SelectMany(j => Enumerable.Range(0, j.Copies).Select(c => (Job: j, Choice: c))).ToArray();
        var decoders = rows.Select(r => r.Job.Tokenizer.CreateIncrementalDecoder()).ToArray();
        var watchers = rows.Select(r => new StopStringWatcher(r.Job.StopStrings)).ToArray();
        var options = jobs[0].Options with { MaxNewTokens = jobs.Max(j => j.Options.MaxNewTokens) };

        var results = new TokenGenerator(model).Generate(
            rows.Select(r => r.Job.PromptIds).ToArray(), options,
            onStep: (_, tokens) =>
            {
                for (int i = 0; i < rows.Length; i++)
                    if (tokens[i] >= 0 && !watchers[i].Stopped)
                        Send(rows[i], watchers[i].Push(decoders[i].Push(tokens[i])));
                Stepped?.Invoke(rows.Where((_, i) => tokens[i] >= 0).Select(r => r.Job).ToArray());
            },
            cancel: shutdown.Token,
            stopRow: i => watchers[i].Stopped || rows[i].Job.Cancel.IsCancellationRequested
                          || decoders[i].Ids.Count >= rows[i].Job.Options.MaxNewTokens);

        for (int i = 0; i < rows.Length; i++)
            if (!watchers[i].Stopped) Send(rows[i], watchers[i].Push(decoders[i].Flush()) + watchers[i].Flush());
        foreach (var job in jobs)
        {
            var choices = rows.Select((r, i) => (r, i)).Where(x => x.r.Job == job).Select(x =>
            {
                int produced = decoders[x.i].Ids.Count;
                string reason = watchers[x.i].Stopped || results[x.i].FinishReason == "stop" && produced < job.Options.MaxNewTokens ? "stop" : "length";
                return new ChoiceResult(watchers[x.i].Text, reason, produced);
            }).ToArray();
            if (job.Cancel.IsCancellationRequested) job.Completion.TrySetCanceled();
            else job.Completion.TrySetResult(new JobResult(choices, job.PromptIds.Count));
        }
    }

    static void Send((GenerationJob Job, int Choice) row, string text)
    {
        if (text.Length > 0) row.Job.OnText?.Invoke(row.Choice, text);
    }

    public void Dispose()
    {
        shutdown.Cancel();
        incoming.Writer.TryComplete();
        try { worker.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        shutdown.Dispose();
    }
}
