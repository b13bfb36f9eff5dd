// GSM8K-style math: a question and its final answer per item; accuracy of the extracted final answer (math:final_answer).
using System.Text.Json.Nodes;
using Pharos.Eval.Backends;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

/// <summary>
/// JSONL items with <c>question</c> and <c>answer</c>; GSM8K's own form (worked solution ending "#### 72") is accepted
/// and only the part after "####" is compared. The prompt asks for a final line "The answer is N." so extraction is reliable.
/// </summary>
public sealed class MathBenchmark : IBenchmark
{
    public const string Instruction = "Solve the problem step by step. End with a line of the form \"The answer is N.\"";

    sealed record Item(string Id, string Question, string Answer, InstructionSpec Check);

    readonly List<Item> items = [];

    public MathBenchmark(string path, int? limit = null)
    {
        foreach (var line in JsonlFile.Read(path).Take(limit ?? int.MaxValue))
        {
            var id = line.Id("id");
            var question = line.String("question");
            var answer = line.Object["answer"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? v.ToJsonString() : line.String("answer");
            int hashes = answer.LastIndexOf("####", StringComparison.Ordinal);
            if (hashes >= 0) answer = answer[(hashes + 4)..];
            answer = answer.Trim();
            if (answer.Length == 0) throw line.Error($"item {id}: empty answer");
            var spec = new InstructionSpec(line, $"item {id}", "math:final_answer", new JsonObject { ["answer"] = answer }, question);
            items.Add(new Item(id, question, answer, spec));
        }
        Prompts = items.Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage("user", $"{i.Question}\n\n{Instruction}")]).ToList();
    }

    public string Name => "math";
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Prompts { get; }

    public (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Score(IReadOnlyList<ChatAnswer> answers)
    {
        var records = new List<ItemRecord>(items.Count);
        int correct = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var verdict = answers[i].Text is { } text
                ? items[i].Check.Check(items[i].Question, text)
                : new InstructionVerdict("math:final_answer", false, false, 0, "no response: " + answers[i].Error);
            correct += verdict.Strict ? 1 : 0;
            records.Add(new ItemRecord(Name, items[i].Id, Prompts[i][0].Content, answers[i].Text, answers[i].Error)
            {
                Reference = items[i].Answer,
                Scores = new Dictionary<string, double> { ["correct"] = verdict.Strict ? 1 : 0 },
                Verdicts = [verdict],
            });
        }
        return (records, new SuiteResult(Name, items.Count, answers.Count(a => a.Text is null),
            new Dictionary<string, double> { ["accuracy"] = Rate.Of(correct, items.Count) },
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>>()));
    }
}
