// IFEval runner on the bundled sample: GPT-4's published responses served on loopback must score exactly what Google's
// own evaluation gives (from the reference verdicts), and bad items stop loading with file, line and item named.
using System.Text.Json.Nodes;
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Errors;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Benchmarks;

public sealed class IfEvalBenchmarkTests
{
    static readonly string Sample = RepoPaths.Samples("eval", "ifeval.jsonl");

    [Fact]
    public async Task Gpt4_responses_score_exactly_as_googles_reference_verdicts()
    {
        var fixtures = RepoPaths.Fixtures("Pharos.Eval.Tests", "ifeval");
        var inputs = File.ReadLines(Path.Combine(fixtures, "input_data.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var responses = File.ReadLines(Path.Combine(fixtures, "responses_gpt4_20231107.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var byPrompt = responses.GroupBy(r => (string)r["prompt"]!).ToDictionary(g => g.Key, g => (string)g.First()["response"]!);
        // Google's verdicts for each prompt's own response (response_index = the prompt's line in input_data.jsonl).
        var ownLine = inputs.Select((o, i) => ((int)o["key"]!, i)).ToDictionary(p => p.Item1, p => p.i);
        var reference = File.ReadLines(Path.Combine(fixtures, "reference.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Where(r => (int)r["response_index"]! == ownLine[(int)r["key"]!]).ToDictionary(r => (int)r["key"]!);

        var sample = File.ReadLines(Sample).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(sample, s => Assert.True(byPrompt.ContainsKey((string)s["prompt"]!) && reference.ContainsKey((int)s["key"]!)));
        bool[][] strict = sample.Select(s => reference[(int)s["key"]!]["strict"]!.AsArray().Select(b => (bool)b!).ToArray()).ToArray();
        bool[][] loose = sample.Select(s => reference[(int)s["key"]!]["loose"]!.AsArray().Select(b => (bool)b!).ToArray()).ToArray();

        await using var server = await ScriptedEndpoint.StartAsync(p => byPrompt[p]);
        using var backend = server.Backend();
        var (records, result) = await BenchmarkRunner.RunAsync(new IfEvalBenchmark(Sample), backend, new EvalGenerationSettings());

        Assert.Equal(sample.Count, result.Items);
        Assert.Equal(0, result.Errors);
        Assert.Equal((double)strict.Count(a => a.All(b => b)) / sample.Count, result.Metrics["prompt_level_strict_acc"], 12);
        Assert.Equal((double)loose.Count(a => a.All(b => b)) / sample.Count, result.Metrics["prompt_level_loose_acc"], 12);
        Assert.Equal((double)strict.Sum(a => a.Count(b => b)) / strict.Sum(a => a.Length), result.Metrics["inst_level_strict_acc"], 12);
        Assert.Equal((double)loose.Sum(a => a.Count(b => b)) / loose.Sum(a => a.Length), result.Metrics["inst_level_loose_acc"], 12);
        // Per-item verdicts line up with Google's, instruction by instruction.
        for (int i = 0; i < records.Count; i++)
            Assert.Equal(strict[i], records[i].Verdicts.Select(v => v.Strict).ToArray());
        Assert.Equal(25, result.Breakdowns["by_instruction"].Count);
    }

    [Fact]
    public async Task Failed_requests_are_error_records_that_fail_their_instructions()
    {
        var lines = File.ReadLines(Sample).Take(4).ToList();
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "four.jsonl");
        File.WriteAllLines(path, lines);
        var first = (string)JsonNode.Parse(lines[0])!["prompt"]!;
        await using var server = await ScriptedEndpoint.StartAsync(p => p == first ? null : "ok");
        using var backend = server.Backend();
        var (records, result) = await BenchmarkRunner.RunAsync(new IfEvalBenchmark(path), backend, new EvalGenerationSettings());
        Assert.Equal(1, result.Errors);
        Assert.Contains("scripted failure", records[0].Error);
        Assert.Null(records[0].Output);
        Assert.NotEmpty(records[0].Verdicts);
        Assert.All(records[0].Verdicts, v => Assert.False(v.Strict || v.Loose));
        Assert.Equal(4, records.Count);
    }

    [Theory]
    [InlineData("""{"key": 7, "prompt": "p", "instruction_id_list": ["keywords:nonsense"], "kwargs": [{}]}""", "bad.jsonl:2: prompt 7: unknown instruction id 'keywords:nonsense'")]
    [InlineData("""{"key": 7, "prompt": "p", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"num_words": "many", "relation": "at least"}]}""",
        "bad.jsonl:2: prompt 7: instruction 'length_constraints:number_words': argument 'num_words' must be an integer, got \"many\"")]
    [InlineData("""{"key": 7, "instruction_id_list": [], "kwargs": []}""", "bad.jsonl:2: missing field 'prompt'")]
    [InlineData("""{"key": 7, "prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": []}""", "bad.jsonl:2: prompt 7: instruction_id_list has 1 entries but kwargs has 0")]
    [InlineData("""{"key": 7, "prompt": "p", """, "bad.jsonl:2: invalid JSON")]
    public void Bad_items_name_the_file_line_and_item(string secondLine, string expected)
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "bad.jsonl");
        File.WriteAllLines(path, [File.ReadLines(Sample).First(), secondLine]);
        var e = Assert.Throws<InvalidInputException>(() => new IfEvalBenchmark(path));
        Assert.StartsWith(expected.Replace("bad.jsonl", path), e.Message);
    }
}
