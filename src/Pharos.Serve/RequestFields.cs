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
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancel);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new ApiException(400, "the request body must be a JSON object");
            // JsonObject throws on a repeated key only when first read; refuse it up front, naming where it is.
            if (RepeatedKey(document.RootElement, "") is string path)
                throw new ApiException(400, $"'{path}' appears more than once in the request body", path);
            return new RequestFields(JsonObject.Create(document.RootElement.Clone())!);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"malformed JSON in request body: {e.Message}");
        }
    }

    /// <summary>The path of the first key that occurs twice in one object (e.g. "messages[0].role"), or null.</summary>
    static string? RepeatedKey(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var inner = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!seen.Add(property.Name)) return inner;
                    if (RepeatedKey(property.Value, inner) is string found) return found;
                }
                return null;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                    if (RepeatedKey(item, $"{path}[{i++}]") is string found) return found;
                return null;
            default:
                return null;
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
        // Read exactly when the literal is an integer: a double cannot hold every 64-bit seed.
        if (body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out long exact))
            return exact >= min && exact <= max ? exact : throw new ApiException(400, $"'{name}' must be between {min} and {max}, got {exact}", name);
        var x = Number(name, min, max);
        if (x is null) return null;
        if (x != Math.Floor(x.Value) || x.Value >= 9.2233720368547758e18 || x.Value < -9.2233720368547758e18)
            throw new ApiException(400, $"'{name}' must be an integer between {min} and {max}", name);
        return (long)x.Value;
    }

    public bool Bool(string name) => body[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new ApiException(400, $"'{name}' must be true or false", name),
    };

    /// <summary>stream_options.include_usage; stream_options, when present, must be an object.</summary>
    public bool IncludeUsage() => body["stream_options"] switch
    {
        null => false,
        JsonObject o => o["include_usage"] switch
        {
            null => false,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            _ => throw new ApiException(400, "'stream_options.include_usage' must be true or false", "stream_options.include_usage"),
        },
        _ => throw new ApiException(400, "'stream_options' must be an object such as {\"include_usage\": true}", "stream_options"),
    };

    public IReadOnlyList<string> Stop() => body["stop"] switch
    {
        null => [],
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 => [v.GetValue<string>()],
        JsonArray a when a.Count <= 4 => a.Select(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length > 0
            ? s.GetValue<string>() : throw new ApiException(400, "'stop' must be a string or up to 4 non-empty strings", "stop")).ToArray(),
        _ => throw new ApiException(400, "'stop' must be a string or up to 4 non-empty strings", "stop"),
    };

    /// <summary>Decoding options; max_tokens defaults to what fits in the context, and must fit with the prompt.</summary>
    /// <param name="promptField">The field the prompt came from, named when it does not fit.</param>
    public GenerationOptions Options(int promptTokens, int contextLength, IReadOnlyList<int> stopIds, int defaultMaxTokens, string promptField)
    {
        int room = contextLength - promptTokens;
        if (room <= 0)
            throw new ApiException(400, $"the prompt has {promptTokens} tokens, which does not fit the model's context of {contextLength}", promptField, code: "context_length_exceeded");
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
