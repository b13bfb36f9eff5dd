// `pharos translate --model DIR --from en --to pt-PT [TEXT…]`: Tower+'s prompt in the model's chat template, batched;
// text from arguments, stdin, a .txt file or JSONL; a progress bar for files. Translations are written as each batch
// finishes (stdout, or FILE.partial.jsonl with -o, which a rerun continues: see TranslationProgress).
using System.CommandLine;
using System.Text.Json.Nodes;
using Pharos.Models;
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tokenization;
using Spectre.Console;

namespace Pharos.Cli.Commands;

internal static class TranslateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Hugging Face model folder (with tokenizer.json and a chat template).", Required = true };
        var from = new Option<string>("--from") { Description = "Source language code (en, de, pt-BR, zh-Hans, …).", Required = true };
        var to = new Option<string>("--to") { Description = "Target language code.", Required = true };
        var input = new Option<string?>("--input", "-i") { Description = "A .txt file (one segment a line) or .jsonl (field `source`; writes `translation`)." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write translations (default: stdout)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Segments translated together.", DefaultValueFactory = _ => 8 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest translation in tokens.", DefaultValueFactory = _ => 256 };
        var strict = new Option<bool>("--strict") { Description = "Fail on the first bad JSONL line instead of quarantining it." };
        var text = new Argument<string[]>("text") { Description = "Text to translate (one segment per argument); omit to read --input or stdin.", Arity = ArgumentArity.ZeroOrMore };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var command = new Command("translate", "Translate text with a Tower+-style prompt: arguments, stdin, a .txt file or JSONL.");
        command.Arguments.Add(text);
        foreach (var o in new Option[] { model, from, to, input, output, batchSize, maxNew, strict, device, dtype }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string src = parse.GetValue(from)!, tgt = parse.GetValue(to)!;
            TranslationPrompt.Build("", src, tgt); // unknown language codes fail before the model loads
            var inputPath = parse.GetValue(input);
            var outputPath = parse.GetValue(output);
            bool jsonl = inputPath is not null && TranslationSegments.IsJsonl(inputPath);
            var args = parse.GetValue(text) ?? [];
            List<Segment> segments;
            List<RejectedLine> rejected = [];
            if (args.Length > 0)
                segments = args.Select((t, i) => new Segment(i + 1, t, null)).ToList();
            else if (inputPath is not null)
            {
                if (!File.Exists(inputPath)) throw new Pharos.Models.Errors.PharosException($"{inputPath}: no such file");
                using var reader = new StreamReader(inputPath);
                (segments, rejected) = TranslationSegments.Read(reader, jsonl, inputPath);
            }
            else
                (segments, rejected) = TranslationSegments.Read(Console.In, jsonl: false, "stdin");
            if (rejected.Count > 0 && parse.GetValue(strict)) throw TranslationSegments.Strict(inputPath!, rejected[0]);

            int batch = Math.Max(1, parse.GetValue(batchSize));
            var modelPath = Path.GetFullPath(parse.GetValue(model)!);
            var settings = new JsonObject
            {
                ["model"] = modelPath, ["from"] = src, ["to"] = tgt, ["max_new_tokens"] = parse.GetValue(maxNew), ["batch_size"] = batch,
                ["device"] = parse.GetValue(device), ["dtype"] = parse.GetValue(dtype),
            };
            using var progress = outputPath is null ? null : TranslationProgress.Open(outputPath, settings, segments, batch);
            var translations = new List<string>(progress?.Done ?? []);
            if (translations.Count > 0)
                ErrorConsole.Instance.MarkupLine($"continuing {Markup.Escape(progress!.Path)}: {translations.Count} of {segments.Count} segment(s) already translated");

            using var loaded = translations.Count == segments.Count ? null
                : ModelLoader.Load(modelPath, DTypes.ParseDevice(parse.GetValue(device)!), DTypes.Parse(parse.GetValue(dtype)!));
            var chat = loaded is null ? null : new ChatGenerator(loaded, HfTokenizer.Load(modelPath));
            var options = new GenerationOptions { MaxNewTokens = parse.GetValue(maxNew) };
            void TranslateAll(Action<int>? advance)
            {
                for (int start = translations.Count; start < segments.Count; start += batch)
                {
                    var chunk = segments.Skip(start).Take(batch).ToArray();
                    var answers = chat!.Complete(chunk.Select(s => TranslationPrompt.Messages(s.Source, src, tgt)).ToArray(), options)
                        .Select(a => a.Trim()).ToArray();
                    translations.AddRange(answers);
                    // Each batch leaves the process as soon as it is done: on stdout, or on disk (fsynced) with -o.
                    if (progress is not null) progress.Append(chunk, answers);
                    else
                    {
                        for (int i = 0; i < chunk.Length; i++) Console.WriteLine(TranslationSegments.Format(chunk[i], answers[i]));
                        Console.Out.Flush();
                    }
                    advance?.Invoke(chunk.Length);
                }
            }
            if (inputPath is null) TranslateAll(null);
            else
                ErrorConsole.Instance.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"translating {src}→{tgt}", maxValue: Math.Max(1, segments.Count));
                        task.Increment(translations.Count);
                        TranslateAll(n => task.Increment(n));
                    });

            progress?.Complete(outputPath!, segments.Select((s, i) => TranslationSegments.Format(s, translations[i])));
            if (rejected.Count > 0)
            {
                var rejectedPath = (outputPath ?? inputPath!) + ".rejected.jsonl";
                TranslationSegments.WriteRejected(rejectedPath, inputPath!, rejected);
                ErrorConsole.Instance.MarkupLine($"[yellow]{rejected.Count} bad line(s) quarantined to {Markup.Escape(rejectedPath)}[/] (first: line {rejected[0].Line}: {Markup.Escape(rejected[0].Reason)})");
            }
            if (inputPath is not null)
                ErrorConsole.Instance.MarkupLine($"translated {segments.Count} segment(s){(outputPath is null ? "" : $" to {Markup.Escape(outputPath)}")}");
            return 0;
        });
        return command;
    }
}
