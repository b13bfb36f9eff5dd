// Reads training records from JSONL (plain, .gz or .zst, through the shared reader) or Parquet, with their line numbers.
// An unparsable line is a bad record; a cut or damaged file stops the run (CorruptInputException names file and byte offset),
// so no step ever trains on part of a source.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.IO;
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
        foreach (var line in JsonlFile.ReadLines(path))
        {
            JsonObject? json = null;
            string? error = null;
            try
            {
                json = JsonNode.Parse(line.Bytes.Span) as JsonObject;
                if (json is null) error = "not a JSON object";
            }
            catch (JsonException e)
            {
                error = e.Message;
            }
            if (json is null)
            {
                bad.Add(path, line.Number, BadRecords.InvalidJson, error!);
                continue;
            }
            yield return new SourceRecord(path, line.Number, json);
        }
    }
}
