// Both backends on real parts: a local model folder, and Pharos's own OpenAI-compatible server on loopback,
// which must give the same greedy answers; plus an endpoint that fails, to check retries and per-item errors.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pharos.Eval.Backends;
using Pharos.Models.Tokenization;
using Pharos.Serve;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Backends;

public class BackendTests
{
    static readonly IReadOnlyList<ChatMessage>[] Conversations =
    [
        [new("user", "Once upon a time")],
        [new("system", "Tell a story."), new("user", "There was a dog")],
        [new("user", "Lily")],
    ];

    [Fact]
    public async Task Endpoint_answers_equal_local_answers_through_the_pharos_server()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var settings = new EvalGenerationSettings(MaxTokens: 12);
        using var local = new LocalModelBackend(folder, batchSize: 2);
        var expected = await local.CompleteAsync(Conversations, settings);
        Assert.All(expected, a => Assert.False(string.IsNullOrEmpty(a.Text)));

        using var served = new ServedModel(folder, "stories");
        await using var server = await OpenAiServer.StartAsync(served, "127.0.0.1", 0, quiet: true);
        using var endpoint = new OpenAiEndpointBackend(server.Address, "stories");
        int done = 0;
        var answers = await endpoint.CompleteAsync(Conversations, settings, new Progress<int>(n => Interlocked.Add(ref done, n)));
        Assert.Equal(expected.Select(a => a.Text), answers.Select(a => a.Text));
        Assert.All(answers, a => Assert.Null(a.Error));

        using var wrongModel = new OpenAiEndpointBackend(server.Address, "gpt-9", attempts: 3, firstBackoff: TimeSpan.FromMilliseconds(10));
        var refused = await wrongModel.CompleteAsync(Conversations[..1], settings);
        Assert.Null(refused[0].Text);
        Assert.Contains("HTTP 404", refused[0].Error);
    }

    [Fact]
    public async Task Endpoint_retries_server_errors_and_records_items_that_keep_failing()
    {
        int calls = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            var body = await reader.ReadToEndAsync();
            int n = Interlocked.Increment(ref calls);
            if (body.Contains("always-fails")) { c.Response.StatusCode = 503; await c.Response.WriteAsync("""{"error":{"message":"overloaded"}}"""); return; }
            if (n <= 2) { c.Response.StatusCode = 500; return; }
            await c.Response.WriteAsync("""{"choices":[{"message":{"role":"assistant","content":"fine"}}]}""");
        });
        await app.StartAsync();

        using var endpoint = new OpenAiEndpointBackend(app.Urls.First(), "m", concurrency: 1, attempts: 4, firstBackoff: TimeSpan.FromMilliseconds(5));
        var answers = await endpoint.CompleteAsync([[new("user", "hello")], [new("user", "always-fails")]], new EvalGenerationSettings());
        Assert.Equal("fine", answers[0].Text);
        Assert.Null(answers[1].Text);
        Assert.Equal("HTTP 503: overloaded", answers[1].Error);
        Assert.Equal(3 + 4, calls);
        await app.StopAsync();
    }
}
