// results.json of one `pharos eval` run: what was evaluated (backend, settings, data) and each suite's aggregate results.
using Pharos.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Errors;

namespace Pharos.Eval.Reports;

public sealed record EvalRun(string Name, string Backend, DateTimeOffset Created, IReadOnlyDictionary<string, string> Data,
    IReadOnlyList<SuiteResult> Suites)
{
    public const int FormatVersion = 1;

    public JsonObject ToJson()
    {
        var suites = new JsonObject();
        foreach (var s in Suites) suites[s.Suite] = s.ToJson();
        var data = new JsonObject();
        foreach (var (k, v) in Data) data[k] = v;
        return new JsonObject
        {
            ["format"] = "pharos-eval", ["version"] = FormatVersion, ["name"] = Name, ["backend"] = Backend,
            ["created"] = Created.ToString("O"), ["data"] = data, ["suites"] = suites,
        };
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

    public static EvalRun Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: file not found");
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (o is null || (string?)o["format"] != "pharos-eval") throw new InvalidInputException($"{path}: not a pharos eval results.json");
            var suites = ((JsonObject?)o["suites"] ?? []).Select(p => SuiteResult.FromJson(p.Key, (JsonObject)p.Value!)).ToList();
            var data = ((JsonObject?)o["data"] ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "");
            return new EvalRun((string?)o["name"] ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path,
                (string?)o["backend"] ?? "", DateTimeOffset.Parse((string?)o["created"] ?? "2000-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
                data, suites);
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or InvalidOperationException or FormatException)
        {
            throw new InvalidInputException($"{path}: unreadable results file: {e.Message}");
        }
    }
}
