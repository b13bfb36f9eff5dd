// `pharos prefs build`: preference pairs for WPO/DPO, sampled on-policy and scored by rewards (--reward chrf[:weight][@column],
// repeatable), or from given post-edit vs MT records (--from-post-edits).
using System.CommandLine;
using Pharos.Models;
using Pharos.Models.Loading;
using Pharos.Training.Preferences;
using Pharos.Training.Rewards;
using Pharos.Training.Tokenizer;

namespace Pharos.Cli.Commands;

internal static class PrefsCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "JSONL records with 'prompt' (and the columns rewards read).", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL of prompt/chosen/rejected pairs with their scores.", Required = true };
        var model = new Option<string?>("--model") { Description = "Hugging Face model folder to sample from (not needed with --from-post-edits)." };
        var rewards = new Option<string[]>("--reward") { Description = "Reward by name, optionally :weight and @column, e.g. chrf@reference (repeatable).", AllowMultipleArgumentsPerToken = false };
        var samples = new Option<int>("--num-samples") { Description = "Completions sampled per prompt.", DefaultValueFactory = _ => 4 };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 1.0 };
        var maxNew = new Option<int>("--max-new-tokens") { DefaultValueFactory = _ => 128 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var postEdits = new Option<bool>("--from-post-edits") { Description = "Records hold post_edit (chosen) and mt (rejected): no sampling." };
        var cometModel = new Option<string>("--comet-model") { Description = "COMET model folder for the comet / cometkiwi rewards." };
        var cometEncoder = new Option<string>("--comet-encoder") { Description = "The COMET model's XLM-R tokenizer folder, when neither the model folder nor the Hugging Face cache has it." };
        var build = new Command("build", "Build preference pairs: sample and score, or take post-edits over MT.");
        foreach (var o in new Option[] { input, output, model, rewards, samples, temperature, maxNew, seed, postEdits, cometModel, cometEncoder }) build.Options.Add(o);
        build.SetAction(parse =>
        {
            PairStats stats;
            if (parse.GetValue(postEdits)) stats = PairBuilder.FromPostEdits(parse.GetValue(input)!, parse.GetValue(output)!);
            else
            {
                var folder = parse.GetValue(model) ?? throw new Pharos.Models.Errors.PharosException("--model is required unless --from-post-edits");
                var specs = (parse.GetValue(rewards) ?? []).Select(Parse)
                    .Select(s => s with { Model = parse.GetValue(cometModel) ?? "", Encoder = parse.GetValue(cometEncoder) ?? "" }).ToList();
                var set = RewardRegistry.Build(specs, m => Console.Error.WriteLine(m));
                var tokenizer = TokenizerLoader.Load(folder);
                using var m = ModelLoader.Load(folder, DTypes.ParseDevice("cpu"), DTypes.Parse("float32"));
                var stops = tokenizer is HfTextTokenizer hf ? hf.StopIds : [tokenizer.EosId];
                stats = PairBuilder.Sample(m, tokenizer, stops, parse.GetValue(input)!, parse.GetValue(output)!, set,
                    parse.GetValue(samples), parse.GetValue(temperature), parse.GetValue(maxNew), parse.GetValue(seed));
            }
            Console.WriteLine($"{stats.Pairs} pairs from {stats.Prompts} prompts ({stats.NoPreference} without a preference, {stats.BadRecords} bad records) → {parse.GetValue(output)}");
            return 0;
        });
        var command = new Command("prefs", "Preference data for WPO/DPO.");
        command.Subcommands.Add(build);
        return command;
    }

    /// <summary>"chrf", "chrf:0.5", "contains@glossary_term", "chrf:2@post_edit".</summary>
    static RewardSpec Parse(string text)
    {
        string column = "";
        int at = text.IndexOf('@');
        if (at >= 0) { column = text[(at + 1)..]; text = text[..at]; }
        double weight = 1;
        int colon = text.IndexOf(':');
        if (colon >= 0) { weight = double.Parse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture); text = text[..colon]; }
        return new RewardSpec(text, weight, column);
    }
}
