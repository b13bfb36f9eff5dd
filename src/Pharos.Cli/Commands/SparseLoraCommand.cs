// `pharos sparselora prepare --model DIR`: computes SparseLoRA's SVD estimators up front (with a progress bar) and caches them
// next to the model, so the first training run does not pay for them.
using System.CommandLine;
using System.Diagnostics;
using Pharos.Models;
using Pharos.Models.Loading;
using Pharos.Training.Adapters.SparseLora;
using Spectre.Console;

namespace Pharos.Cli.Commands;

internal static class SparseLoraCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder; the cache is written into it.", Required = true };
        var rank = new Option<int>("--rank") { Description = "Rank of each weight's SVD estimator.", DefaultValueFactory = _ => 8 };
        var dtype = CommonOptions.DType();
        var prepare = new Command("prepare", $"Compute and cache the SVD estimators ({EstimatorCache.FileName}) for q/k/v/gate/up of every layer.");
        foreach (var o in new Option[] { model, rank, dtype }) prepare.Options.Add(o);
        prepare.SetAction(parse =>
        {
            var folder = parse.GetValue(model)!;
            int r = parse.GetValue(rank);
            if (r <= 0) throw new Pharos.Models.Errors.PharosException($"--rank must be positive (got {r})");
            using var m = ModelLoader.Load(folder, TorchSharp.torch.CPU, DTypes.Parse(parse.GetValue(dtype)!));
            var clock = Stopwatch.StartNew();
            var lines = new List<string>();
            AnsiConsole.Progress().Start(ctx =>
            {
                var task = ctx.AddTask("SVD estimators", maxValue: EstimatorCache.Targets(m).Count);
                foreach (var f in EstimatorCache.LoadOrCompute(m, folder, r, (done, _) => task.Value = done, lines.Add).Values)
                {
                    f.A.Dispose();
                    f.B.Dispose();
                }
                task.Value = task.MaxValue;
            });
            foreach (var line in lines) AnsiConsole.MarkupLine(Markup.Escape(line));
            AnsiConsole.MarkupLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        });
        var command = new Command("sparselora", "SparseLoRA tools (train with `adapter: sparselora` in a recipe).");
        command.Subcommands.Add(prepare);
        return command;
    }
}
