// POST /v1/completions: raw text prompts (one or several) without a chat template; plain JSON or SSE.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Pharos.Serve;

internal sealed class CompletionsEndpoint(ServedModel served)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancel = context.RequestAborted;
        var fields = await RequestFields.ReadAsync(context.Request.Body, cancel);
        OpenAiServer.RequireModel(served, fields);
        var prompts = Prompts(fields);
        int n = (int)(fields.Integer("n", 1, 8) ?? 1);
        bool stream = fields.Bool("stream");
        bool includeUsage = fields.IncludeUsage();
        var stops = fields.Stop();
        string id = "cmpl-" + Guid.NewGuid().ToString("N");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Every prompt is checked before any is queued, so a refused request leaves nothing generating.
        var checkedPrompts = prompts.Select((text, p) =>
        {
            string field = prompts.Count == 1 ? "prompt" : $"prompt[{p}]";
            var ids = served.Tokenizer.Encode(text);
            if (ids.Count == 0) throw new ApiException(400, $"{field} encodes to no tokens", field);
            return (Ids: ids, Options: fields.Options(ids.Count, served.ContextLength, served.StopIds, defaultMaxTokens: 16, promptField: field));
        }).ToArray();

        ServerSentEvents? events = stream ? new ServerSentEvents(context.Response) : null;
        var jobs = checkedPrompts.Select((prompt, p) =>
        {
            int offset = p * n;
            return served.Queue.Submit(new GenerationJob
            {
                PromptIds = prompt.Ids, Options = prompt.Options, Copies = n, StopStrings = stops, Tokenizer = served.Tokenizer, Cancel = cancel,
                OnText = events is null ? null : (choice, text) => events.Enqueue(offset + choice, text),
            });
        }).ToList();

        JsonObject Response(JsonArray choices, string type) => new()
        {
            ["id"] = id, ["object"] = type, ["created"] = created, ["model"] = served.Name, ["choices"] = choices,
        };
        static JsonObject Choice(int index, string text, string? finish) =>
            new() { ["index"] = index, ["text"] = text, ["logprobs"] = null, ["finish_reason"] = finish };

        if (events is null)
        {
            var results = await Task.WhenAll(jobs).WaitAsync(cancel);
            var choices = new JsonArray(results.SelectMany(r => r.Choices).Select((c, i) => (JsonNode)Choice(i, c.Text, c.FinishReason)).ToArray());
            var body = Response(choices, "text_completion");
            body["usage"] = Usage.Of(results);
            await context.Response.WriteAsJsonAsync(body, cancel);
            return;
        }
        var all = await events.PumpAsync(Task.WhenAll(jobs).ContinueWith(t => t.Result.First(), TaskScheduler.Default),
            (choice, text) => Response(new JsonArray(Choice(choice, text, null)), "text_completion"), cancel);
        var finished = (await Task.WhenAll(jobs)).SelectMany(r => r.Choices).ToArray();
        for (int i = 0; i < finished.Length; i++)
            await events.WriteAsync(Response(new JsonArray(Choice(i, "", finished[i].FinishReason)), "text_completion"), cancel);
        if (includeUsage)
        {
            var usage = Response(new JsonArray(), "text_completion");
            usage["usage"] = Usage.Of(await Task.WhenAll(jobs));
            await events.WriteAsync(usage, cancel);
        }
        await events.DoneAsync(cancel);
    }

    static IReadOnlyList<string> Prompts(RequestFields fields) => fields.Body["prompt"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a when a.Count is > 0 and <= 16 && a.All(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String)
            => a.Select(x => x!.GetValue<string>()).ToArray(),
        null => throw new ApiException(400, "'prompt' is required", "prompt"),
        _ => throw new ApiException(400, "'prompt' must be a string or an array of 1 to 16 strings", "prompt"),
    };
}
