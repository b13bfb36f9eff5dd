// Loads the sacrebleu fixtures (texts and expected values written by Fixtures/sacrebleu/make_fixtures.py).
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Eval.Metrics;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Metrics;

internal static class SacrebleuFixtures
{
    public static string Dir => RepoPaths.Fixtures("Pharos.Eval.Tests", "sacrebleu");

    static readonly Dictionary<string, JsonObject> Cache = [];

    public static JsonObject Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var node))
                Cache[name] = node = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, name)))!.AsObject();
            return node;
        }
    }

    /// <summary>Lines split on '\n' only, as Python reads them with newline="\n"; a leading BOM is kept as U+FEFF like Python's utf-8 codec does.</summary>
    public static string[] Lines(string file)
    {
        var text = new System.Text.UTF8Encoding(false, true).GetString(File.ReadAllBytes(Path.Combine(Dir, file)));
        if (text.EndsWith('\n'))
            text = text[..^1];
        return text.Split('\n');
    }

    public static (string[] Hyp, string[][] Refs) Dataset(string name)
    {
        var ds = Load("corpus.json")["datasets"]![name]!;
        var refs = ds["refs"]!.AsArray().Select(r => Lines(r!.GetValue<string>())).ToArray();
        return (Lines(ds["hyp"]!.GetValue<string>()), refs);
    }

    public static Metric CreateMetric(string kind, JsonObject args)
    {
        bool B(string k) => args[k]?.GetValue<bool>() ?? false;
        int I(string k, int d) => args[k]?.GetValue<int>() ?? d;
        return kind switch
        {
            "bleu" => new Bleu(
                tokenize: args["tokenize"]!.GetValue<string>(),
                smoothMethod: args["smooth_method"]!.GetValue<string>(),
                smoothValue: args["smooth_value"]?.GetValue<double>(),
                lowercase: B("lowercase"),
                effectiveOrder: B("effective_order")),
            "chrf" => new ChrF(charOrder: I("char_order", 6), wordOrder: I("word_order", 0), beta: I("beta", 2),
                lowercase: B("lowercase"), whitespace: B("whitespace"), epsSmoothing: B("eps_smoothing")),
            "ter" => new Ter(normalized: B("normalized"), noPunct: B("no_punct"), asianSupport: B("asian_support"), caseSensitive: B("case_sensitive")),
            _ => throw new ArgumentException(kind),
        };
    }

    public static string Describe(JsonNode c) => $"{c["dataset"]} nrefs={c["nrefs"]} {c["metric"]} {c["args"]!.ToJsonString()}";

    /// <summary>Scores (float64 on both sides) agree to 1e-9, relative for large values.</summary>
    public static bool Close(double expected, double actual) => AllClose.Within(expected, actual, rtol: 1e-9, atol: 1e-9);
}
