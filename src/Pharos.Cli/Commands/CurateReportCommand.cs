// `pharos curate report --recipe r.yaml`: an HTML page with per-language counts, drop reasons, LID scores and cluster sizes (PNG plots).
using System.CommandLine;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Reports;

namespace Pharos.Cli.Commands;

internal static class CurateReportCommand
{
    public static Command Create()
    {
        var recipe = CurateCommand.RecipeOption();
        var output = new Option<string?>("--output", "-o") { Description = "Report folder (default: <output dir>/report)." };
        var command = new Command("report", "Render an HTML report of a curation run: kept/dropped per language, drop reasons, LID score distributions, MinHash cluster sizes.");
        command.Options.Add(recipe);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var plan = CurationPlan.Create(CurationRecipe.Load(parse.GetValue(recipe)!));
            var dir = parse.GetValue(output) ?? Path.Combine(plan.OutputDir, "report");
            var index = CurationReport.Write(plan, dir);
            Console.WriteLine($"wrote {index}");
            return 0;
        });
        return command;
    }
}
