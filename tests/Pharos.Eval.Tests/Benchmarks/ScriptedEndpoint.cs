// A real OpenAI-compatible HTTP server on loopback that answers from a script (prompt → answer), or fails on purpose,
// so benchmark tests know every answer and can expect exact accuracies.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pharos.Eval.Backends;

namespace Pharos.Eval.Tests.Benchmarks;

internal sealed class ScriptedEndpoint : IAsyncDisposable
{
    readonly WebApplication app;

    ScriptedEndpoint(WebApplication app) => this.app = app;

    public string Url => app.Urls.First();

    /// <summary>
    /// <paramref name="answer"/> maps the last user message to the reply; null means HTTP 500 (every attempt), so the
    /// item ends as an error record.
    /// </summary>
    public static async Task<ScriptedEndpoint> StartAsync(Func<string, string?> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext c) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(c.Request.Body))!;
            var prompt = (string)((JsonArray)body["messages"]!).Last(m => (string?)m!["role"] == "user")!["content"]!;
            var reply = answer(prompt);
            if (reply is null)
            {
                c.Response.StatusCode = 500;
                await c.Response.WriteAsync("""{"error":{"message":"scripted failure"}}""");
                return;
            }
            var response = new JsonObject { ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply } }) };
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync(response.ToJsonString());
        });
        await app.StartAsync();
        return new ScriptedEndpoint(app);
    }

    public OpenAiEndpointBackend Backend() => new(Url, "scripted", attempts: 2, firstBackoff: TimeSpan.FromMilliseconds(1));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
