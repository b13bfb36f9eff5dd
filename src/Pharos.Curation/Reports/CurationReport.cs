// The HTML report of a curation run: per-language kept/dropped, drop reasons per step, LID score distributions, MinHash cluster sizes.
using Pharos.IO;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;

namespace Pharos.Curation.Reports;

public static class CurationReport
{
    /// <summary>Writes index.html and its PNGs into <paramref name="dir"/>; returns the index path.</summary>
    public static string Write(CurationPlan plan, string dir)
    {
        Directory.CreateDirectory(dir);
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Pharos curation report</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Curation report</h1><p>{WebUtility.HtmlEncode(plan.OutputDir)} — {plan.Inputs.Count} input files, {plan.Stages.Count} stages</p>");

        var stageStats = plan.Stages.Where(s => s.Kind is StageKind.Process or StageKind.DedupFilter)
            .Select(s => (Stage: s, Stats: StageStatsMerger.Merge(s))).Where(x => x.Stats is not null).ToList();
        html.Append("<h2>Stages</h2><table><tr><th>stage</th><th>in</th><th>kept</th><th>dropped</th><th>quarantined</th><th>balanced</th><th>seconds</th></tr>");
        foreach (var (stage, st) in stageStats)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{stage.Id}</td><td>{st!.In}</td><td>{st.Kept}</td><td>{st.Dropped}</td><td>{st.Quarantined}</td><td>{st.Balanced}</td><td>{st.Seconds:0.0}</td></tr>");
        html.Append("</table>");

        if (stageStats.Count > 0)
        {
            var final = stageStats[^1].Stats!;
            var first = stageStats[0].Stats!;
            var langs = final.KeptByLanguage.OrderByDescending(p => p.Value).Take(30).ToList();
            html.Append("<h2>Kept documents per language (final stage)</h2>");
            html.Append(Img(Plots.Bars(Path.Combine(dir, "kept_by_language.png"), "kept documents", langs.Select(p => p.Key).ToArray(), langs.Select(p => (double)p.Value).ToArray())));
            html.Append("<table><tr><th>language</th><th>after first stage</th><th>final</th></tr>");
            foreach (var (lang, kept) in langs)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{lang}</td><td>{first.KeptByLanguage.GetValueOrDefault(lang)}</td><td>{kept}</td></tr>");
            html.Append("</table>");

            var reasons = stageStats.SelectMany(x => x.Stats!.Steps.SelectMany(s => s.DroppedByReason.Select(r => (Key: $"{s.Name}: {r.Key}", r.Value))))
                .GroupBy(r => r.Key).Select(g => (g.Key, Value: g.Sum(r => r.Value))).OrderByDescending(r => r.Value).Take(30).ToList();
            html.Append("<h2>Drop reasons</h2>");
            if (reasons.Count > 0)
                html.Append(Img(Plots.Bars(Path.Combine(dir, "drop_reasons.png"), "dropped documents", reasons.Select(r => r.Key).ToArray(), reasons.Select(r => (double)r.Value).ToArray())));
            html.Append("<table><tr><th>step: reason</th><th>documents</th></tr>");
            foreach (var (key, value) in reasons)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(key)}</td><td>{value}</td></tr>");
            html.Append("</table>");
        }

        var scores = LidScores(plan);
        if (scores.Count > 0)
        {
            html.Append("<h2>Language-ID confidence</h2>");
            foreach (var (lang, values) in scores.OrderByDescending(p => p.Value.Count).Take(8))
                html.Append(Img(Plots.Histogram(Path.Combine(dir, $"lid_{lang}.png"), $"{lang}: language_score ({values.Count} docs)", values, 0, 1, 20)));
        }

        foreach (var stage in plan.Stages.Where(s => s.Kind == StageKind.Clusters))
        {
            var path = Path.Combine(stage.StageDir, "stats.clusters.json");
            if (!File.Exists(path) || TaskStats.Read(path).Extra?.GetValueOrDefault("cluster_size_histogram") is not { ValueKind: JsonValueKind.Object } h)
                continue;
            var merged = new SortedDictionary<int, long>();
            foreach (var (_, hist) in h.Deserialize<Dictionary<string, SortedDictionary<int, long>>>()!)
                foreach (var (size, count) in hist)
                    merged[size] = merged.GetValueOrDefault(size) + count;
            html.Append(CultureInfo.InvariantCulture, $"<h2>MinHash cluster sizes ({stage.Name})</h2>");
            html.Append(Img(Plots.Bars(Path.Combine(dir, $"clusters_{stage.Name}.png"), "clusters (log10 count+1)",
                merged.Keys.Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray(), merged.Values.Select(v => Math.Log10(v + 1)).ToArray())));
        }
        html.Append("</body></html>");
        var index = Path.Combine(dir, "index.html");
        AtomicFile.WriteAllText(index, html.ToString());
        return index;
    }

    static string Img(string path) => $"<p><img src=\"{WebUtility.HtmlEncode(Path.GetFileName(path))}\" width=\"900\"></p>";

    // language_score of documents after the first stage with language ID, kept and rejected, sampled up to 20k per language.
    static Dictionary<string, List<double>> LidScores(CurationPlan plan)
    {
        var result = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var stage = plan.Stages.FirstOrDefault(s => s.Kind == StageKind.Process);
        if (stage is null || !Directory.Exists(stage.StageDir))
            return result;
        var quarantine = new Quarantine();
        var files = Directory.EnumerateFiles(stage.StageDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("_pharos", StringComparison.Ordinal) && !f.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal));
        foreach (var file in files)
            foreach (var doc in ReaderFactory.For(file, "auto", new ReaderOptions()).Read(file, quarantine))
                if (doc.GetDouble(MetadataKeys.LanguageScore) is { } s && doc.Language is { } l)
                {
                    var list = result.TryGetValue(l, out var x) ? x : result[l] = [];
                    if (list.Count < 20_000)
                        list.Add(s);
                }
        return result;
    }
}
