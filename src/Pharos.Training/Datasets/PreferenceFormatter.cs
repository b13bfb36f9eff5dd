// TRL preference records (`prompt`/`chosen`/`rejected`, plain strings or message lists; or `chosen`/`rejected` whole
// conversations) as one row each: chosen and rejected side by side as two documents, loss targets on the completions only.
using System.Text.Json.Nodes;

namespace Pharos.Training.Datasets;

public sealed class PreferenceFormatter
{
    public const string IdenticalPair = "identical_pair";
    readonly ChatFormatter chat;

    public PreferenceFormatter(ITextTokenizer tokenizer) => chat = new ChatFormatter(tokenizer);

    public PackedSequence? Format(SourceRecord record, BadRecords bad)
    {
        var json = record.Json;
        if (json["chosen"] is null || json["rejected"] is null)
        {
            bad.Add(record.File, record.Line, BadRecords.MissingField, "a preference record needs 'chosen' and 'rejected' (and usually 'prompt')");
            return null;
        }
        if (JsonNode.DeepEquals(json["chosen"], json["rejected"]))
        {
            bad.Add(record.File, record.Line, IdenticalPair, "'chosen' and 'rejected' are identical: the pair carries no preference");
            return null;
        }
        if (IsEmpty(json["chosen"]) || IsEmpty(json["rejected"]))
        {
            bad.Add(record.File, record.Line, BadRecords.Empty, "'chosen' or 'rejected' is empty");
            return null;
        }
        var chosen = chat.Format(AsSft(record, "chosen"), bad);
        var rejected = chosen is null ? null : chat.Format(AsSft(record, "rejected"), bad);
        if (chosen is null || rejected is null) return null;
        var docs = Enumerable.Repeat(0, chosen.Length).Concat(Enumerable.Repeat(1, rejected.Length)).ToArray();
        var positions = Enumerable.Range(0, chosen.Length).Concat(Enumerable.Range(0, rejected.Length)).ToArray();
        return new PackedSequence([.. chosen.Ids, .. rejected.Ids], [.. chosen.Targets, .. rejected.Targets], docs, positions) { Record = json };
    }

    static bool IsEmpty(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonArray a => a.Count == 0 || a.All(m => StringOf(m?["role"]) == "assistant" && string.IsNullOrEmpty(StringOf(m!["content"]))),
        _ => false,
    };

    /// <summary>The node's string, or null for anything else (a malformed message is ChatFormatter's to report, not to throw on here).</summary>
    static string? StringOf(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static SourceRecord AsSft(SourceRecord record, string side)
    {
        var json = record.Json;
        var sft = json["prompt"] is null
            ? new JsonObject { ["messages"] = json[side]!.DeepClone() }
            : new JsonObject { ["prompt"] = json["prompt"]!.DeepClone(), ["completion"] = json[side]!.DeepClone() };
        return record with { Json = sft };
    }
}
