// The quickstart's curation section: per language the documents language ID found and each stage kept, the duplicate
// clusters and what fed CPT, then the drop reasons — as a console table, as summary.json's "curation" object (the same
// summary `pharos curate report` writes, plus the rehydration weights and the curated shards CPT read) and as HTML for
// report.html.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pharos.Curation.Reports;
using Spectre.Console;

namespace Pharos.Cli;

internal static class CurationSection
{
    public static Table Render(CuratedData data)
    {
        var s = data.Summary;
        var stages = s.Stages.Select(x => x.Stage).ToList();
        var table = new Table().Title($"Curation: {s.Records.In} web pages → {s.Records.Kept} kept ({s.Records.Dropped} dropped, {s.Records.Quarantined} quarantined); documents per language")
            .AddColumn("lang").AddColumn("found");
        foreach (var stage in stages)
            table.AddColumn(stage);
        table.AddColumns("dup clusters", "CPT docs");
        foreach (var l in s.Languages)
            table.AddRow([Markup.Escape(l.Language), l.Identified?.ToString(CultureInfo.InvariantCulture) ?? "–",
                .. stages.Select(stage => l.KeptByStage.GetValueOrDefault(stage).ToString(CultureInfo.InvariantCulture)),
                l.DuplicateClusters.ToString(CultureInfo.InvariantCulture), Markup.Escape(FedCpt(data, l.Language))]);
        return table.Caption(Markup.Escape("found: language ID's label; then kept after each stage; CPT docs: with rehydration's copies. Dropped: " + string.Join(", ", s.DropReasons.OrderByDescending(d => d.Documents).Select(d => $"{d.Reason} {d.Documents}"))
            + (s.Records.Quarantined > 0 ? "; quarantined: " + string.Join(", ", s.QuarantinedByCode.Select(q => $"{q.Key} {q.Value}")) : "")));
    }

    public static JsonObject ToJson(CuratedData data, string runFolder) => new()
    {
        ["recipe"] = data.Recipe,
        ["summary"] = JsonNode.Parse(data.Summary.ToJson()),
        ["rehydration"] = new JsonObject
        {
            ["scheme"] = data.Rehydration,
            ["copies_by_cluster_size"] = new JsonObject(data.Weights.Select(w => KeyValuePair.Create(w.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)w.Value))),
        },
        // CPT's monolingual source: these folders with these weights, read through CPT's token shards (cpt/shards).
        ["cpt_source"] = new JsonObject
        {
            ["paths"] = new JsonArray([.. data.LanguageFolders.Select(f => (JsonNode)Path.GetRelativePath(runFolder, f))]),
            ["rehydration"] = data.WeightsFile is null ? null : Path.GetRelativePath(runFolder, data.WeightsFile),
        },
        ["cpt_shards"] = new JsonArray([.. data.Shards.Select(x => (JsonNode)new JsonObject
        {
            ["language"] = x.Language, ["file"] = Path.GetRelativePath(runFolder, x.File), ["documents"] = x.Documents, ["with_copies"] = x.WithCopies,
        })]),
    };

    public static string Html(CuratedData data, string runFolder)
    {
        var html = new StringBuilder("<h2>Curation: raw web pages → CPT's monolingual data</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p><code>pharos curate --recipe {E(data.Recipe)}</code> on the bundled crawl; full report: ")
            .Append(CultureInfo.InvariantCulture, $"<a href=\"{E(Path.GetRelativePath(runFolder, Path.Combine(data.Folder, "report", "index.html")))}\">curation report</a>. ")
            .Append(data.Rehydration == "none" ? "No rehydration." : $"Rehydration ({E(data.Rehydration)}): copies by MinHash cluster size {E(string.Join(", ", data.Weights.Select(w => $"{w.Key}→{w.Value}")))}.")
            .Append(" CPT read the curated shards below as they stand, through its token shards (<code>cpt/shards</code>), each document repeated by its weight.</p>\n");
        html.Append(CurationSummaryHtml.Tables(data.Summary, "fed CPT (documents)", language => FedCpt(data, language)));
        html.Append("<table><tr><th>curated shard CPT read</th><th>language</th><th>documents</th><th>with copies</th></tr>");
        foreach (var s in data.Shards)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Path.GetRelativePath(runFolder, s.File))}</td><td>{E(s.Language)}</td><td>{s.Documents}</td><td>{s.WithCopies}</td></tr>");
        return html.Append("</table>\n").ToString();
    }

    static string FedCpt(CuratedData data, string language) =>
        data.Shards.Any(s => s.Language == language) ? data.DocumentsFor(language).ToString(CultureInfo.InvariantCulture) : "";

    static string E(string s) => WebUtility.HtmlEncode(s);
}
