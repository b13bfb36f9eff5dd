// One evaluated item as written to the per-item JSONL: what was asked, what came back, its scores and verdicts, or its error.
using Pharos.IO;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Benchmarks;

/// <summary>One verifier's verdict on one item, in strict and (for IFEval types) loose mode.</summary>
public sealed record InstructionVerdict(string Id, bool Strict, bool Loose, double Score, string Explanation);

public sealed record ItemRecord(string Suite, string Id, string Prompt, string? Output, string? Error)
{
    /// <summary>Grouping key for breakdowns: a language pair ("en-de") for translation and IF-MT items.</summary>
    public string? Group { get; init; }
    public string? Reference { get; init; }
    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();
    public IReadOnlyList<InstructionVerdict> Verdicts { get; init; } = [];

    /// <summary>One record per line, with non-ASCII text kept readable (ü, 日本) rather than \u-escaped.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The per-item JSONL of a suite, written atomically.</summary>
    public static void WriteJsonl(string path, IEnumerable<ItemRecord> records) =>
        AtomicFile.WriteAllText(path, string.Concat(records.Select(r => r.ToJson().ToJsonString(JsonLine) + "\n")));

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["suite"] = Suite, ["id"] = Id };
        if (Group is not null) o["group"] = Group;
        o["prompt"] = Prompt;
        o["output"] = Output;
        if (Reference is not null) o["reference"] = Reference;
        if (Error is not null) o["error"] = Error;
        var scores = new JsonObject();
        foreach (var (k, v) in Scores) scores[k] = Math.Round(v, 6);
        o["scores"] = scores;
        if (Verdicts.Count > 0)
            o["verdicts"] = new JsonArray(Verdicts.Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Id, ["strict"] = v.Strict, ["loose"] = v.Loose, ["score"] = Math.Round(v.Score, 6), ["explanation"] = v.Explanation,
            }).ToArray());
        return o;
    }
}
