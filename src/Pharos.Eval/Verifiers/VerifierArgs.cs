// Typed reads of a verifier's JsonObject arguments; every mistake becomes a VerifierArgumentException naming the argument.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers;

public static class VerifierArgs
{
    public static string String(string id, JsonObject args, string name) =>
        OptionalString(id, args, name) ?? throw Missing(id, name, "a string");

    public static string? OptionalString(string id, JsonObject args, string name)
    {
        var node = Get(args, name);
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out string? s)) return s;
        throw Wrong(id, name, "a string", node);
    }

    public static int Int(string id, JsonObject args, string name) =>
        OptionalInt(id, args, name) ?? throw Missing(id, name, "an integer");

    public static int? OptionalInt(string id, JsonObject args, string name)
    {
        var node = Get(args, name);
        if (node is null) return null;
        // JSON numbers written as 3.0 are accepted when integral: Python's json gives float there, IFEval compares numerically.
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (v.TryGetValue(out int i)) return i;
            if (v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        }
        throw Wrong(id, name, "an integer", node);
    }

    public static double? OptionalDouble(string id, JsonObject args, string name)
    {
        var node = Get(args, name);
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d)) return d;
        throw Wrong(id, name, "a number", node);
    }

    public static bool? OptionalBool(string id, JsonObject args, string name)
    {
        var node = Get(args, name);
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out bool b)) return b;
        throw Wrong(id, name, "true or false", node);
    }

    public static IReadOnlyList<string> StringList(string id, JsonObject args, string name) =>
        OptionalStringList(id, args, name) ?? throw Missing(id, name, "a list of strings");

    public static IReadOnlyList<string>? OptionalStringList(string id, JsonObject args, string name)
    {
        var node = Get(args, name);
        if (node is null) return null;
        if (node is not JsonArray array) throw Wrong(id, name, "a list of strings", node);
        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue(out string? s)) list.Add(s);
            else throw Wrong(id, name, "a list of strings", node);
        }
        return list;
    }

    /// <summary>IFEval's comparison: "less than" or "at least".</summary>
    public static Relation Relation(string id, JsonObject args, string name) =>
        String(id, args, name) switch
        {
            "less than" => Verifiers.Relation.LessThan,
            "at least" => Verifiers.Relation.AtLeast,
            var other => throw new VerifierArgumentException(id, name, $"must be \"less than\" or \"at least\", got \"{other}\""),
        };

    // IFEval data (e.g. the Hugging Face copy) fills unused arguments with null: treat null as absent.
    static JsonNode? Get(JsonObject args, string name) => args.TryGetPropertyValue(name, out var node) ? node : null;

    static VerifierArgumentException Missing(string id, string name, string what) => new(id, name, $"is required ({what})");

    static VerifierArgumentException Wrong(string id, string name, string what, JsonNode node) =>
        new(id, name, $"must be {what}, got {node.ToJsonString()}");
}
