// Serves many clients on one model with continuous batching: requests wait in a FIFO queue and join the running batch
// as soon as it has room for all their choices — at the next token step, whatever their settings (temperature, top-p,
// max tokens, stop strings and seed are per row). Their prompts are prefilled in chunks between the decoding steps of the
// others, a finished row leaves at once, and the oldest waiting request takes its slot (none overtakes an earlier one).
// Why: decoding a batch costs about as much as decoding one row while the weights dominate the memory traffic, so every
// free row is throughput; a row's tokens do not depend on its neighbours (see BatchDecoder), so batching changes nothing
// in any answer.
using System.Threading.Channels;
using Pharos.Models.Generation;
using Pharos.Models.Tokenization;
using Pharos.Models.Transformer;

namespace Pharos.Serve;

public sealed class GenerationQueue : IDisposable
{
    readonly BatchDecoder decoder;
    readonly int prefillBudget;
    readonly Channel<GenerationJob> incoming = Channel.CreateUnbounded<GenerationJob>();
    readonly Queue<GenerationJob> waiting = new();
    readonly Dictionary<int, ChoiceRow> rows = new();
    readonly Dictionary<GenerationJob, ChoiceResult?[]> finished = new(); // choices of running jobs that are done
    readonly CancellationTokenSource shutdown = new();
    readonly Task worker;

    /// <param name="maxBatch">Rows decoded together (a request with n choices takes n rows).</param>
    /// <param name="prefillChunk">Prompt tokens prefilled between two decoding steps (one chunk of a long prompt, or
    /// several short prompts), so a new prompt delays the running rows by one chunk at a time.</param>
    public GenerationQueue(CausalLM model, int maxBatch, int prefillChunk = BatchDecoder.DefaultChunk)
    {
        decoder = new BatchDecoder(model, Math.Max(1, maxBatch), chunk: prefillChunk);
        prefillBudget = Math.Max(1, prefillChunk);
        PackedPrefill.Usable(model); // its one-off row check here, not in the first requests' wait
        worker = Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>Rows decoded together; a request needs one per choice.</summary>
    public int MaxBatch => decoder.MaxRows;

    /// <summary>Raised on the generation thread after every iteration with the job of each row that received a token
    /// in it (a job with n choices appears n times), in slot order; for monitoring and tests.</summary>
    internal event Action<IReadOnlyList<GenerationJob>>? Stepped;

    public Task<JobResult> Submit(GenerationJob job)
    {
        if (job.Copies > MaxBatch) throw new ArgumentException($"{job.Copies} choices exceed the batch of {MaxBatch} rows");
        if (!incoming.Writer.TryWrite(job)) throw new InvalidOperationException("the server is shutting down");
        return job.Completion.Task;
    }

    /// <summary>One choice of a job on one decoder row, with its text state.</summary>
    sealed class ChoiceRow(GenerationJob job, int choice)
    {
        public GenerationJob Job { get; } = job;
        public int Choice { get; } = choice;
        public IncrementalDecoder Text { get; } = job.Tokenizer.CreateIncrementalDecoder();
        public StopStringWatcher Stops { get; } = new(job.StopStrings);
        public ChoiceResult? Result { get; set; }
    }

    async Task Work()
    {
        while (!shutdown.IsCancellationRequested)
        {
            if (rows.Count == 0 && waiting.Count == 0)
            {
                try { waiting.Enqueue(await incoming.Reader.ReadAsync(shutdown.Token)); }
                catch (OperationCanceledException) { break; }
                catch (ChannelClosedException) { break; }
            }
            while (incoming.Reader.TryRead(out var more)) waiting.Enqueue(more);
            try
            {
                Admit();
                Iterate();
            }
            catch (Exception e)
            {
                FailRunning(e);
            }
        }
        foreach (var job in rows.Values.Select(r => r.Job).Concat(waiting).Distinct()) job.Completion.TrySetCanceled();
    }

    /// <summary>Admits waiting requests in arrival order while all the choices of the oldest fit.</summary>
    void Admit()
    {
        while (waiting.Count > 0)
        {
            var job = waiting.Peek();
            if (job.Cancel.IsCancellationRequested)
            {
                waiting.Dequeue();
                job.Completion.TrySetCanceled();
                continue;
            }
            if (job.Copies > decoder.FreeSlots) return;
            waiting.Dequeue();
            for (int c = 0; c < job.Copies; c++)
                rows[decoder.Admit(job.PromptIds, job.Options, stream: c)] = new ChoiceRow(job, c);
        }
    }

    /// <summary>A chunk of prefill (first tokens of rows whose prompt completes), then one token for every decoding row.</summary>
    void Iterate()
    {
        var tokens = new List<BatchDecoder.RowToken>();
        if (decoder.Prefilling) tokens.AddRange(decoder.Prefill(prefillBudget));
        if (decoder.Decoding) tokens.AddRange(decoder.Step());
        foreach (var t in tokens) Receive(rows[t.Slot], t);
        if (tokens.Count > 0) Stepped?.Invoke(tokens.OrderBy(t => t.Slot).Select(t => rows[t.Slot].Job).ToArray());

        foreach (var (slot, row) in rows.ToArray())
        {
            if (!decoder.IsFinished(slot) && (row.Stops.Stopped || row.Job.Cancel.IsCancellationRequested))
                decoder.Finish(slot, "stop");
            if (!decoder.IsFinished(slot)) continue;
            if (!row.Stops.Stopped) Send(row, row.Stops.Push(row.Text.Flush()) + row.Stops.Flush());
            string reason = row.Stops.Stopped ? "stop" : decoder.FinishReason(slot)!;
            row.Result = new ChoiceResult(row.Stops.Text, reason, decoder.Generated(slot).Count);
            decoder.Release(slot);
            rows.Remove(slot);
            Complete(row.Job, row);
        }
    }

    /// <summary>Completes a job when the last of its choices finished.</summary>
    void Complete(GenerationJob job, ChoiceRow row)
    {
        if (!finished.TryGetValue(job, out var results)) finished[job] = results = new ChoiceResult?[job.Copies];
        results[row.Choice] = row.Result;
        if (results.Any(r => r is null)) return;
        finished.Remove(job);
        if (job.Cancel.IsCancellationRequested) job.Completion.TrySetCanceled();
        else job.Completion.TrySetResult(new JobResult(results!, job.PromptIds.Count));
    }

    static void Receive(ChoiceRow row, BatchDecoder.RowToken token)
    {
        if (token.Token >= 0 && !row.Stops.Stopped)
            Send(row, row.Stops.Push(row.Text.Push(token.Token)));
    }

    static void Send(ChoiceRow row, string text)
    {
        if (text.Length > 0) row.Job.OnText?.Invoke(row.Choice, text);
    }

    /// <summary>A failed pass fails every running request (its rows are freed); waiting ones go on.</summary>
    void FailRunning(Exception e)
    {
        foreach (var (slot, row) in rows.ToArray())
        {
            row.Job.Completion.TrySetException(e);
            finished.Remove(row.Job);
            decoder.Release(slot);
            rows.Remove(slot);
        }
    }

    public void Dispose()
    {
        shutdown.Cancel();
        incoming.Writer.TryComplete();
        try { worker.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        shutdown.Dispose();
        decoder.Dispose();
    }
}
