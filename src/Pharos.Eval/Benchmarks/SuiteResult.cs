// Aggregate results of one suite: headline metrics plus breakdowns (per language pair, per instruction type), as in results.json.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Benchmarks;

/// <summary>
/// <paramref name="Metrics"/>: headline numbers (accuracies in [0,1], BLEU/chrF on sacrebleu's 0–100 scale).
/// <paramref name="Breakdowns"/>: named tables, row key → column → value (e.g. "by_pair" → "en-de" → "chrF2++").
/// </summary>
public sealed record SuiteResult(string Suite, int Items, int Errors, IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> Breakdowns)
{
    public JsonObject ToJson()
    {
        var metrics = new JsonObject();
        foreach (var (k, v) in Metrics) metrics[k] = Number(v);
        var breakdowns = new JsonObject();
        foreach (var (name, table) in Breakdowns)
        {
            var rows = new JsonObject();
            foreach (var (row, cols) in table)
            {
                var c = new JsonObject();
                foreach (var (col, v) in cols) c[col] = Number(v);
                rows[row] = c;
            }
            breakdowns[name] = rows;
        }
        return new JsonObject { ["items"] = Items, ["errors"] = Errors, ["metrics"] = metrics, ["breakdowns"] = breakdowns };
    }

    /// <summary>JSON has no NaN: an undefined value (a win rate without any judged game) is written as null.</summary>
    static JsonNode? Number(double v) => double.IsFinite(v) ? Math.Round(v, 6) : null;

    static double Read(JsonNode? v) => v is null ? double.NaN : v.GetValue<double>();

    public static SuiteResult FromJson(string suite, JsonObject o)
    {
        var metrics = ((JsonObject?)o["metrics"] ?? []).ToDictionary(p => p.Key, p => Read(p.Value));
        var breakdowns = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>();
        foreach (var (name, table) in (JsonObject?)o["breakdowns"] ?? [])
            breakdowns[name] = ((JsonObject)table!).ToDictionary(r => r.Key,
                r => (IReadOnlyDictionary<string, double>)((JsonObject)r.Value!).ToDictionary(c => c.Key, c => Read(c.Value)));
        return new SuiteResult(suite, (int?)o["items"] ?? 0, (int?)o["errors"] ?? 0, metrics, breakdowns);
    }
}
