// Pharos writes a document's metadata to Parquet as one JSON string column "metadata"; this turns it back into fields.
using System.Text.Json;
using Pharos.Curation.Readers;

namespace Pharos.Curation.Writers;

internal static class ParquetMetadata
{
    public static string Serialize(Dictionary<string, object?> metadata) => JsonSerializer.Serialize(metadata);

    public static void Expand(string json, Dictionary<string, object?> into)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var p in doc.RootElement.EnumerateObject())
                into[p.Name] = JsonValues.ToObject(p.Value);
        }
        catch (JsonException)
        {
            into["metadata"] = json; // not ours: keep it as it was.
        }
    }
}
