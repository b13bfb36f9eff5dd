// Reads a server-sent-events response as the OpenAI clients do: one JSON object per `data:` line until [DONE].
using System.Text.Json.Nodes;

namespace Pharos.Serve.Tests;

internal static class SseReader
{
    public static async Task<(List<JsonObject> Events, bool Done)> ReadAllAsync(HttpResponseMessage response, CancellationToken cancel = default)
    {
        var events = new List<JsonObject>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel));
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var data = line["data: ".Length..];
            if (data == "[DONE]") return (events, true);
            events.Add((JsonObject)JsonNode.Parse(data)!);
        }
        return (events, false);
    }

    public static string ContentOf(IEnumerable<JsonObject> chunks, int choice = 0) => string.Concat(chunks
        .SelectMany(c => c["choices"]!.AsArray())
        .Where(c => (int)c!["index"]! == choice)
        .Select(c => (string?)c!["delta"]?["content"] ?? (string?)c["text"] ?? ""));
}
