// `pharos curate rehydrate --recipe r.yaml`: FineWeb2 rehydration weights per MinHash cluster size, as a weights file or a repeated mix.
using System.CommandLine;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Rehydration;

namespace Pharos.Cli.Commands;

internal static class CurateRehydrateCommand
{
    public static Command Create()
    {
        var recipe = CurateCommand.RecipeOption();
        var outputDir = CurateCommand.OutputDirOption();
        var scheme = new Option<string>("--scheme") { Description = "table (FineWeb2's fixed table) or rates (from this run's filter removal rates per cluster size).", DefaultValueFactory = _ => "rates" };
        scheme.AcceptOnlyFromAmong("table", "rates");
        var max = new Option<int>("--max-copies") { Description = "rates: the most copies a document gets (FineWeb2 used 3 to 10).", DefaultValueFactory = _ => 5 };
        var weights = new Option<string?>("--weights") { Description = "Weights file to write (default: <output>/rehydration.json)." };
        var mix = new Option<string?>("--write-mix") { Description = "Also write the final shards with each document repeated by its weight into this folder." };
        var command = new Command("rehydrate", "Compute rehydration weights (copies per minhash_cluster_size) and optionally write the upsampled training mix.");
        foreach (var o in new Option[] { recipe, outputDir, scheme, max, weights, mix })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var plan = CurationPlan.Create(CurateCommand.LoadRecipe(parse.GetValue(recipe)!, parse.GetValue(outputDir)));
            var w = RehydrationPlan.Weights(plan, parse.GetValue(scheme)!, parse.GetValue(max));
            var path = parse.GetValue(weights) ?? Path.Combine(plan.OutputDir, "rehydration.json");
            RehydrationPlan.WriteWeights(path, w);
            Console.WriteLine($"cluster size → copies: {string.Join(", ", w.Take(12).Select(p => $"{p.Key}→{p.Value}"))}{(w.Count > 12 ? ", …" : "")}; wrote {path}");
            if (parse.GetValue(mix) is { } dir)
                Console.WriteLine($"wrote {RehydrationPlan.WriteMix(plan, w, dir, plan.Recipe.Output.Format)} documents to {dir}");
            return 0;
        });
        return command;
    }
}
