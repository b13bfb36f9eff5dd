// POST /v1/chat/completions: messages through the model's chat template, then batched generation; plain JSON or SSE.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pharos.Models.Errors;
using Pharos.Models.Tokenization;

namespace Pharos.Serve;

internal sealed class ChatCompletionsEndpoint(ServedModel served)
{
    static readonly HashSet<string> Roles = ["system", "user", "assistant", "tool", "developer"];

    public async Task HandleAsync(HttpContext context)
    {
        var cancel = context.RequestAborted;
        var fields = await RequestFields.ReadAsync(context.Request.Body, cancel);
        OpenAiServer.RequireModel(served, fields);
        var messages = Messages(fields);
        IReadOnlyList<int> ids;
        try { ids = served.Chat.Encode(messages); }
        catch (PharosException e) { throw new ApiException(400, $"chat template: {e.Message}", "messages"); }
        var options = fields.Options(ids.Count, served.ContextLength, served.StopIds, defaultMaxTokens: 512, promptField: "messages");
        int n = (int)(fields.Integer("n", 1, 8) ?? 1);
        bool stream = fields.Bool("stream");
        bool includeUsage = fields.IncludeUsage();
        string id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        ServerSentEvents? events = stream ? new ServerSentEvents(context.Response) : null;
        var job = new GenerationJob
        {
            PromptIds = ids, Options = options, Copies = n, StopStrings = fields.Stop(),
            Tokenizer = served.Tokenizer, Cancel = cancel, OnText = events is null ? null : events.Enqueue,
        };
        var running = served.Queue.Submit(job);
        if (events is null)
        {
            var result = await running.WaitAsync(cancel);
            var choices = new JsonArray(result.Choices.Select((c, i) => (JsonNode)new JsonObject
            {
                ["index"] = i,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = c.Text },
                ["logprobs"] = null,
                ["finish_reason"] = c.FinishReason,
            }).ToArray());
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = served.Name,
                ["choices"] = choices, ["usage"] = Usage.Of([result]),
            }, cancel);
            return;
        }

        JsonObject Chunk(int choice, JsonObject delta, string? finish) => new()
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = served.Name,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = choice, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
        };
        for (int i = 0; i < n; i++)
            await events.WriteAsync(Chunk(i, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null), cancel);
        var done = await events.PumpAsync(running, (choice, text) => Chunk(choice, new JsonObject { ["content"] = text }, null), cancel);
        for (int i = 0; i < done.Choices.Count; i++)
            await events.WriteAsync(Chunk(i, new JsonObject(), done.Choices[i].FinishReason), cancel);
        if (includeUsage)
            await events.WriteAsync(new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = served.Name,
                ["choices"] = new JsonArray(), ["usage"] = Usage.Of([done]),
            }, cancel);
        await events.DoneAsync(cancel);
    }

    static List<ChatMessage> Messages(RequestFields fields)
    {
        if (fields.Body["messages"] is not JsonArray list || list.Count == 0)
            throw new ApiException(400, "'messages' is required: a non-empty array of {role, content}", "messages");
        var messages = new List<ChatMessage>();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject m || m["role"] is not JsonValue r || r.GetValueKind() != JsonValueKind.String)
                throw new ApiException(400, $"messages[{i}] must be an object with a string 'role'", $"messages[{i}]");
            var role = r.GetValue<string>();
            if (!Roles.Contains(role))
                throw new ApiException(400, $"messages[{i}].role '{role}' is not one of {string.Join(", ", Roles)}", $"messages[{i}].role");
            messages.Add(new ChatMessage(role, Content(m["content"], i)));
        }
        return messages;
    }

    /// <summary>content is a string, or an array of {"type": "text", "text": "…"} parts, which are joined.</summary>
    static string Content(JsonNode? content, int i) => content switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select((p, j) => TextPart(p, $"messages[{i}].content[{j}]"))),
        _ => throw new ApiException(400, $"messages[{i}].content must be a string or an array of text parts", $"messages[{i}].content"),
    };

    static string TextPart(JsonNode? part, string path)
    {
        if (part is not JsonObject o)
            throw new ApiException(400, $"{path} must be an object {{\"type\": \"text\", \"text\": …}}", path);
        if (o["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String)
            throw new ApiException(400, $"{path}.type must be a string", $"{path}.type");
        if (type.GetValue<string>() != "text")
            throw new ApiException(400, $"{path}.type '{type.GetValue<string>()}': only text parts are supported", $"{path}.type");
        if (o["text"] is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            throw new ApiException(400, $"{path}.text must be a string", $"{path}.text");
        return text.GetValue<string>();
    }
}
