// Prints scores the way sacrebleu's command line does: aligned text lines, JSON objects, and the paired-test JSON and table.
using System.Globalization;
using System.Text;
using Pharos.Eval.Metrics.Significance;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Reporting;

public static class SacrebleuOutput
{
    /// <summary>Single-system text: one line per metric, right-aligned on the '=' as sacrebleu's print_single_results.</summary>
    public static string AlignedLines(IReadOnlyList<string> lines)
    {
        if (lines.Count == 1)
            return lines[0];
        var lens = lines.Select(l => l.IndexOf('=') - 1).ToList();
        var w = lens.Max();
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lens[i] < 0)
            {
                sb.Append(lines[i]).Append('\n');
                continue;
            }
            sb.Append(lines[i][..lens[i]].PadLeft(w)).Append(lines[i][lens[i]..]).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>Single-system JSON: one object, or "[\n" + objects joined by ",\n" + "\n]".</summary>
    public static string JsonList(IReadOnlyList<string> objects) =>
        objects.Count == 1 ? objects[0] : "[\n" + string.Join(",\n", objects) + "\n]";

    /// <summary>Paired-test JSON, as sacrebleu prints it (json.dumps(indent=4) of each system's Result fields).</summary>
    public static string PairedJson(PairedTestReport report)
    {
        var sb = new StringBuilder("[\n");
        for (var s = 0; s < report.Systems.Count; s++)
        {
            sb.Append("    {\n        \"system\": ").Append(PythonJson.String(report.Systems[s]));
            foreach (var (name, results) in report.Results)
            {
                var r = results[s];
                sb.Append(",\n        ").Append(PythonJson.String(name)).Append(": {\n");
                sb.Append("            \"score\": ").Append(PythonJson.Number(r.Score)).Append(",\n");
                sb.Append("            \"p_value\": ").Append(PythonJson.Number(r.PValue)).Append(",\n");
                sb.Append("            \"mean\": ").Append(PythonJson.Number(r.Mean)).Append(",\n");
                sb.Append("            \"ci\": ").Append(PythonJson.Number(r.Ci)).Append("\n        }");
            }
            sb.Append("\n    }").Append(s + 1 < report.Systems.Count ? ",\n" : "\n");
        }
        return sb.Append(']').ToString();
    }

    /// <summary>
    /// Paired-test text: a plain aligned table (sacrebleu draws a tabulate "fancy_grid"; the numbers and their
    /// formatting are the same: score (μ ± CI) and "(p = 0.0123)*" when p ≤ 0.05), then the signatures.
    /// </summary>
    public static string PairedTable(PairedTestReport report, int width, bool shortSignatures)
    {
        var header = new List<string> { "System" };
        header.AddRange(report.Results.Keys.Select(k => report.TestType == "bs" ? k + " (μ ± 95% CI)" : k));
        var rows = new List<List<string>>();
        for (var s = 0; s < report.Systems.Count; s++)
        {
            var row = new List<string> { report.Systems[s] };
            foreach (var results in report.Results.Values)
            {
                var r = results[s];
                var cell = PythonFormat.Fixed(r.Score, width);
                if (r.Mean is { } mean)
                    cell += $" ({PythonFormat.Fixed(mean, width)} ± {PythonFormat.Fixed(r.Ci ?? 0, width)})";
                if (r.PValue is { } p)
                    cell += $" (p = {PythonFormat.Fixed(p, 4)})" + (p > 0.05 ? "" : "*");
                row.Add(cell);
            }
            rows.Add(row);
        }
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            sb.Append(string.Join(" | ", cells.Select((x, c) => c == 0 ? x.PadLeft(widths[c]) : x.PadRight(widths[c]))).TrimEnd()).Append('\n');
        Line(header);
        sb.Append(string.Join("-+-", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in rows)
            Line(row);
        var kind = report.TestType == "bs" ? "bootstrap resampling" : "approximate randomization";
        var unit = report.TestType == "bs" ? "resampling trials" : "trials";
        sb.Append('\n').Append($"Paired {kind} test with {report.Samples.ToString(CultureInfo.InvariantCulture)} {unit}; ")
            .Append($"p-values < 0.05 (marked *) reject the null hypothesis that a system and the baseline are the same.\n\n");
        sb.Append("-----------------\nMetric signatures\n-----------------\n");
        foreach (var (name, sig) in report.Signatures)
            sb.Append($" - {name,-10} {sig.Format(shortSignatures)}\n");
        return sb.ToString().TrimEnd('\n');
    }
}
