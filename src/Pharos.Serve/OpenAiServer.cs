// The OpenAI-compatible HTTP API on Kestrel: /v1/chat/completions (plain and server-sent events), /v1/completions,
// /v1/models and /health. Binds to loopback unless told otherwise.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pharos.Serve;

public sealed class OpenAiServer : IAsyncDisposable
{
    readonly WebApplication app;

    OpenAiServer(WebApplication app) => this.app = app;

    /// <summary>Starts listening; port 0 picks a free port (see <see cref="Address"/>).</summary>
    public static async Task<OpenAiServer> StartAsync(ServedModel served, string host = "127.0.0.1", int port = 8000, bool quiet = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
        builder.Logging.ClearProviders();
        if (!quiet) builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var chat = new ChatCompletionsEndpoint(served);
        var completions = new CompletionsEndpoint(served);
        app.MapGet("/health", () => Results.Json(new JsonObject { ["status"] = "ok" }));
        app.MapGet("/v1/models", () => Results.Json(ModelsList(served)));
        app.MapPost("/v1/chat/completions", (HttpContext c) => Handle(c, chat.HandleAsync));
        app.MapPost("/v1/completions", (HttpContext c) => Handle(c, completions.HandleAsync));
        app.MapFallback((HttpContext c) => WriteError(c, new ApiException(404, $"no route {c.Request.Method} {c.Request.Path}", type: "not_found_error")));
        await app.StartAsync();
        return new OpenAiServer(app);
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public string Address => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    static JsonObject ModelsList(ServedModel served) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject
        {
            ["id"] = served.Name,
            ["object"] = "model",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["owned_by"] = "pharos",
            ["max_model_len"] = served.ContextLength,
        }),
    };

    static async Task Handle(HttpContext context, Func<HttpContext, Task> handler)
    {
        try
        {
            await handler(context);
        }
        catch (ApiException e)
        {
            await WriteError(context, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            await WriteError(context, new ApiException(500, $"internal error: {e.Message}", type: "server_error"));
        }
    }

    internal static async Task WriteError(HttpContext context, ApiException e)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = e.Status;
        await context.Response.WriteAsJsonAsync(e.ToJson());
    }

    internal static void RequireModel(ServedModel served, RequestFields fields)
    {
        var name = fields.String("model");
        if (name is not null && name != served.Name)
            throw new ApiException(404, $"the model '{name}' does not exist; this server serves '{served.Name}'", "model", code: "model_not_found");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public Task WaitForShutdownAsync(CancellationToken cancel) => app.WaitForShutdownAsync(cancel);
}
