// Converts JSON values to the plain objects documents carry in metadata (string, long, double, bool, null, nested as JsonElement).
using System.Text.Json;

namespace Pharos.Curation.Readers;

internal static class JsonValues
{
    public static object? ToObject(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(), // (object): else the ternary makes every number a double
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.Clone(),
    };
}
