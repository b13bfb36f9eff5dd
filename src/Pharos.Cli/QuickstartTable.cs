// The quickstart's "what each stage changed" table: per checkpoint (the initial model, then after CPT, SFT, WPO, GRPO)
using Pharos.IO;
// the stage's own eval loss, translation BLEU/chrF, IF-MT and IFEval pass rates, and the stage's training signal
// (WPO: reward accuracy on the pairs; GRPO: mean reward), from the eval runs and each stage's metrics.jsonl.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Eval.Reports;
using Pharos.Models.Loading;
using Pharos.Training;
using Pharos.Training.Logging;
using Spectre.Console;

namespace Pharos.Cli;

internal sealed record QuickstartRow(string Checkpoint, string Stage, double? EvalLossBefore, double? EvalLossAfter,
    double? ChrF, double? Bleu, double? IfMtPrompt, double? IfMtInstruction, double? IfEvalPrompt, double? IfEvalInstruction,
    string Signal, double? SignalStart, double? SignalEnd);

internal static class QuickstartTable
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly string[] Stages = ["init (random)", "CPT", "SFT", "WPO", "GRPO"];
    /// <summary>Steps averaged at each end of a stage for its start → end signal.</summary>
    const int Window = 5;

    /// <param name="runs">eval runs: init, then one per stage</param>
    public static List<QuickstartRow> Rows(IReadOnlyList<EvalRun> runs, IReadOnlyList<StageResult> stages)
    {
        var rows = new List<QuickstartRow>();
        for (int i = 0; i < runs.Count; i++)
        {
            var stage = i == 0 ? null : stages[i - 1];
            var (signal, start, end) = stage is null ? ("", null, null) : Signal(stage);
            rows.Add(new QuickstartRow(runs[i].Name, Stages[Math.Min(i, Stages.Length - 1)], stage?.EvalLossBefore, stage?.Train.EvalLoss,
                Metric(runs[i], "translation", "chrF2"), Metric(runs[i], "translation", "BLEU"),
                Metric(runs[i], "ifmt", "prompt_level_acc"), Metric(runs[i], "ifmt", "inst_level_acc"),
                Metric(runs[i], "ifeval", "prompt_level_strict_acc"), Metric(runs[i], "ifeval", "inst_level_strict_acc"),
                signal, start, end));
        }
        return rows;
    }

    /// <summary>One line per eval run for the console while the quickstart goes.</summary>
    public static string Headline(EvalRun run) =>
        $"{run.Name}: chrF {F(Metric(run, "translation", "chrF2"), "F1")}, BLEU {F(Metric(run, "translation", "BLEU"), "F1")}, " +
        $"IF-MT instructions {F(Metric(run, "ifmt", "inst_level_acc"), "P0")}, IFEval instructions {F(Metric(run, "ifeval", "inst_level_strict_acc"), "P0")}";

    public static Table Render(IReadOnlyList<QuickstartRow> rows)
    {
        var table = new Table().Title("What each stage changed (held-out sets, greedy answers)")
            .AddColumns("after", "eval loss", "chrF", "BLEU", "IF-MT prompt/instr", "IFEval prompt/instr", "training signal (first → last 5 steps)");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Stage),
                r.EvalLossBefore is null && r.EvalLossAfter is null ? "" : $"{F(r.EvalLossBefore, "F3")} → {F(r.EvalLossAfter, "F3")}",
                F(r.ChrF, "F1"), F(r.Bleu, "F1"), $"{F(r.IfMtPrompt, "F2")} / {F(r.IfMtInstruction, "F2")}",
                $"{F(r.IfEvalPrompt, "F2")} / {F(r.IfEvalInstruction, "F2")}",
                r.Signal.Length == 0 ? "" : $"{Markup.Escape(r.Signal)} {F(r.SignalStart, "F3")} → {F(r.SignalEnd, "F3")}");
        return table.Caption("eval loss: each stage's own objective on its held-out rows (cross-entropy for CPT/SFT, the WPO loss for WPO; " +
            "GRPO has none). chrF/BLEU: held-out translation; IF-MT/IFEval: share of prompts / of instructions followed (strict).");
    }

    public static void SaveJson(string path, IReadOnlyList<QuickstartRow> rows, TimeSpan elapsed)
    {
        var list = new JsonArray();
        foreach (var r in rows)
            list.Add(new JsonObject
            {
                ["checkpoint"] = r.Checkpoint, ["eval_loss_before"] = r.EvalLossBefore, ["eval_loss_after"] = r.EvalLossAfter,
                ["translation_chrf"] = r.ChrF, ["translation_bleu"] = r.Bleu,
                ["ifmt_prompt_level_acc"] = r.IfMtPrompt, ["ifmt_inst_level_acc"] = r.IfMtInstruction,
                ["ifeval_prompt_level_strict_acc"] = r.IfEvalPrompt, ["ifeval_inst_level_strict_acc"] = r.IfEvalInstruction,
                ["signal"] = r.Signal.Length == 0 ? null : r.Signal, ["signal_start"] = r.SignalStart, ["signal_end"] = r.SignalEnd,
            });
        var json = new JsonObject { ["elapsed_seconds"] = Math.Round(elapsed.TotalSeconds, 1), ["checkpoints"] = list };
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The stage's own learning signal: reward accuracy for preference stages, mean reward for GRPO, train loss otherwise.</summary>
    static (string Name, double? Start, double? End) Signal(StageResult stage)
    {
        var history = MetricsHistory.Read(stage.Metrics);
        foreach (var (key, name) in new[] { ("train/reward", "mean reward"), ("train/rewards/accuracies", "reward accuracy"), ("train/loss", "train loss") })
            if (history.Series(key).Count > 0)
                return (name, history.Mean(key, Window, fromEnd: false), history.Mean(key, Window, fromEnd: true));
        return ("", null, null);
    }

    static double? Metric(EvalRun run, string suite, string key) =>
        run.Suites.FirstOrDefault(s => s.Suite == suite)?.Metrics.TryGetValue(key, out var v) == true ? v : null;

    internal static string F(double? v, string format) => v is double d ? d.ToString(format, Inv) : "–";
}
