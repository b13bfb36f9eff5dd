// Reads and validates the OpenAI request fields Pharos supports; each bad field becomes a 400 naming it.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Generation;

namespace Pharos.Serve;

internal sealed class RequestFields(JsonObject body)
{
    public static async Task<RequestFields> ReadAsync(Stream stream, CancellationToken cancel)
    {
        try
        {
            var node = await JsonNode.ParseAsync(stream, cancellationToken: cancel);
            return node is JsonObject o ? new RequestFields(o) : throw new ApiException(400, "the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"malformed JSON in request body: {e.Message}");
        }
    }

    public JsonObject Body => body;

    public string? String(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new ApiException(400, $"'{name}' must be a string", name),
    };

    public double? Number(string name, double min, double max)
    {
        if (body[name] is null) return null;
        if (body[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) throw new ApiException(400, $"'{name}' must be a number", name);
        double x = v.GetValue<double>();
        if (double.IsNaN(x) || x < min || x > max) throw new ApiException(400, $"'{name}' must be between {min} and {max}, got {x}", name);
        return x;
    }

    public long? Integer(string name, long min, long max)
    {
        var x = Number(name, min, max);
        if (x is null) return null;
        if (x != Math.Floor(x.Value)) throw new ApiException(400, $"'{name}' must be an integer", name);
        return (long)x.Value;
    }

    public bool Bool(string name) => body[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new ApiException(400, $"'{name}' must be true or false", name),
    };

    public IReadOnlyList<string> Stop() => body["stop"] switch
    {
        null => [],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a when a.Count <= 4 => a.Select(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length > 0
            ? s.GetValue<string>() : throw new ApiException(400, "'stop' must be a string or up to 4 non-empty strings", "stop")).ToArray(),
        _ => throw new ApiException(400, "'stop' must be a string or up to 4 non-empty strings", "stop"),
    };

    /// <summary>Decoding options; max_tokens defaults to what fits in the context, and must fit with the prompt.</summary>
    public GenerationOptions Options(int promptTokens, int contextLength, IReadOnlyList<int> stopIds, int defaultMaxTokens)
    {
        int room = contextLength - promptTokens;
        if (room <= 0)
            throw new ApiException(400, $"the prompt has {promptTokens} tokens, which does not fit the model's context of {contextLength}", "messages", code: "context_length_exceeded");
        var maxTokens = Integer("max_completion_tokens", 1, int.MaxValue) ?? Integer("max_tokens", 1, int.MaxValue) ?? Math.Min(defaultMaxTokens, room);
        if (maxTokens > room)
            throw new ApiException(400, $"max_tokens ({maxTokens}) + prompt ({promptTokens} tokens) exceed the model's context of {contextLength}", "max_tokens", code: "context_length_exceeded");
        return new GenerationOptions
        {
            MaxNewTokens = (int)maxTokens,
            Temperature = Number("temperature", 0, 2) ?? 1.0,
            TopP = Number("top_p", double.Epsilon, 1) ?? 1.0,
            Seed = Integer("seed", long.MinValue, long.MaxValue),
            StopTokenIds = stopIds,
        };
    }
}
