// Streams a job's text to the client as server-sent events: the generation thread enqueues, the request writes.
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Pharos.Serve;

internal sealed class ServerSentEvents
{
    readonly HttpResponse response;
    readonly Channel<(int Choice, string Text)> pieces = Channel.CreateUnbounded<(int, string)>();

    public ServerSentEvents(HttpResponse response)
    {
        this.response = response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
    }

    /// <summary>For GenerationJob.OnText: never blocks the generation thread.</summary>
    public void Enqueue(int choice, string text) => pieces.Writer.TryWrite((choice, text));

    /// <summary>Writes every piece as one event (made by <paramref name="chunk"/>) until the job completes.</summary>
    public async Task<JobResult> PumpAsync(Task<JobResult> job, Func<int, string, JsonObject> chunk, CancellationToken cancel)
    {
        _ = job.ContinueWith(_ => pieces.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var (choice, text) in pieces.Reader.ReadAllAsync(cancel))
            await WriteAsync(chunk(choice, text), cancel);
        return await job;
    }

    public async Task WriteAsync(JsonObject data, CancellationToken cancel)
    {
        await response.WriteAsync("data: " + data.ToJsonString() + "\n\n", cancel);
        await response.Body.FlushAsync(cancel);
    }

    public async Task DoneAsync(CancellationToken cancel)
    {
        await response.WriteAsync("data: [DONE]\n\n", cancel);
        await response.Body.FlushAsync(cancel);
    }
}
