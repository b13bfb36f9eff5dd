// The OpenAI-compatible API over real HTTP on loopback: responses, streaming, usage, stop strings, n, and model identity.
using System.Net;
using System.Text.Json.Nodes;
using Pharos.Models.Generation;

namespace Pharos.Serve.Tests;

public class OpenAiApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    const string Hello = """{"model":"stories","messages":[{"role":"system","content":"Tell a story."},{"role":"user","content":"Once upon a time"}],"max_tokens":24,"temperature":0}""";

    [Fact]
    public async Task Health_and_models()
    {
        Assert.Equal("ok", (string?)(await server.GetAsync("/health"))["status"]);
        var models = await server.GetAsync("/v1/models");
        Assert.Equal("stories", (string?)models["data"]![0]!["id"]);
        Assert.Equal(512, (int)models["data"]![0]!["max_model_len"]!);
    }

    [Fact]
    public async Task Chat_completion_equals_direct_generation_through_the_template_with_exact_usage()
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", Hello);
        Assert.Equal(200, status);
        var tokenizer = server.Served.Tokenizer;
        var prompt = tokenizer.ApplyChatTemplate([new("system", "Tell a story."), new("user", "Once upon a time")], addGenerationPrompt: true);
        Assert.StartsWith("<|im_start|>system\nTell a story.<|im_end|>\n", prompt);
        var ids = tokenizer.Encode(prompt, addSpecialTokens: false);
        var direct = new TokenGenerator(server.Served.Model).Generate([ids], new GenerationOptions { MaxNewTokens = 24, StopTokenIds = server.Served.StopIds })[0];

        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal(tokenizer.Decode(direct.Tokens, skipSpecialTokens: true), (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.Equal(ids.Count, (int)body["usage"]!["prompt_tokens"]!);
        Assert.Equal(direct.Tokens.Length, (int)body["usage"]!["completion_tokens"]!);
        Assert.Equal(ids.Count + direct.Tokens.Length, (int)body["usage"]!["total_tokens"]!);
    }

    [Fact]
    public async Task Streaming_sends_the_same_text_as_chunks_then_usage_and_done()
    {
        var (_, plain) = await server.PostAsync("/v1/chat/completions", Hello);
        var streamed = Hello.Replace("\"temperature\":0", "\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(streamed) };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var (events, done) = await SseReader.ReadAllAsync(response);
        Assert.True(done);
        Assert.True(events.Count > 3, "expected several chunks");
        Assert.Equal("assistant", (string?)events[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal((string?)plain["choices"]![0]!["message"]!["content"], SseReader.ContentOf(events));
        var finish = events.Select(e => e["choices"]!.AsArray()).Where(c => c.Count > 0).Last()[0]!["finish_reason"];
        Assert.Equal("length", (string?)finish);
        Assert.Equal((int)plain["usage"]!["total_tokens"]!, (int)events[^1]["usage"]!["total_tokens"]!);
    }

    [Fact]
    public async Task Streamed_completions_of_several_prompts_end_with_their_usage()
    {
        const string body = """{"prompt":["Once upon a time","The dog"],"max_tokens":7,"temperature":0,"n":2}""";
        var (_, plain) = await server.PostAsync("/v1/completions", body);
        var streamed = body.Replace("\"n\":2", "\"n\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent(streamed) };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var (events, done) = await SseReader.ReadAllAsync(response);
        Assert.True(done);
        Assert.Equal(plain["usage"]!.ToJsonString(), events[^1]["usage"]!.ToJsonString());
        for (int choice = 0; choice < 4; choice++)
            Assert.Equal((string?)plain["choices"]![choice]!["text"], SseReader.ContentOf(events, choice));
    }

    [Fact]
    public async Task Stop_string_cuts_the_text_and_finishes_with_stop()
    {
        var (_, free) = await server.PostAsync("/v1/completions", """{"prompt":"Once upon a time","max_tokens":30,"temperature":0}""");
        var text = (string)free["choices"]![0]!["text"]!;
        Assert.Contains("Lily", text);
        var (status, stopped) = await server.PostAsync("/v1/completions", """{"prompt":"Once upon a time","max_tokens":30,"temperature":0,"stop":["Lily"]}""");
        Assert.Equal(200, status);
        Assert.Equal(text[..text.IndexOf("Lily", StringComparison.Ordinal)], (string?)stopped["choices"]![0]!["text"]);
        Assert.Equal("stop", (string?)stopped["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task N_choices_with_a_seed_are_reproducible()
    {
        const string body = """{"prompt":"Once upon a time","max_tokens":20,"temperature":1.0,"top_p":0.9,"seed":5,"n":3}""";
        var (_, a) = await server.PostAsync("/v1/completions", body);
        var (_, b) = await server.PostAsync("/v1/completions", body);
        Assert.Equal(3, a["choices"]!.AsArray().Count);
        Assert.Equal(a["choices"]!.ToJsonString(), b["choices"]!.ToJsonString());
        Assert.Equal(5 * 1, (int)a["usage"]!["prompt_tokens"]!);
    }
}
