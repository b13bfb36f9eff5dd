// HTML tables of a CurationSummary: the record balance, documents per language through the stages with their duplicate
// clusters, drop reasons and quarantine codes. `pharos curate report` and the quickstart's report both show these.
using System.Globalization;
using System.Net;
using System.Text;

namespace Pharos.Curation.Reports;

public static class CurationSummaryHtml
{
    /// <param name="languageNote">An extra column per language (e.g. which curated shards fed a training run), or null.</param>
    public static string Tables(CurationSummary summary, string? noteHeader = null, Func<string, string>? languageNote = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var r = summary.Records;
        var html = new StringBuilder();
        html.Append(inv, $"<p>{summary.Inputs.Count} input files, {r.In} records: {r.Kept} kept, {r.Dropped} dropped, {r.Quarantined} quarantined ")
            .Append(r.In == r.Kept + r.Dropped + r.Quarantined ? "(every record accounted for).</p>" : "<b>(the counts do not add up)</b>.</p>");

        var stages = summary.Stages.Select(s => s.Stage).ToList();
        html.Append("<table><tr><th>language</th><th>identified</th>");
        foreach (var s in stages)
            html.Append(inv, $"<th>after {E(s)}</th>");
        html.Append("<th>duplicate clusters</th><th>duplicates removed</th>");
        if (languageNote is not null)
            html.Append(inv, $"<th>{E(noteHeader ?? "")}</th>");
        html.Append("</tr>");
        foreach (var l in summary.Languages)
        {
            html.Append(inv, $"<tr><td>{E(l.Language)}</td><td>{(l.Identified is long n ? n.ToString(inv) : "–")}</td>");
            foreach (var s in stages)
                html.Append(inv, $"<td>{l.KeptByStage.GetValueOrDefault(s)}</td>");
            html.Append(inv, $"<td>{l.DuplicateClusters}</td><td>{l.DuplicatesRemoved}</td>");
            if (languageNote is not null)
                html.Append(inv, $"<td>{E(languageNote(l.Language))}</td>");
            html.Append("</tr>");
        }
        html.Append("</table>");

        html.Append("<table><tr><th>stage</th><th>step</th><th>drop reason</th><th>documents</th></tr>");
        foreach (var d in summary.DropReasons.OrderByDescending(d => d.Documents))
            html.Append(inv, $"<tr><td>{E(d.Stage)}</td><td>{E(d.Step)}</td><td>{E(d.Reason)}</td><td>{d.Documents}</td></tr>");
        foreach (var (code, n) in summary.QuarantinedByCode)
            html.Append(inv, $"<tr><td>(reader)</td><td>quarantine</td><td>{E(code)}</td><td>{n}</td></tr>");
        html.Append("</table>");
        return html.ToString();
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}
