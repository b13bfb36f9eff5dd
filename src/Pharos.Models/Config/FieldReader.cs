// Typed, strict access to config.json fields; every failure names the file and the field.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;

namespace Pharos.Models.Config;

internal sealed class FieldReader(JsonObject root, string path)
{
    public string Architecture()
    {
        if (root["architectures"] is JsonArray { Count: > 0 } list && list[0] is JsonValue v && v.TryGetValue(out string? name))
            return name;
        throw new InvalidModelException($"{path}: missing field 'architectures' (e.g. [\"LlamaForCausalLM\"])");
    }

    public int Int(string field) =>
        OptionalInt(field) ?? throw new InvalidModelException($"{path}: missing field '{field}'");

    public int? OptionalInt(string field) => root[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i) => i,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
        _ => throw Wrong(field, "an integer"),
    };

    public double? OptionalDouble(string field) => root[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => throw Wrong(field, "a number"),
    };

    public bool? OptionalBool(string field) => root[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw Wrong(field, "true or false"),
    };

    public string? OptionalString(string field) => root[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Wrong(field, "a string"),
    };

    public int[] IntOrList(string field) => root[field] switch
    {
        null => [],
        JsonArray a => a.Select((x, i) => x is JsonValue v && v.TryGetValue(out int id) ? id : throw Wrong($"{field}[{i}]", "an integer")).ToArray(),
        _ => [Int(field)],
    };

    /// <summary>layer_types (["sliding_attention", "full_attention", ...]) as written by recent transformers, if present.</summary>
    public bool[]? LayerTypes(int layers)
    {
        if (root["layer_types"] is not JsonArray a) return null;
        if (a.Count != layers)
            throw new InvalidModelException($"{path}: field 'layer_types' has {a.Count} entries for {layers} layers");
        return a.Select((x, i) => (string?)x switch
        {
            "sliding_attention" => true,
            "full_attention" => false,
            var other => throw new InvalidModelException($"{path}: field 'layer_types[{i}]' is '{other}', expected sliding_attention or full_attention"),
        }).ToArray();
    }

    /// <summary>rope_theta + rope_scaling (transformers 4) or rope_parameters (transformers 5).</summary>
    public (double Theta, RopeScaling? Scaling) Rope()
    {
        var parameters = root["rope_parameters"] as JsonObject;
        var scalingNode = parameters ?? root["rope_scaling"] as JsonObject;
        // rope_parameters (transformers 5) wins over a top-level rope_theta, which may be a family default.
        double theta = (parameters is null ? null : new FieldReader(parameters, path).OptionalDouble("rope_theta")) ?? OptionalDouble("rope_theta") ?? 10000.0;
        if (scalingNode is null) return (theta, null);
        var s = new FieldReader(scalingNode, path);
        var type = s.OptionalString("rope_type") ?? s.OptionalString("type") ?? "default";
        switch (type)
        {
            case "default":
                return (theta, null);
            case "linear":
                return (theta, new RopeScaling(type, s.RequiredDouble("factor", "rope_scaling"), 0, 0, 0));
            case "llama3":
                return (theta, new RopeScaling(type,
                    s.RequiredDouble("factor", "rope_scaling"),
                    s.RequiredDouble("low_freq_factor", "rope_scaling"),
                    s.RequiredDouble("high_freq_factor", "rope_scaling"),
                    (int)s.RequiredDouble("original_max_position_embeddings", "rope_scaling")));
            default:
                throw new InvalidModelException($"{path}: field 'rope_scaling.rope_type' = '{type}' is not supported (default, linear, llama3 are)");
        }
    }

    double RequiredDouble(string field, string parent) =>
        OptionalDouble(field) ?? throw new InvalidModelException($"{path}: missing field '{parent}.{field}'");

    InvalidModelException Wrong(string field, string expected) =>
        new($"{path}: field '{field}' must be {expected}, found {root[field]?.ToJsonString() ?? "null"}");
}
