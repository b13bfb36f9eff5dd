// `pharos curate calibrate --language xx FILES…`: derives a language's LID threshold and filter thresholds from a sample and writes xx.yaml.
using Pharos.IO;
using System.CommandLine;
using Pharos.Curation;
using Pharos.Curation.Filters;
using Pharos.Curation.LanguageId;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;

namespace Pharos.Cli.Commands;

internal static class CurateCalibrateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Sample of the language's documents (JSONL/Parquet/text/WARC).", Arity = ArgumentArity.OneOrMore };
        var language = new Option<string>("--language") { Description = "Language code of the sample (e.g. pt).", Required = true };
        var model = new Option<string?>("--lid-model") { Description = "fastText model to score documents that carry no language_score." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the table (default: LANG.yaml).", };
        var tail = new Option<double>("--tail-rate") { Description = "Share of this language's own distribution each filter cuts.", DefaultValueFactory = _ => 0.05 };
        var limit = new Option<int>("--max-docs") { Description = "Documents to read at most.", DefaultValueFactory = _ => 100_000 };
        var command = new Command("calibrate", "Derive a language's table: language_score = max(0.3, min(0.9, median − std)) of its LID confidences, filter thresholds from its own distributions, stopwords.");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { language, model, output, tail, limit })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var lang = parse.GetValue(language)!;
            var lid = parse.GetValue(model) is { } m ? new LanguageIdStep(FastTextModel.Load(m)) : null;
            var quarantine = new Quarantine();
            var texts = new List<string>();
            var scores = new List<double>();
            foreach (var file in parse.GetValue(files)!)
                foreach (var doc in ReaderFactory.For(file, "auto", new ReaderOptions()).Read(file, quarantine))
                {
                    if (texts.Count >= parse.GetValue(limit))
                        break;
                    if (lid is not null && doc.GetDouble(MetadataKeys.LanguageScore) is null)
                        lid.Annotate(doc);
                    if (doc.Language is { } l && !string.Equals(l, lang, StringComparison.OrdinalIgnoreCase) && lid is not null)
                        continue; // scored as another language: not part of this language's sample
                    texts.Add(doc.Text);
                    if (doc.GetDouble(MetadataKeys.LanguageScore) is { } s)
                        scores.Add(s);
                }
            var table = new Calibrator(parse.GetValue(tail)).Calibrate(lang, texts, scores);
            var path = parse.GetValue(output) ?? $"{lang}.yaml";
            AtomicFile.WriteAllText(path, LanguageTableWriter.ToYaml(table));
            Console.WriteLine($"{lang}: {texts.Count} documents, {scores.Count} LID scores → language_score {table.LanguageScore}; wrote {path}");
            return 0;
        });
        return command;
    }
}
