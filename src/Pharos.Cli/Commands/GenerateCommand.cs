// `pharos generate DIR --prompt-ids …`: batched decoding with the KV cache; greedy by default, sampling when --temperature > 0.
using System.CommandLine;
using Pharos.Models;
using Pharos.Models.Generation;
using Pharos.Models.Loading;

namespace Pharos.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("model") { Description = "Hugging Face model folder." };
        var prompts = new Option<string[]>("--prompt-ids") { Description = "Prompt token ids (e.g. 1,2,3); repeat the option for a batch.", Required = true, AllowMultipleArgumentsPerToken = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate per prompt.", DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; > 0 samples.", DefaultValueFactory = _ => 0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass (1 = off).", DefaultValueFactory = _ => 1.0 };
        var penalty = new Option<double>("--repetition-penalty") { Description = "> 1 discourages repeating tokens already in the sequence.", DefaultValueFactory = _ => 1.0 };
        var stop = new Option<string?>("--stop-ids") { Description = "Token ids that end a sequence (default: the config's eos_token_id)." };
        var seed = new Option<long?>("--seed") { Description = "Seed for sampling." };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.InferenceDType();
        var command = new Command("generate", "Generate tokens from prompt token ids with a KV cache (text prompts: see `pharos chat` and `pharos translate`).");
        command.Arguments.Add(folder);
        foreach (var o in new Option[] { prompts, maxNew, temperature, topK, topP, penalty, stop, seed, device, dtype })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            using var model = ModelLoader.Load(parse.GetValue(folder)!, DTypes.ParseDevice(parse.GetValue(device)!), DTypes.ParseInference(parse.GetValue(dtype)!, DTypes.ParseDevice(parse.GetValue(device)!)));
            var batch = parse.GetValue(prompts)!.Select(p => TokenIds.Parse(p, "--prompt-ids")).ToArray();
            foreach (var p in batch) TokenIds.CheckInVocab(p, model.Config.VocabSize, "--prompt-ids");
            var stopText = parse.GetValue(stop);
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNew),
                Temperature = parse.GetValue(temperature),
                TopK = parse.GetValue(topK),
                TopP = parse.GetValue(topP),
                RepetitionPenalty = parse.GetValue(penalty),
                StopTokenIds = stopText is null ? model.Config.EosTokenIds : TokenIds.Parse(stopText, "--stop-ids"),
                Seed = parse.GetValue(seed),
            };
            var results = new TokenGenerator(model).Generate(batch, options);
            foreach (var r in results)
                Console.WriteLine($"{string.Join(",", r.Tokens)}\t[{r.FinishReason}]");
            return 0;
        });
        return command;
    }
}
