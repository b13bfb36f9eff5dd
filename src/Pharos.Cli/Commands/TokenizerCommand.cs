// `pharos tokenizer train --input FILE… --output DIR --vocab-size N`: trains a byte-level BPE tokenizer on text or JSONL
// (text fields and message contents) and writes tokenizer.json + tokenizer_config.json (ChatML template).
using System.CommandLine;
using System.Text.Json.Nodes;
using Pharos.Training.Datasets;
using Pharos.Training.Tokenizer;

namespace Pharos.Cli.Commands;

internal static class TokenizerCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Description = "Corpus files: .txt (one text per line) or JSONL (.gz/.zst) with text, messages or prompt/completion.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output") { Description = "Folder for tokenizer.json and tokenizer_config.json.", Required = true };
        var vocab = new Option<int>("--vocab-size") { Description = "Total vocabulary including specials and the 256 byte symbols.", DefaultValueFactory = _ => 8192 };
        var minFreq = new Option<int>("--min-frequency") { Description = "Pairs seen fewer times are not merged.", DefaultValueFactory = _ => 2 };
        var train = new Command("train", "Train a byte-level BPE tokenizer (Hugging Face tokenizer.json).");
        foreach (var o in new Option[] { input, output, vocab, minFreq }) train.Options.Add(o);
        train.SetAction(parse =>
        {
            var files = parse.GetValue(input)!;
            var trainer = new BpeTrainer(parse.GetValue(vocab), TokenizerFiles.DefaultSpecials, parse.GetValue(minFreq));
            var result = trainer.Train(Texts(files));
            TokenizerFiles.Write(result, parse.GetValue(output)!);
            Console.WriteLine($"trained {result.Size} tokens ({result.Merges.Count} merges) → {parse.GetValue(output)}/tokenizer.json");
            return 0;
        });
        var command = new Command("tokenizer", "Tokenizer tools.");
        command.Subcommands.Add(train);
        return command;
    }

    /// <summary>Every text in the corpus files: lines of .txt; text, prompt, completion and message contents of JSONL.</summary>
    public static IEnumerable<string> Texts(IEnumerable<string> files)
    {
        using var bad = new BadRecords();
        foreach (var file in files)
        {
            if (file.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var line in File.ReadLines(file)) yield return line;
                continue;
            }
            foreach (var record in RecordReader.Read(file, bad))
                foreach (var text in Strings(record.Json)) yield return text;
        }
    }

    static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        JsonObject o => o.Where(kv => kv.Key is "text" or "prompt" or "completion" or "messages" or "content").SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        _ => [],
    };
}
