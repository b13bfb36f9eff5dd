// The completion marker of one tokenize task, written after its shard: what was read (path, size, time), with which
// tokenizer, and what came out (tokens, documents, bad records by reason). A task is done when its marker matches its input.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pharos.Training.Datasets.Shards;

public sealed record TokenizeMarker
{
    [JsonPropertyName("input")] public required string Input { get; init; }
    [JsonPropertyName("rehydration")] public string? Rehydration { get; init; }
    [JsonPropertyName("input_bytes")] public long InputBytes { get; init; }
    [JsonPropertyName("input_modified_utc")] public DateTime InputModified { get; init; }
    [JsonPropertyName("tokenizer_hash")] public required string TokenizerHash { get; init; }
    [JsonPropertyName("chat_template_hash")] public required string ChatTemplateHash { get; init; }
    [JsonPropertyName("shard")] public required string Shard { get; init; }
    [JsonPropertyName("tokens")] public long Tokens { get; init; }
    [JsonPropertyName("documents")] public long Documents { get; init; }
    [JsonPropertyName("bad_records")] public Dictionary<string, long> BadRecords { get; init; } = [];
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static TokenizeMarker? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<TokenizeMarker>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null; // a marker from another version: the task runs again
        }
    }

    /// <summary>True when the input file is still the one this marker describes.</summary>
    public bool Describes(TokenizeInput input)
    {
        var info = new FileInfo(input.Path);
        return Input == input.Path && Rehydration == input.Rehydration && info.Exists && info.Length == InputBytes && info.LastWriteTimeUtc == InputModified;
    }
}
