// The HTML report: headline tables per suite, breakdown tables and PNG bar charts; several runs side by side.
using Pharos.IO;
using System.Globalization;
using System.Net;
using System.Text;
using Pharos.Eval.Benchmarks;

namespace Pharos.Eval.Reports;

public static class HtmlReport
{
    /// <summary>What to plot from each suite: (breakdown, column, title, axis label, y max).</summary>
    static readonly (string Suite, string Breakdown, string Column, string Title, string Axis, double? Max)[] Charts =
    [
        ("translation", "by_pair", "chrF2++", "Translation: chrF++ per language pair", "chrF++", 100),
        ("translation", "by_pair", "BLEU", "Translation: BLEU per language pair", "BLEU", null),
        ("ifmt", "by_pair", "chrF2++", "IF-MT: translation quality (chrF++) per pair", "chrF++", 100),
        ("ifmt", "by_pair", "inst_level_acc", "IF-MT: instruction adherence per pair", "instructions followed", 1),
        ("ifmt", "by_instruction", "pass_rate", "IF-MT: pass rate per instruction type", "pass rate", 1),
        ("ifeval", "by_instruction", "strict", "IFEval: strict pass rate per instruction type", "pass rate", 1),
        ("ifeval", "by_instruction", "loose", "IFEval: loose pass rate per instruction type", "pass rate", 1),
    ];

    /// <summary>Writes <paramref name="htmlPath"/> and its PNGs in "NAME_plots/" beside it; returns the PNG paths.</summary>
    /// <param name="title">the page heading</param>
    /// <param name="preface">an HTML fragment placed before the runs (e.g. the quickstart's stage table and curves)</param>
    public static IReadOnlyList<string> Write(string htmlPath, IReadOnlyList<EvalRun> runs, string title = "Pharos evaluation report", string preface = "")
    {
        var labels = UniqueLabels(runs);
        var dir = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
        var plotDirName = Path.GetFileNameWithoutExtension(htmlPath) + "_plots";
        var plotDir = Path.Combine(dir, plotDirName);
        Directory.CreateDirectory(plotDir);
        var pngs = new List<string>();

        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:0.5em 0 1.5em}")
            .Append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("th{background:#f3f3f3}img{max-width:100%;display:block;margin:0.5em 0 1.5em}.err{color:#b00}</style></head><body>\n")
            .Append($"<h1>{E(title)}</h1>\n").Append(preface).Append("<h2>Runs</h2>\n<table class=\"runs\"><tr><th>run</th><th>backend</th><th>created</th></tr>\n");
        for (int r = 0; r < runs.Count; r++)
            html.Append($"<tr><td>{E(labels[r])}</td><td>{E(runs[r].Backend)}</td><td>{E(runs[r].Created.ToString("u", CultureInfo.InvariantCulture))}</td></tr>\n");
        html.Append("</table>\n");

        var suiteNames = runs.SelectMany(r => r.Suites.Select(s => s.Suite)).Distinct().OrderBy(SuiteOrder).ToList();
        foreach (var suite in suiteNames)
        {
            var results = runs.Select(r => r.Suites.FirstOrDefault(s => s.Suite == suite)).ToList();
            html.Append($"<h2 id=\"{E(suite)}\">{E(suite)}</h2>\n<table class=\"summary\"><tr><th>metric</th>");
            foreach (var l in labels) html.Append($"<th>{E(l)}</th>");
            html.Append("</tr>\n");
            Row(html, "items", results.Select(s => s is null ? null : (double?)s.Items), "0");
            Row(html, "errors", results.Select(s => s is null ? null : (double?)s.Errors), "0", errorRow: true);
            foreach (var metric in results.Where(s => s is not null).SelectMany(s => s!.Metrics.Keys).Distinct())
                Row(html, metric, results.Select(s => s?.Metrics.TryGetValue(metric, out var v) == true ? v : (double?)null), Format(metric));
            html.Append("</table>\n");

            foreach (var chart in Charts.Where(c => c.Suite == suite))
            {
                var categories = Categories(results, chart.Breakdown);
                if (categories.Count == 0) continue;
                var values = results.Select(s => (IReadOnlyList<double?>)categories.Select(c => Cell(s, chart.Breakdown, c, chart.Column)).ToList()).ToList();
                if (values.All(v => v.All(x => x is null))) continue;
                var file = $"{suite}_{chart.Breakdown}_{chart.Column}.png".Replace('+', 'p');
                GroupedBarChart.Save(Path.Combine(plotDir, file), chart.Title, chart.Axis, labels, categories, values, chart.Max);
                pngs.Add(Path.Combine(plotDir, file));
                html.Append($"<img src=\"{E(plotDirName)}/{E(file)}\" alt=\"{E(chart.Title)}\">\n");
            }
            foreach (var breakdown in results.Where(s => s is not null).SelectMany(s => s!.Breakdowns.Keys).Distinct())
                Breakdown(html, suite, breakdown, labels, results);
        }
        html.Append("</body></html>\n");
        AtomicFile.WriteAllText(htmlPath, html.ToString());
        return pngs;
    }

    static void Breakdown(StringBuilder html, string suite, string breakdown, IReadOnlyList<string> labels, IReadOnlyList<SuiteResult?> results)
    {
        var categories = Categories(results, breakdown);
        var columns = results.Where(s => s is not null && s.Breakdowns.ContainsKey(breakdown))
            .SelectMany(s => s!.Breakdowns[breakdown].Values.SelectMany(v => v.Keys)).Distinct().ToList();
        html.Append($"<h3>{E(suite)}: {E(breakdown.Replace('_', ' '))}</h3>\n<table class=\"breakdown\"><tr><th>{E(breakdown.StartsWith("by_", StringComparison.Ordinal) ? breakdown[3..] : breakdown)}</th>");
        foreach (var l in labels)
            foreach (var c in columns) html.Append($"<th>{E(labels.Count > 1 ? $"{l}: {c}" : c)}</th>");
        html.Append("</tr>\n");
        foreach (var category in categories)
        {
            html.Append($"<tr><td>{E(category)}</td>");
            foreach (var s in results)
                foreach (var c in columns)
                    html.Append($"<td>{Show(Cell(s, breakdown, category, c), Format(c))}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    static void Row(StringBuilder html, string name, IEnumerable<double?> values, string format, bool errorRow = false)
    {
        html.Append($"<tr><td>{E(name)}</td>");
        foreach (var v in values)
            html.Append(errorRow && v > 0 ? $"<td class=\"err\">{Show(v, format)}</td>" : $"<td>{Show(v, format)}</td>");
        html.Append("</tr>\n");
    }

    static List<string> Categories(IReadOnlyList<SuiteResult?> results, string breakdown) =>
        results.Where(s => s is not null && s.Breakdowns.ContainsKey(breakdown))
            .SelectMany(s => s!.Breakdowns[breakdown].Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();

    static double? Cell(SuiteResult? s, string breakdown, string row, string column) =>
        s is not null && s.Breakdowns.TryGetValue(breakdown, out var t) && t.TryGetValue(row, out var cols) && cols.TryGetValue(column, out var v) ? v : null;

    // Accuracies and rates are fractions (3 decimals); BLEU/chrF are on 0–100 (2 decimals, as sacrebleu prints); counts are integers.
    static string Format(string metric) =>
        metric is "n" or "items" or "errors" ? "0" : metric.Contains("acc") || metric is "strict" or "loose" or "pass_rate" or "mean_score" or "accuracy" ? "0.000" : "0.00";

    static string Show(double? v, string format) => v is double d && !double.IsNaN(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";

    static int SuiteOrder(string s) => Array.IndexOf(["translation", "ifmt", "ifeval", "math"], s) is var i and >= 0 ? i : 99;

    static List<string> UniqueLabels(IReadOnlyList<EvalRun> runs)
    {
        var labels = new List<string>();
        foreach (var r in runs)
        {
            var label = r.Name;
            for (int k = 2; labels.Contains(label); k++) label = $"{r.Name} ({k})";
            labels.Add(label);
        }
        return labels;
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}
