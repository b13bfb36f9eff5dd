// `pharos export gguf MODEL_DIR -o model.gguf [--type f32|f16|bf16|q8_0]`: a Hugging Face folder (Llama, Qwen2, Gemma2)
// as one GGUF file with its tokenizer and chat template, for llama.cpp, Ollama and LM Studio.
using System.CommandLine;
using Pharos.Models.Gguf;

namespace Pharos.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("model") { Description = "Hugging Face model folder (config.json, safetensors, tokenizer.json)." };
        var output = new Option<string>("--output", "-o") { Description = "The .gguf file to write.", Required = true };
        var type = new Option<string>("--type") { Description = "Weight type: f32, f16, bf16 or q8_0 (norms and biases stay f32; q8_0 rows that are not a multiple of 32 fall back to f16).", DefaultValueFactory = _ => "f16" };
        var vocabOnly = new Option<bool>("--vocab-only") { Description = "Write only the metadata and tokenizer (no weights), as convert_hf_to_gguf.py --vocab-only does." };
        var gguf = new Command("gguf", "Export a model folder as a GGUF file (llama.cpp, Ollama, LM Studio).");
        gguf.Arguments.Add(folder);
        foreach (var o in new Option[] { output, type, vocabOnly }) gguf.Options.Add(o);
        gguf.SetAction(parse =>
        {
            var result = GgufExporter.Export(parse.GetValue(folder)!, parse.GetValue(output)!, GgufOutputType.Parse(parse.GetValue(type)!), parse.GetValue(vocabOnly));
            Console.WriteLine($"wrote {parse.GetValue(output)}: {result.Architecture}, {result.Tensors} tensors, {result.Bytes:N0} bytes");
            if (result.FallbackTensors.Count > 0)
                Console.WriteLine($"f16 instead of q8_0 (rows not a multiple of 32): {string.Join(", ", result.FallbackTensors)}");
            return 0;
        });
        var command = new Command("export", "Export a model to another format.");
        command.Subcommands.Add(gguf);
        return command;
    }
}
