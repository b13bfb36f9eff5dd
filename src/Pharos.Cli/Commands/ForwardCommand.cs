// `pharos forward DIR --input-ids 1,2,3`: one forward pass, logits written as float32 safetensors for parity checks.
using System.CommandLine;
using Pharos.Models;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Training.Adapters;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pharos.Cli.Commands;

internal static class ForwardCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("model") { Description = "Hugging Face model folder." };
        var ids = new Option<string>("--input-ids") { Description = "Comma-separated token ids, e.g. 1,2,3.", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write logits [1, T, vocab] (float32) and input_ids to this safetensors file." };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA/DoRA adapter folder to apply (unmerged), as PeftModel.from_pretrained would." };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var command = new Command("forward", "Run one forward pass and print (or save) the logits, for comparing with other implementations.");
        command.Arguments.Add(folder);
        command.Options.Add(ids);
        command.Options.Add(output);
        command.Options.Add(adapter);
        command.Options.Add(device);
        command.Options.Add(dtype);
        command.SetAction(parse =>
        {
            var tokens = TokenIds.Parse(parse.GetValue(ids)!, "--input-ids");
            using var model = ModelLoader.Load(parse.GetValue(folder)!, DTypes.ParseDevice(parse.GetValue(device)!), DTypes.Parse(parse.GetValue(dtype)!));
            TokenIds.CheckInVocab(tokens, model.Config.VocabSize, "--input-ids");
            if (parse.GetValue(adapter) is { } adapterFolder) PeftFormat.Load(model, adapterFolder);
            model.eval();
            using var noGrad = no_grad();
            using var input = tensor(tokens.Select(t => (long)t).ToArray(), int64, model.Device).unsqueeze(0);
            using var logits = model.Forward(input).to(float32).cpu();
            var path = parse.GetValue(output);
            if (path is not null)
            {
                using var cpuIds = input.cpu();
                SafetensorsWriter.Write(path, [new("input_ids", cpuIds), new("logits", logits)]);
            }
            using var last = logits[0, -1];
            var (values, indices) = last.topk(5);
            var top = indices.data<long>().ToArray().Zip(values.data<float>().ToArray(), (i, v) => $"{i} ({v:0.0000})");
            AnsiConsole.MarkupLine($"logits [[1, {tokens.Length}, {model.Config.VocabSize}]]; top-5 next tokens: {Markup.Escape(string.Join(", ", top))}");
            if (path is not null) AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
            return 0;
        });
        return command;
    }
}
