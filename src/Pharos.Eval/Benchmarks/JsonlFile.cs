// Reads benchmark JSONL files line by line; every problem (bad JSON, missing or mistyped field) names the file and line.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Eval.Errors;

namespace Pharos.Eval.Benchmarks;

/// <summary>One parsed line: the object and where it came from ("file.jsonl:12"), for error messages.</summary>
public sealed record JsonlLine(string Where, int Line, JsonObject Object)
{
    public InvalidInputException Error(string problem) => new($"{Where}: {problem}");

    public string String(string field) =>
        Object[field] is JsonValue v && v.TryGetValue(out string? s) ? s
        : throw Error(Object.ContainsKey(field) ? $"field '{field}' must be a string" : $"missing field '{field}'");

    public string? OptionalString(string field) =>
        Object[field] is null ? null : String(field);

    public JsonArray Array(string field) =>
        Object[field] as JsonArray ?? throw Error(Object.ContainsKey(field) ? $"field '{field}' must be a list" : $"missing field '{field}'");

    /// <summary>An id field that datasets write as a number (IFEval's key) or a string; the line number when absent.</summary>
    public string Id(string field) =>
        Object[field] switch
        {
            null => $"line {Line}",
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw Error($"field '{field}' must be a string or a number"),
        };
}

public static class JsonlFile
{
    public static IReadOnlyList<JsonlLine> Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: file not found");
        var lines = new List<JsonlLine>();
        int number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonNode? node;
            try { node = JsonNode.Parse(text); }
            catch (JsonException e) { throw new InvalidInputException($"{path}:{number}: invalid JSON: {e.Message}"); }
            if (node is not JsonObject o) throw new InvalidInputException($"{path}:{number}: expected a JSON object");
            lines.Add(new JsonlLine($"{path}:{number}", number, o));
        }
        if (lines.Count == 0) throw new InvalidInputException($"{path}: no items");
        return lines;
    }
}
