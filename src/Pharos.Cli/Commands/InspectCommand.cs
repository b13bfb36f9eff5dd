// `pharos inspect DIR`: what a model folder holds (family, sizes, dtype) and whether its weights fit the architecture.
using System.CommandLine;
using Pharos.Models.Config;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pharos.Cli.Commands;

internal static class InspectCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("model") { Description = "Hugging Face model folder (config.json + *.safetensors)." };
        var command = new Command("inspect", "Show a model folder's family, size, dtype, layers, heads, vocabulary and context length, and check every weight's name and shape.");
        command.Arguments.Add(folder);
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(folder)!;
            var config = ConfigReader.ReadFolder(dir);
            using var checkpoint = ModelLoader.OpenCheckpoint(dir);
            // The architecture is built on the meta device: names and shapes without memory, whatever the model's size.
            using var model = new CausalLM(config, float32, META);
            var report = ModelLoader.Check(model, checkpoint);
            long parameters = model.parameters().Sum(p => p.numel());
            var dtypes = checkpoint.Names.Select(n => checkpoint.Info(n).DType.ToString()).Distinct().Order();

            var table = new Table().HideHeaders().AddColumns("", "");
            void Row(string k, object v) => table.AddRow(Markup.Escape(k), Markup.Escape(v.ToString() ?? ""));
            Row("family", $"{config.Family.ModelType} ({config.Architecture})");
            Row("parameters", $"{parameters:N0} ({Human(parameters)})");
            Row("checkpoint dtype", string.Join(", ", dtypes) + (config.TorchDType is null ? "" : $" (config: {config.TorchDType})"));
            Row("layers", config.NumLayers);
            Row("hidden / intermediate", $"{config.HiddenSize} / {config.IntermediateSize}");
            Row("heads (query / key-value)", $"{config.NumHeads} / {config.NumKvHeads}, head dim {config.HeadDim}");
            Row("vocabulary", config.VocabSize);
            Row("context length", config.MaxPositionEmbeddings);
            Row("rope", $"theta {config.RopeTheta}" + (config.RopeScaling is { } s ? $", {s.Type} scaling ×{s.Factor}" : ""));
            Row("tied embeddings", config.TieWordEmbeddings);
            if (config.SlidingLayers.Any(x => x))
                Row("sliding window", $"{config.SlidingWindow} on layers {string.Join(",", config.SlidingLayers.Select((x, i) => x ? i : -1).Where(i => i >= 0))}");
            Row("weights", report.Describe());
            AnsiConsole.Write(table);
            return report.IsComplete ? 0 : 1;
        });
        return command;
    }

    static string Human(long n) => n switch
    {
        >= 1_000_000_000 => $"{n / 1e9:0.##}B",
        >= 1_000_000 => $"{n / 1e6:0.##}M",
        >= 1_000 => $"{n / 1e3:0.##}K",
        _ => n.ToString(),
    };
}
