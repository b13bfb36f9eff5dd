// Reads JSONL (plain, .gz, .zst): text and id from configurable fields, the rest (and a datatrove "metadata" object) into metadata.
using System.Text.Json;
using System.Text.Unicode;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Readers;

public sealed class JsonlReader(ReaderOptions options) : IDocumentReader
{
    public IEnumerable<Document> Read(string path, Quarantine quarantine)
    {
        using var stream = CompressedFile.OpenRead(path);
        var lines = new ByteLineReader(stream);
        var index = 0;
        while (true)
        {
            ReadOnlyMemory<byte> line;
            long offset;
            try
            {
                if (!lines.TryReadLine(out line, out offset))
                    yield break;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or EndOfStreamException)
            {
                // A truncated or corrupt compressed stream: what was read stays, the rest of the file is one quarantined record.
                quarantine.Add(path, lines.Position, "truncated_stream", e.Message);
                yield break;
            }
            if (IsBlank(line.Span))
                continue;
            // A compressed stream cut short may end without an error, leaving a partial last line: that is truncation, not bad JSON.
            var doc = Parse(path, line, offset, index++, lines.LastLineTerminated ? quarantine : new Quarantine());
            if (doc is null && !lines.LastLineTerminated)
                quarantine.Add(path, offset, "truncated_stream", "the stream ends inside a record");
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

    static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}
