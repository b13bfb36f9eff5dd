// IFEval over Google's input_data.jsonl format: prompt- and instruction-level accuracy, strict and loose, and per-type pass rates.
using System.Text.Json.Nodes;
using Pharos.Eval.Backends;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

public sealed class IfEvalBenchmark : IBenchmark
{
    sealed record Item(string Key, string Prompt, IReadOnlyList<InstructionSpec> Instructions);

    readonly List<Item> items = [];

    /// <summary>Loads <c>key</c>, <c>prompt</c>, <c>instruction_id_list</c> and <c>kwargs</c> (one object per instruction) per line.</summary>
    public IfEvalBenchmark(string path, int? limit = null)
    {
        foreach (var line in JsonlFile.Read(path).Take(limit ?? int.MaxValue))
        {
            var key = line.Id("key");
            var item = $"prompt {key}";
            var prompt = line.String("prompt");
            var ids = line.Array("instruction_id_list");
            var kwargs = line.Array("kwargs");
            if (ids.Count != kwargs.Count)
                throw line.Error($"{item}: instruction_id_list has {ids.Count} entries but kwargs has {kwargs.Count}");
            var specs = new List<InstructionSpec>(ids.Count);
            for (int i = 0; i < ids.Count; i++)
            {
                if (ids[i] is not JsonValue v || !v.TryGetValue(out string? id)) throw line.Error($"{item}: instruction_id_list[{i}] must be a string");
                var args = kwargs[i] switch
                {
                    null => new JsonObject(),
                    JsonObject o => (JsonObject)o.DeepClone(),
                    _ => throw line.Error($"{item}: kwargs[{i}] must be an object"),
                };
                specs.Add(new InstructionSpec(line, item, id, args, prompt));
            }
            items.Add(new Item(key, prompt, specs));
        }
        Prompts = items.Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage("user", i.Prompt)]).ToList();
    }

    public string Name => "ifeval";
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Prompts { get; }

    public (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Score(IReadOnlyList<ChatAnswer> answers)
    {
        var records = new List<ItemRecord>(items.Count);
        int promptStrict = 0, promptLoose = 0, instructions = 0, instStrict = 0, instLoose = 0, errors = 0;
        var byType = new Tally();
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var answer = answers[i];
            // A failed request fails every instruction of its prompt: the denominator stays the whole benchmark.
            var verdicts = answer.Text is { } text
                ? item.Instructions.Select(s => s.Check(item.Prompt, text)).ToList()
                : item.Instructions.Select(s => new InstructionVerdict(s.Id, false, false, 0, "no response: " + answer.Error)).ToList();
            if (answer.Text is null) errors++;
            bool allStrict = verdicts.All(v => v.Strict), allLoose = verdicts.All(v => v.Loose);
            promptStrict += allStrict ? 1 : 0;
            promptLoose += allLoose ? 1 : 0;
            instructions += verdicts.Count;
            instStrict += verdicts.Count(v => v.Strict);
            instLoose += verdicts.Count(v => v.Loose);
            foreach (var v in verdicts)
            {
                byType.Add(v.Id, "strict", v.Strict);
                byType.Add(v.Id, "loose", v.Loose);
            }
            records.Add(new ItemRecord(Name, item.Key, item.Prompt, answer.Text, answer.Error)
            {
                Scores = new Dictionary<string, double> { ["strict"] = allStrict ? 1 : 0, ["loose"] = allLoose ? 1 : 0 },
                Verdicts = verdicts,
            });
        }
        var metrics = new Dictionary<string, double>
        {
            ["prompt_level_strict_acc"] = Rate.Of(promptStrict, items.Count),
            ["inst_level_strict_acc"] = Rate.Of(instStrict, instructions),
            ["prompt_level_loose_acc"] = Rate.Of(promptLoose, items.Count),
            ["inst_level_loose_acc"] = Rate.Of(instLoose, instructions),
        };
        return (records, new SuiteResult(Name, items.Count, errors, metrics,
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> { ["by_instruction"] = byType.Means() }));
    }
}
