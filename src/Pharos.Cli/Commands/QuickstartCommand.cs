// `pharos quickstart`: the end-to-end job on the embedded default. Until the trainer lands it exercises the model core:
// load the bundled real checkpoint, save it as a Hugging Face folder, reload it, check it is unchanged, and generate.
using System.CommandLine;
using System.Diagnostics;
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pharos.Cli.Commands;

internal static class QuickstartCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Where to write the run's files.", DefaultValueFactory = _ => Path.Combine("runs", "quickstart") };
        var command = new Command("quickstart", "Run the whole job on the bundled sample model and data (CPU, a few minutes).");
        command.Options.Add(output);
        command.SetAction(parse => Run(parse.GetValue(output)!));
        return command;
    }

    static int Run(string output)
    {
        var sample = Path.Combine(SamplePaths.Root, "models", "stories260K");
        var saved = Path.Combine(output, "model");
        var clock = Stopwatch.StartNew();
        AnsiConsole.MarkupLine($"[bold]Pharos quickstart[/] — sample model [blue]{Markup.Escape(sample)}[/]");

        float[] before;
        using (var model = ModelLoader.Load(sample))
        {
            AnsiConsole.MarkupLine($"1. loaded {model.Config.Architecture}: {model.parameters().Sum(p => p.numel()):N0} parameters, {model.Config.NumLayers} layers");
            before = LastLogits(model);
            ModelSaver.Save(model, saved);
            foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "generation_config.json", "tok512.model", "LICENSE-stories260K.txt" })
                if (File.Exists(Path.Combine(sample, file))) File.Copy(Path.Combine(sample, file), Path.Combine(saved, file), overwrite: true);
            AnsiConsole.MarkupLine($"2. saved as a Hugging Face folder: [blue]{Markup.Escape(saved)}[/]");
        }

        using var reloaded = ModelLoader.Load(saved);
        var after = LastLogits(reloaded);
        bool same = before.SequenceEqual(after);
        AnsiConsole.MarkupLine($"3. reloaded; logits {(same ? "[green]identical[/]" : "[red]differ[/]")} to the original");

        var result = new TokenGenerator(reloaded).Generate([[1]], new GenerationOptions { MaxNewTokens = 60, StopTokenIds = reloaded.Config.EosTokenIds });
        AnsiConsole.MarkupLine($"4. greedy generation from BOS ({result[0].Tokens.Length} tokens): {string.Join(",", result[0].Tokens.Take(20))}…");
        AnsiConsole.MarkupLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
        return same ? 0 : 1;
    }

    static float[] LastLogits(Pharos.Models.Transformer.CausalLM model)
    {
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 1, 403, 407, 261 }).unsqueeze(0);
        using var logits = model.Forward(ids);
        return logits[0, -1].data<float>().ToArray();
    }
}
