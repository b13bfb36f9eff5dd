// Reads JSONL (plain, .gz, .zst): text and id from configurable fields, the rest (and a datatrove "metadata" object) into metadata.
using Pharos.IO;
using System.Text.Json;
using System.Text.Unicode;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Readers;

public sealed class JsonlReader(ReaderOptions options) : IDocumentReader
{
    public IEnumerable<Document> Read(string path, Quarantine quarantine)
    {
        using var lines = JsonlFile.ReadLines(path).GetEnumerator();
        var index = 0;
        while (true)
        {
            try
            {
                if (!lines.MoveNext())
                    yield break;
            }
            catch (CorruptInputException e)
            {
                // A cut or damaged compressed stream: what was read stays, the rest of the file is one quarantined record.
                quarantine.Add(path, e.Offset, "truncated_stream", e.Detail);
                yield break;
            }
            var doc = Parse(path, lines.Current.Bytes, lines.Current.Offset, index++, quarantine);
            if (doc is not null)
                yield return doc;
        }
    }

    Document? Parse(string path, ReadOnlyMemory<byte> line, long offset, int index, Quarantine quarantine)
    {
        if (!Utf8.IsValid(line.Span))
        {
            quarantine.Add(path, offset, "invalid_utf8", "line is not valid UTF-8");
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                quarantine.Add(path, offset, "invalid_json", "line is not a JSON object");
                return null;
            }
            string? text = null, id = null;
            var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in json.RootElement.EnumerateObject())
            {
                if (p.NameEquals(options.TextKey))
                    text = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                else if (p.NameEquals(options.IdKey))
                    id = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
                else if (p.NameEquals("metadata") && p.Value.ValueKind == JsonValueKind.Object)
                    foreach (var m in p.Value.EnumerateObject())
                        metadata[m.Name] = JsonValues.ToObject(m.Value);
                else
                    metadata[p.Name] = JsonValues.ToObject(p.Value);
            }
            if (text is null)
            {
                quarantine.Add(path, offset, "missing_text", $"no string field \"{options.TextKey}\"");
                return null;
            }
            return new Document(text, id ?? $"{CompressedFile.Stem(path)}/{index}", metadata) { SourceFile = path, SourceOffset = offset };
        }
        catch (JsonException e)
        {
            quarantine.Add(path, offset, "invalid_json", e.Message);
            return null;
        }
    }

}
