// A bounded load test on loopback: 64 concurrent streaming clients all complete with correct text and usage.
using System.Text.Json.Nodes;

namespace Pharos.Serve.Tests;

public class LoadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Sixty_four_concurrent_streaming_clients_all_complete_with_correct_usage()
    {
        const int clients = 64, maxTokens = 12;
        var expectedPrompt = server.Served.Tokenizer.Encode(
            server.Served.Tokenizer.ApplyChatTemplate([new("user", "Once upon a time")], addGenerationPrompt: true), addSpecialTokens: false).Count;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var tasks = Enumerable.Range(0, clients).Select(async i =>
        {
            var body = new JsonObject
            {
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Once upon a time" }),
                ["max_tokens"] = maxTokens, ["stream"] = true, ["seed"] = i % 4, ["temperature"] = 0.7,
                ["stream_options"] = new JsonObject { ["include_usage"] = true },
            }.ToJsonString();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body) };
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return await SseReader.ReadAllAsync(response, deadline.Token);
        }).ToArray();
        var results = await Task.WhenAll(tasks);

        foreach (var (events, done) in results)
        {
            Assert.True(done);
            var usage = events[^1]["usage"]!;
            Assert.Equal(expectedPrompt, (int)usage["prompt_tokens"]!);
            int completion = (int)usage["completion_tokens"]!;
            Assert.InRange(completion, 1, maxTokens);
            Assert.Equal(expectedPrompt + completion, (int)usage["total_tokens"]!);
            Assert.False(string.IsNullOrEmpty(SseReader.ContentOf(events)));
        }
        // Equal seeds give equal text: requests batched together decode exactly as alone.
        var bySeed = results.Select((r, i) => (Seed: i % 4, Text: SseReader.ContentOf(r.Events))).GroupBy(x => x.Seed);
        foreach (var group in bySeed) Assert.Single(group.Select(g => g.Text).Distinct());
    }
}
