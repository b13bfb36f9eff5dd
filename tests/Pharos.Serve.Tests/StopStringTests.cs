// Stop strings over real HTTP: the text is cut at the earliest match whichever stop string matches (also when a stop
// spans several tokens), streamed text never runs past the cut, and streaming and plain responses agree.
using System.Text.Json.Nodes;

namespace Pharos.Serve.Tests;

public class StopStringTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    const string Prompt = "Once upon a time";

    async Task<string> FreeText()
    {
        var (_, free) = await server.PostAsync("/v1/completions", Body(null, stream: false));
        return (string)free["choices"]![0]!["text"]!;
    }

    static string Body(string[]? stops, bool stream)
    {
        var body = new JsonObject { ["prompt"] = Prompt, ["max_tokens"] = 30, ["temperature"] = 0, ["stream"] = stream };
        if (stops is not null) body["stop"] = new JsonArray(stops.Select(s => (JsonNode)s).ToArray());
        return body.ToJsonString();
    }

    public static TheoryData<string[]> StopSets => new()
    {
        new[] { "s", "w" },              // the later-listed stop occurs first (", there was": w before s)
        new[] { "w", "s" },
        new[] { "Lily", "re wa", "park" }, // "re wa" spans " there" and " was"
        new[] { "park", "named L" },     // the earlier match spans three tokens
        new[] { "e", "here" },           // overlapping stops completed by one token: the later-listed one starts first
        new[] { "ttle", "a li" },        // both completed by " little"; the second spans tokens and starts first
    };

    [Theory]
    [MemberData(nameof(StopSets))]
    public async Task Text_is_cut_at_the_earliest_match_of_any_stop_string(string[] stops)
    {
        var text = await FreeText();
        int cut = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).Min();
        var (status, plain) = await server.PostAsync("/v1/completions", Body(stops, stream: false));
        Assert.Equal(200, status);
        Assert.Equal(text[..cut], (string?)plain["choices"]![0]!["text"]);
        Assert.Equal("stop", (string?)plain["choices"]![0]!["finish_reason"]);
    }

    [Theory]
    [MemberData(nameof(StopSets))]
    public async Task Streaming_never_sends_text_past_a_stop(string[] stops)
    {
        var text = await FreeText();
        int cut = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).Min();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent(Body(stops, stream: true)) };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (events, done) = await SseReader.ReadAllAsync(response);
        Assert.True(done);
        // Every prefix of what was streamed is a prefix of the cut text: nothing past the stop was ever sent.
        var sent = "";
        foreach (var e in events)
        {
            sent += SseReader.ContentOf([e]);
            Assert.StartsWith(sent, text[..cut], StringComparison.Ordinal);
        }
        Assert.Equal(text[..cut], sent);
        Assert.Equal("stop", (string?)events[^1]["choices"]![0]!["finish_reason"]);
    }
}
