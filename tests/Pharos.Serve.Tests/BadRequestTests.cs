// Bad requests get 4xx with an OpenAI-style error object, a client that disconnects mid-stream is cancelled cleanly,
// and the server keeps serving throughout.
using System.Text.Json.Nodes;

namespace Pharos.Serve.Tests;

public class BadRequestTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/v1/chat/completions", "{not json", 400, null)]
    [InlineData("/v1/chat/completions", "[1,2]", 400, null)]
    [InlineData("/v1/chat/completions", """{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}""", 404, "model")]
    [InlineData("/v1/chat/completions", """{"model":"stories"}""", 400, "messages")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"wizard","content":"hi"}]}""", 400, "messages[0].role")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":-5}""", 400, "max_tokens")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"max_tokens":100000000}""", 400, "max_tokens")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", 400, "temperature")]
    [InlineData("/v1/completions", """{"max_tokens":5}""", 400, "prompt")]
    [InlineData("/v1/completions", """{"prompt":"a","stop":[1]}""", 400, "stop")]
    [InlineData("/v1/completions", """{"prompt":"a","stop":""}""", 400, "stop")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":5,"text":"hi"}]}]}""", 400, "messages[0].content[0].type")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"text","text":5}]}]}""", 400, "messages[0].content[0].text")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"text","text":null}]}]}""", 400, "messages[0].content[0].text")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"text"}]}]}""", 400, "messages[0].content[0].text")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":["hi"]}]}""", 400, "messages[0].content[0]")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", 400, "messages[0].content[0].type")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":"x"}""", 400, "stream_options")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stream_options":[1]}""", 400, "stream_options")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":"yes"}}""", 400, "stream_options.include_usage")]
    [InlineData("/v1/completions", """{"prompt":"a","stream":true,"stream_options":"x"}""", 400, "stream_options")]
    [InlineData("/v1/completions", """{"prompt":"a","prompt":"b"}""", 400, "prompt")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","role":"system","content":"hi"}]}""", 400, "messages[0].role")]
    [InlineData("/v1/completions", """{"prompt":"a","seed":9223372036854775808}""", 400, "seed")]
    public async Task Bad_requests_get_an_error_object_naming_the_field(string path, string body, int status, string? param)
    {
        var (code, error) = await server.PostAsync(path, body);
        Assert.Equal(status, code);
        Assert.False(string.IsNullOrEmpty((string?)error["error"]!["message"]));
        Assert.Equal(param, (string?)error["error"]!["param"]);
        Assert.Equal("ok", (string?)(await server.GetAsync("/health"))["status"]);
    }

    [Fact]
    public async Task Several_prompts_are_checked_before_any_is_queued()
    {
        var decoded = new List<IReadOnlyList<int>>();
        void Record(IReadOnlyList<GenerationJob> rows) { lock (decoded) decoded.AddRange(rows.Select(r => r.PromptIds)); }
        server.Served.Queue.Stepped += Record;
        try
        {
            var longText = string.Concat(Enumerable.Repeat("Once upon a time there was a girl. ", 200));
            var bad = new JsonObject { ["prompt"] = new JsonArray("The little dog", longText), ["max_tokens"] = 5 }.ToJsonString();
            var (code, error) = await server.PostAsync("/v1/completions", bad);
            Assert.Equal(400, code);
            Assert.Equal("prompt[1]", (string?)error["error"]!["param"]);
            // A later request is served FIFO after anything the bad one might have queued, so once it is done
            // every decode step the bad request caused has been seen.
            var (ok, _) = await server.PostAsync("/v1/completions", """{"prompt":"Once upon a time","max_tokens":3}""");
            Assert.Equal(200, ok);
        }
        finally { server.Served.Queue.Stepped -= Record; }
        var expected = server.Served.Tokenizer.Encode("Once upon a time");
        lock (decoded)
        {
            Assert.NotEmpty(decoded);
            Assert.All(decoded, ids => Assert.Equal(expected, ids));
        }
    }

    [Fact]
    public async Task Prompt_longer_than_the_context_is_refused()
    {
        var longText = string.Concat(Enumerable.Repeat("Once upon a time there was a girl. ", 200));
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = longText }) }.ToJsonString();
        var (code, error) = await server.PostAsync("/v1/chat/completions", body);
        Assert.Equal(400, code);
        Assert.Equal("context_length_exceeded", (string?)error["error"]!["code"]);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_does_not_stop_the_server()
    {
        const string body = """{"messages":[{"role":"user","content":"Once"}],"max_tokens":400,"stream":true}""";
        using (var cts = new CancellationTokenSource())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body) };
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            Assert.StartsWith("data: ", await reader.ReadLineAsync(cts.Token));
            cts.Cancel();
        }
        var (code, ok) = await server.PostAsync("/v1/completions", """{"prompt":"Once upon a time","max_tokens":5}""");
        Assert.Equal(200, code);
        Assert.Equal(5, (int)ok["usage"]!["completion_tokens"]!);
    }
}
