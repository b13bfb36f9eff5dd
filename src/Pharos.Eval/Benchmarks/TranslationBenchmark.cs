// Translation test sets (TSV or JSONL with source, reference and language pair) scored with BLEU, chrF and chrF++ per pair.
using Pharos.Eval.Backends;
using Pharos.Eval.Errors;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

/// <summary>
/// JSONL: <c>{"lp": "en-de", "source": …, "reference": …}</c> (or <c>source_lang</c>/<c>target_lang</c>; optional <c>id</c>).
/// TSV: <c>lp, source, reference</c> per line; a first line starting with "lp" is a header. Prompts are Tower+'s.
/// </summary>
public sealed class TranslationBenchmark : ITranslationSuite
{
    sealed record Item(string Id, LanguagePair Pair, string Source, string Reference);

    readonly List<Item> items = [];

    public TranslationBenchmark(string path, int? limit = null)
    {
        var lines = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? ReadTsv(path) : JsonlFile.Read(path);
        foreach (var line in lines.Take(limit ?? int.MaxValue))
        {
            var source = line.String("source");
            var reference = line.String("reference");
            if (source.Trim().Length == 0) throw line.Error("empty source");
            items.Add(new Item(line.Id("id"), LanguagePair.FromFields(line), source, reference));
        }
        Prompts = items.Select(i => TranslationPrompt.Messages(i.Source, i.Pair.Source, i.Pair.Target)).ToList();
    }

    public string Name => "translation";
    public IReadOnlyList<(string Source, string Reference)> SourcesAndReferences => items.Select(i => (i.Source, i.Reference)).ToList();
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Prompts { get; }

    public (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Score(IReadOnlyList<ChatAnswer> answers)
    {
        var records = new List<ItemRecord>(items.Count);
        var hyps = answers.Select(a => a.Text?.Trim() ?? "").ToArray();
        for (int i = 0; i < items.Count; i++)
            records.Add(new ItemRecord(Name, items[i].Id, BenchmarkRunner.Flatten(Prompts[i]), answers[i].Text, answers[i].Error)
            {
                Group = items[i].Pair.ToString(),
                Reference = items[i].Reference,
                Scores = new Dictionary<string, double> { [TranslationScores.ChrFpp] = TranslationScores.Sentence(hyps[i], items[i].Reference) },
            });
        var byPair = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Pair).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            var scores = TranslationScores.Corpus(group.Key, group.Select(i => hyps[i]).ToList(), group.Select(i => items[i].Reference).ToList());
            scores["n"] = group.Count();
            byPair[group.Key.ToString()] = scores;
        }
        var metrics = TranslationScores.MacroAverage(byPair);
        return (records, new SuiteResult(Name, items.Count, answers.Count(a => a.Text is null), metrics,
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> { ["by_pair"] = byPair }));
    }

    static List<JsonlLine> ReadTsv(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: file not found");
        var lines = new List<JsonlLine>();
        int number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (text.Length == 0 || (number == 1 && text.StartsWith("lp\t", StringComparison.Ordinal))) continue;
            var cols = text.Split('\t');
            if (cols.Length != 3) throw new InvalidInputException($"{path}:{number}: expected 3 tab-separated columns (lp, source, reference), found {cols.Length}");
            lines.Add(new JsonlLine($"{path}:{number}", number, new System.Text.Json.Nodes.JsonObject { ["lp"] = cols[0], ["source"] = cols[1], ["reference"] = cols[2] }));
        }
        if (lines.Count == 0) throw new InvalidInputException($"{path}: no items");
        return lines;
    }
}
