// Reads JSONL records (plain, .gz or .zst) line by line with their line numbers; an unparsable line is reported, not fatal.
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;

namespace Pharos.Training.Datasets;

public sealed record SourceRecord(string File, long Line, JsonObject Json);

public static class RecordReader
{
    public static IEnumerable<SourceRecord> Read(string path, BadRecords bad)
    {
        if (!File.Exists(path)) throw new PharosException($"{path}: data file does not exist");
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            return ParquetRecords.Read(path);
        return ReadJsonl(path, bad);
    }

    static IEnumerable<SourceRecord> ReadJsonl(string path, BadRecords bad)
    {
        using var stream = Open(path);
        using var reader = new StreamReader(stream);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonObject? json = null;
            string? error = null;
            try
            {
                json = JsonNode.Parse(text) as JsonObject;
                if (json is null) error = "not a JSON object";
            }
            catch (JsonException e)
            {
                error = e.Message;
            }
            if (json is null)
            {
                bad.Add(path, line, BadRecords.InvalidJson, error!);
                continue;
            }
            yield return new SourceRecord(path, line, json);
        }
    }

    static Stream Open(string path)
    {
        Stream file = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return new GZipStream(file, CompressionMode.Decompress);
        if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase)) return new ZstdSharp.DecompressionStream(file);
        return file;
    }
}
