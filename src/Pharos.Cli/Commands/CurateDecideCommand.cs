// `pharos curate decide --input FILE`: each quality filter alone on every document, one JSONL line per document and filter with datatrove's reason.
using Pharos.IO;
using System.CommandLine;
using System.Text.Json;
using Pharos.Curation;
using Pharos.Curation.Errors;
using Pharos.Curation.Filters;
using Pharos.Curation.LanguageId;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;

namespace Pharos.Cli.Commands;

internal static class CurateDecideCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Documents (JSONL, Parquet, text, WARC); a \"language\" field (deu_Latn, de) picks the language.", Required = true };
        var language = new Option<string?>("--language") { Description = "Label for documents without a language field (e.g. deu_Latn)." };
        var model = new Option<string?>("--lid-model") { Description = "fastText model (lid.176, GlotLID) for documents with neither." };
        var settings = new Option<string>("--settings") { Description = "fineweb2: FineWeb2's per-language configs and wiring; defaults: datatrove's constructor defaults.", DefaultValueFactory = _ => "fineweb2" };
        settings.AcceptOnlyFromAmong("fineweb2", "defaults");
        var filters = new Option<string>("--filters") { Description = "Comma-separated filters to run.", DefaultValueFactory = _ => string.Join(',', IndependentDecisions.Names) };
        var tables = new Option<string?>("--language-tables") { Description = "Folder of <label>.yaml tables over the shipped ones." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the JSONL (default: standard output)." };
        var command = new Command("decide", "Run each listed filter alone on every document and write {\"id\", \"filter\", \"kept\", \"reason\"} per document and filter, with datatrove's reason strings.");
        foreach (var o in new Option[] { input, language, model, settings, filters, tables, output })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var names = parse.GetValue(filters)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in names)
                if (!IndependentDecisions.Names.Contains(name))
                    throw new RecipeException($"--filters: unknown filter \"{name}\" (known: {string.Join(", ", IndependentDecisions.Names)})");
            var decisions = new IndependentDecisions(LanguageTable.Load(parse.GetValue(tables)),
                parse.GetValue(settings) == "defaults" ? FilterSettings.Defaults : FilterSettings.FineWeb2, names);
            var lid = parse.GetValue(model) is { } m ? new LanguageIdStep(FastTextModel.Load(m)) : null;
            var fallback = parse.GetValue(language);
            var path = parse.GetValue(input)!;
            var quarantine = new Quarantine();
            var target = parse.GetValue(output);
            var stream = target is null ? Console.OpenStandardOutput() : AtomicFile.CreateTemp(target);
            var count = 0;
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                foreach (var doc in ReaderFactory.For(path, "auto", new ReaderOptions()).Read(path, quarantine))
                {
                    if (doc.Language is null && fallback is not null)
                        doc.Metadata[MetadataKeys.Language] = fallback;
                    else if (doc.Language is null && lid is not null)
                        lid.Annotate(doc);
                    foreach (var d in decisions.Decide(doc))
                    {
                        writer.WriteStartObject();
                        writer.WriteString("id", d.Id);
                        writer.WriteString("language", d.Language);
                        writer.WriteString("filter", d.Filter);
                        writer.WriteBoolean("kept", d.Kept);
                        writer.WriteString("reason", d.Reason);
                        writer.WriteEndObject();
                        writer.Flush();
                        writer.Reset(); // one JSON value per line
                        stream.WriteByte((byte)'\n');
                    }
                    count++;
                }
            }
            if (stream is FileStream file && target is not null)
            {
                AtomicFile.Commit(file, target);
                Console.Error.WriteLine($"{count} documents × {names.Length} filters → {target}" + (quarantine.Count > 0 ? $" ({quarantine.Count} records quarantined)" : ""));
            }
            else
                stream.Flush();
            return 0;
        });
        return command;
    }
}
