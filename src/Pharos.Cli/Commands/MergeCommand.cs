// `pharos merge --model DIR --adapter DIR --output DIR`: folds a PEFT LoRA adapter into the base weights, as an HF folder.
using System.CommandLine;
using Pharos.Models;
using Pharos.Models.Loading;
using Pharos.Training.Adapters;
using Pharos.Training.Tokenizer;

namespace Pharos.Cli.Commands;

internal static class MergeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Base model (Hugging Face folder).", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors).", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for the merged model.", Required = true };
        var dtype = CommonOptions.DType();
        var command = new Command("merge", "Merge a LoRA adapter (PEFT format) into its base model and save a Hugging Face folder.");
        foreach (var o in new Option[] { model, adapter, output, dtype }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var baseFolder = parse.GetValue(model)!;
            using var m = ModelLoader.Load(baseFolder, TorchSharp.torch.CPU, DTypes.Parse(parse.GetValue(dtype)!));
            int merged = PeftFormat.Merge(m, parse.GetValue(adapter)!);
            var outFolder = parse.GetValue(output)!;
            ModelSaver.Save(m, outFolder);
            TokenizerLoader.CopyFiles(baseFolder, outFolder);
            Console.WriteLine($"merged {merged} LoRA modules into {outFolder}");
            return 0;
        });
        return command;
    }
}
