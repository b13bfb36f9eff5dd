// Segments to translate, from a command-line argument, stdin, a .txt file (one segment a line) or JSONL (`source` field),
// and where translations go: text lines, or the JSONL records with `translation` added. Bad JSONL lines are
// quarantined to OUTPUT.rejected.jsonl with their line number and reason, never silently dropped.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;

namespace Pharos.Cli;

internal sealed record Segment(int Line, string Source, JsonObject? Record);

internal sealed record RejectedLine(int Line, string Reason, string Text);

internal static class TranslationSegments
{
    public static bool IsJsonl(string path) => path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public static (List<Segment> Segments, List<RejectedLine> Rejected) Read(TextReader reader, bool jsonl, string name)
    {
        var segments = new List<Segment>();
        var rejected = new List<RejectedLine>();
        int lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (!jsonl) { segments.Add(new Segment(lineNo, line, null)); continue; }
            if (line.Trim().Length == 0) continue;
            try
            {
                if (JsonNode.Parse(line) is not JsonObject record)
                    rejected.Add(new RejectedLine(lineNo, "not a JSON object", line));
                else if (record["source"] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                    rejected.Add(new RejectedLine(lineNo, "missing string field 'source'", line));
                else
                    segments.Add(new Segment(lineNo, v.GetValue<string>(), record));
            }
            catch (JsonException e)
            {
                rejected.Add(new RejectedLine(lineNo, $"invalid JSON: {e.Message}", line));
            }
        }
        return (segments, rejected);
    }

    public static string Format(Segment segment, string translation)
    {
        if (segment.Record is null) return translation.ReplaceLineEndings(" ");
        var record = (JsonObject)segment.Record.DeepClone();
        record["translation"] = translation;
        return record.ToJsonString();
    }

    public static void WriteRejected(string path, string input, IReadOnlyList<RejectedLine> rejected)
    {
        using var w = new StreamWriter(path);
        foreach (var r in rejected)
            w.WriteLine(new JsonObject { ["file"] = input, ["line"] = r.Line, ["reason"] = r.Reason, ["text"] = r.Text }.ToJsonString());
    }

    public static PharosException Strict(string input, RejectedLine first) =>
        new($"{input}:{first.Line}: {first.Reason}");
}
