// `pharos curate report --recipe r.yaml`: an HTML page with per-language counts, drop reasons, LID scores and cluster sizes (PNG plots), summary.json, and the totals on the console.
using System.CommandLine;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Reports;

namespace Pharos.Cli.Commands;

internal static class CurateReportCommand
{
    public static Command Create()
    {
        var recipe = CurateCommand.RecipeOption();
        var outputDir = CurateCommand.OutputDirOption();
        var output = new Option<string?>("--output", "-o") { Description = "Report folder (default: <output dir>/report)." };
        var command = new Command("report", "Render an HTML report of a curation run: kept/dropped per language, drop reasons, LID score distributions, MinHash cluster sizes.");
        command.Options.Add(recipe);
        command.Options.Add(outputDir);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var plan = CurationPlan.Create(CurateCommand.LoadRecipe(parse.GetValue(recipe)!, parse.GetValue(outputDir)));
            var dir = parse.GetValue(output) ?? Path.Combine(plan.OutputDir, "report");
            var index = CurationReport.Write(plan, dir);
            var summary = CurationSummary.From(plan);
            var r = summary.Records;
            Console.WriteLine($"{r.In} records: {r.Kept} kept, {r.Dropped} dropped, {r.Quarantined} quarantined ({string.Join(", ", summary.QuarantinedByCode.Select(q => $"{q.Key} {q.Value}"))})");
            Console.WriteLine("kept per language: " + string.Join(", ", summary.Languages.Where(l => l.Kept > 0).Select(l => $"{l.Language} {l.Kept}")));
            Console.WriteLine("top drop reasons: " + string.Join(", ", summary.DropReasons.OrderByDescending(d => d.Documents).Take(5).Select(d => $"{d.Reason} {d.Documents}")));
            Console.WriteLine($"wrote {index} and summary.json");
            return 0;
        });
        return command;
    }
}
