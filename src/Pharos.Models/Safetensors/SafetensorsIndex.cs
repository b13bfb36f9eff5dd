// Reads a model.safetensors.index.json: the weight_map from tensor name to shard file.
using System.Text.Json;

namespace Pharos.Models.Safetensors;

internal static class SafetensorsIndex
{
    public const string Suffix = ".safetensors.index.json";

    /// <summary>Tensor name → shard file name, in the order the index lists them.</summary>
    public static List<KeyValuePair<string, string>> ReadWeightMap(string indexPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(indexPath, null, "index is not valid JSON: " + e.Message, e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(indexPath, null, "index is not a JSON object");
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(indexPath, "weight_map", "field \"weight_map\" is missing or not an object");

            try
            {
                return Entries(indexPath, map);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json refuses escapes like a lone "\ud800" only when the string is read.
                throw new SafetensorsFormatException(indexPath, "weight_map", "a name is not a valid Unicode string", e);
            }
        }
    }

    static List<KeyValuePair<string, string>> Entries(string indexPath, JsonElement map)
    {
        var entries = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(indexPath, entry.Name, "weight_map value is not a shard file name");
            if (!seen.Add(entry.Name))
                throw new SafetensorsFormatException(indexPath, entry.Name, "appears twice in weight_map");
            var shard = entry.Value.GetString()!;
            // Shards live next to the index; a path that climbs out of the folder is not a shard.
            if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                throw new SafetensorsFormatException(indexPath, entry.Name, $"weight_map names \"{shard}\", which is not a file name in the index's folder");
            entries.Add(new(entry.Name, shard));
        }
        return entries;
    }
}
