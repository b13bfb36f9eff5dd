// IF-MT-style benchmark: translation requests carrying verifiable instructions, scored on quality (BLEU/chrF vs references)
// and on instruction adherence (translation-constraint and IFEval verifiers), side by side per language pair.
using System.Text.Json.Nodes;
using Pharos.Eval.Backends;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

/// <summary>
/// JSONL items: <c>id</c>, <c>lp</c> (or <c>source_lang</c>/<c>target_lang</c>), <c>source</c>, <c>reference</c>,
/// <c>instruction</c> (what the user asks besides translating, in words) and <c>instructions</c>: a list of
/// <c>{"id": "translation:glossary", "args": {…}}</c>. The source and languages are added to a translation verifier's
/// arguments, so items do not repeat them. Prompt: the instruction text, then Tower+'s translation prompt.
/// </summary>
public sealed class IfMtBenchmark : ITranslationSuite
{
    sealed record Item(string Id, LanguagePair Pair, string Source, string Reference, string Prompt, IReadOnlyList<InstructionSpec> Instructions);

    readonly List<Item> items = [];

    public IfMtBenchmark(string path, int? limit = null)
    {
        foreach (var line in JsonlFile.Read(path).Take(limit ?? int.MaxValue))
        {
            var id = line.Id("id");
            var item = $"item {id}";
            var pair = LanguagePair.FromFields(line);
            var source = line.String("source");
            var reference = line.String("reference");
            var instruction = line.OptionalString("instruction");
            var prompt = (instruction is null ? "" : instruction.Trim() + "\n\n") + TranslationPrompt.Build(source, pair.Source, pair.Target);
            var specs = new List<InstructionSpec>();
            var list = line.Array("instructions");
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject spec) throw line.Error($"{item}: instructions[{i}] must be an object with 'id' and 'args'");
                if (spec["id"] is not JsonValue v || !v.TryGetValue(out string? verifier)) throw line.Error($"{item}: instructions[{i}] needs a string 'id'");
                var args = spec["args"] switch
                {
                    null => new JsonObject(),
                    JsonObject o => (JsonObject)o.DeepClone(),
                    _ => throw line.Error($"{item}: instructions[{i}].args must be an object"),
                };
                Pharos.Eval.Verifiers.Translation.TranslationArguments.Fill(verifier, args, source, pair.Source, pair.Target);
                specs.Add(new InstructionSpec(line, item, verifier, args, prompt));
            }
            if (specs.Count == 0) throw line.Error($"{item}: 'instructions' is empty (use the translation suite for plain translation)");
            items.Add(new Item(id, pair, source, reference, prompt, specs));
        }
        Prompts = items.Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage("user", i.Prompt)]).ToList();
    }

    public string Name => "ifmt";
    public IReadOnlyList<(string Source, string Reference)> SourcesAndReferences => items.Select(i => (i.Source, i.Reference)).ToList();
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Prompts { get; }

    public (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Score(IReadOnlyList<ChatAnswer> answers)
    {
        var records = new List<ItemRecord>(items.Count);
        var hyps = answers.Select(a => a.Text?.Trim() ?? "").ToArray();
        var byInstruction = new Tally();
        var adherence = new Tally();
        int promptPass = 0, instructions = 0, instPass = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var verdicts = answers[i].Text is null
                ? item.Instructions.Select(s => new InstructionVerdict(s.Id, false, false, 0, "no response: " + answers[i].Error)).ToList()
                : item.Instructions.Select(s => s.Check(item.Prompt, hyps[i])).ToList();
            bool all = verdicts.All(v => v.Strict);
            promptPass += all ? 1 : 0;
            instructions += verdicts.Count;
            instPass += verdicts.Count(v => v.Strict);
            foreach (var v in verdicts)
            {
                byInstruction.Add(v.Id, "pass_rate", v.Strict);
                byInstruction.Add(v.Id, "mean_score", v.Score);
                adherence.Add(item.Pair.ToString(), "inst_level_acc", v.Strict);
            }
            adherence.Add(item.Pair.ToString(), "prompt_level_acc", all);
            records.Add(new ItemRecord(Name, item.Id, item.Prompt, answers[i].Text, answers[i].Error)
            {
                Group = item.Pair.ToString(),
                Reference = item.Reference,
                Scores = new Dictionary<string, double>
                {
                    [TranslationScores.ChrFpp] = TranslationScores.Sentence(hyps[i], item.Reference),
                    ["instructions_followed"] = all ? 1 : 0,
                    ["instruction_score"] = verdicts.Average(v => v.Score),
                },
                Verdicts = verdicts,
            });
        }
        var adherenceByPair = adherence.Means();
        var byPair = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Pair).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            var key = group.Key.ToString();
            var scores = TranslationScores.Corpus(group.Key, group.Select(i => hyps[i]).ToList(), group.Select(i => items[i].Reference).ToList());
            scores["prompt_level_acc"] = adherenceByPair[key]["prompt_level_acc"];
            scores["inst_level_acc"] = adherenceByPair[key]["inst_level_acc"];
            scores["n"] = group.Count();
            byPair[key] = scores;
        }
        var metrics = TranslationScores.MacroAverage(byPair);
        // Adherence headline numbers are over all items (micro), as IFEval reports them; quality is the mean over pairs.
        metrics["prompt_level_acc"] = Rate.Of(promptPass, items.Count);
        metrics["inst_level_acc"] = Rate.Of(instPass, instructions);
        return (records, new SuiteResult(Name, items.Count, answers.Count(a => a.Text is null), metrics,
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>
            {
                ["by_pair"] = byPair,
                ["by_instruction"] = byInstruction.Means(),
            }));
    }
}
