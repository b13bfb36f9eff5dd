// The quickstart's HTML report: the curation section, the stage table, the scores after each stage and each stage's training curves as PNGs,
// then every eval run side by side (the same report `pharos eval report` writes, per suite and per breakdown).
using System.Net;
using System.Text;
using Pharos.Eval.Reports;
using Pharos.Training;
using Pharos.Training.Logging;

namespace Pharos.Cli;

internal static class QuickstartReport
{
    /// <param name="curationHtml">the curation section (CurationSection.Html), shown first</param>
    public static void Write(string htmlPath, IReadOnlyList<QuickstartRow> rows, IReadOnlyList<EvalRun> runs, IReadOnlyList<StageResult> stages, string curationHtml)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
        var plots = "quickstart_plots";
        Directory.CreateDirectory(Path.Combine(folder, plots));
        var html = new StringBuilder(curationHtml).Append("<h2>Stages</h2>\n<table><tr><th>after</th><th>eval loss before → after</th><th>chrF</th><th>BLEU</th>")
            .Append("<th>IF-MT prompt</th><th>IF-MT instructions</th><th>IFEval prompt (strict)</th><th>IFEval instructions (strict)</th><th>training signal</th></tr>\n");
        foreach (var r in rows)
            html.Append($"<tr><td>{E(r.Stage)}</td><td>{(r.EvalLossAfter is null ? "" : $"{F(r.EvalLossBefore, "F3")} → {F(r.EvalLossAfter, "F3")}")}</td>")
                .Append($"<td>{F(r.ChrF, "F2")}</td><td>{F(r.Bleu, "F2")}</td><td>{F(r.IfMtPrompt, "F3")}</td><td>{F(r.IfMtInstruction, "F3")}</td>")
                .Append($"<td>{F(r.IfEvalPrompt, "F3")}</td><td>{F(r.IfEvalInstruction, "F3")}</td>")
                .Append($"<td>{(r.Signal.Length == 0 ? "" : $"{E(r.Signal)} {F(r.SignalStart, "F3")} → {F(r.SignalEnd, "F3")}")}</td></tr>\n");
        html.Append("</table>\n<p>eval loss: each stage's own objective on its held-out rows (cross-entropy for CPT and SFT, the WPO loss ")
            .Append("for WPO; GRPO has none). Translation, IF-MT and IFEval are the suites below, run on every checkpoint with greedy answers.</p>\n");

        void Chart(string file, string title, string x, string y, IReadOnlyList<LineSeries> series, IReadOnlyList<string>? ticks = null)
        {
            if (series.All(s => s.X.Count == 0)) return;
            LineChart.Save(Path.Combine(folder, plots, file), title, x, y, series, ticks);
            html.Append($"<img src=\"{plots}/{file}\" alt=\"{E(title)}\">\n");
        }
        var names = rows.Select(r => r.Checkpoint).ToList();
        LineSeries ByStage(string name, Func<QuickstartRow, double?> value, double scale = 1)
        {
            var points = rows.Select((r, i) => (i, v: value(r))).Where(p => p.v is not null).ToList();
            return new LineSeries(name, points.Select(p => (double)p.i).ToList(), points.Select(p => p.v!.Value * scale).ToList());
        }
        Chart("scores_by_stage.png", "Held-out scores after each stage", "checkpoint", "score (0–100)",
            [ByStage("chrF", r => r.ChrF), ByStage("BLEU", r => r.Bleu), ByStage("IF-MT instructions followed (%)", r => r.IfMtInstruction, 100),
             ByStage("IFEval instructions followed, strict (%)", r => r.IfEvalInstruction, 100)], names);

        var histories = stages.Select(s => MetricsHistory.Read(s.Metrics)).ToList();
        LineSeries Curve(int stage, string key, string name)
        {
            var series = histories[stage].Series(key);
            return new LineSeries(name, series.Select(p => (double)p.Step).ToList(), series.Select(p => p.Value).ToList());
        }
        Chart("loss_cpt_sft.png", "Training loss: CPT and SFT", "step of the stage", "loss",
            [Curve(0, "train/loss", "CPT train"), Curve(0, "eval/loss", "CPT eval"), Curve(1, "train/loss", "SFT train"), Curve(1, "eval/loss", "SFT eval")]);
        Chart("wpo.png", "WPO on the sampled pairs", "step", "value",
            [Curve(2, "train/rewards/accuracies", "reward accuracy"), Curve(2, "train/rewards/margins", "reward margin"), Curve(2, "train/wpo/weight", "mean WPO weight")]);
        Chart("grpo.png", "GRPO: reward of the sampled completions", "step", "reward",
            [Curve(3, "train/reward", "total reward"), .. RewardCurves(histories[3])]);
        HtmlReport.Write(htmlPath, runs, "Pharos quickstart", html.ToString());
    }

    /// <summary>One curve per reward function GRPO logged (train/rewards/NAME/mean).</summary>
    static IEnumerable<LineSeries> RewardCurves(MetricsHistory history) =>
        history.Keys.Where(k => k.StartsWith("train/rewards/", StringComparison.Ordinal) && k.EndsWith("/mean", StringComparison.Ordinal))
            .Select(k => new LineSeries(k["train/rewards/".Length..^"/mean".Length], history.Series(k).Select(p => (double)p.Step).ToList(), history.Series(k).Select(p => p.Value).ToList()));

    static string F(double? v, string format) => QuickstartTable.F(v, format);

    static string E(string s) => WebUtility.HtmlEncode(s);
}
