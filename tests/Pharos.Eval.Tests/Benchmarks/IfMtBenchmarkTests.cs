// IF-MT runner: the bundled set's references follow all their own instructions and score 100 against themselves;
// scripted answers give exact adherence rates per instruction type and per pair; bad items are named.
using System.Text.Json.Nodes;
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Errors;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Benchmarks;

public sealed class IfMtBenchmarkTests
{
    static readonly string Sample = RepoPaths.Samples("eval", "ifmt.jsonl");

    static Dictionary<string, JsonNode> ItemsByPrompt(string path, IfMtBenchmark benchmark)
    {
        var items = File.ReadLines(path).Select(l => JsonNode.Parse(l)!).ToList();
        return benchmark.Prompts.Select((p, i) => (p[0].Content, items[i])).ToDictionary(x => x.Content, x => x.Item2);
    }

    [Fact]
    public async Task Sample_references_follow_every_instruction_and_score_100()
    {
        var benchmark = new IfMtBenchmark(Sample);
        var items = ItemsByPrompt(Sample, benchmark);
        Assert.True(items.Count >= 60);
        await using var server = await ScriptedEndpoint.StartAsync(p => (string)items[p]["reference"]!);
        using var backend = server.Backend();
        var (records, result) = await BenchmarkRunner.RunAsync(benchmark, backend, new EvalGenerationSettings());

        var failed = records.SelectMany(r => r.Verdicts.Where(v => !v.Strict).Select(v => $"{r.Id} {v.Id}: {v.Explanation}")).ToList();
        Assert.Empty(failed);
        Assert.Equal(1.0, result.Metrics["prompt_level_acc"]);
        Assert.Equal(1.0, result.Metrics["inst_level_acc"]);
        Assert.Equal(100.0, result.Metrics["chrF2++"], 9);
        Assert.Equal(100.0, result.Metrics["BLEU"], 9);
        Assert.Equal(["en-de", "en-es", "en-fr", "en-it", "en-pt-PT"], result.Breakdowns["by_pair"].Keys.ToArray());
        Assert.All(result.Breakdowns["by_pair"].Values, p => Assert.Equal(13, p["n"]));
    }

    [Fact]
    public async Task Untranslated_answers_break_exactly_the_instructions_that_need_a_translation()
    {
        // Echoing the English source keeps placeholders, markup, bullets and preserved numbers (they are copied),
        // and fails glossary terms, localised numbers and dates, and commas in item 10; the per-type rates are exact.
        var benchmark = new IfMtBenchmark(Sample);
        var items = ItemsByPrompt(Sample, benchmark);
        await using var server = await ScriptedEndpoint.StartAsync(p => (string)items[p]["source"]!);
        using var backend = server.Backend();
        var (_, result) = await BenchmarkRunner.RunAsync(benchmark, backend, new EvalGenerationSettings());
        var byType = result.Breakdowns["by_instruction"];
        Assert.Equal(1.0, byType["translation:placeholders"]["pass_rate"]);
        Assert.Equal(1.0, byType["translation:markup"]["pass_rate"]);
        Assert.Equal(1.0, byType["detectable_format:number_bullet_lists"]["pass_rate"]);
        // Of 15 glossary checks only Italian item 11 passes: its terms "account" and "report" are English words.
        Assert.Equal(1.0 / 15, byType["translation:glossary"]["pass_rate"], 12);
        // "account" is forbidden in de and fr; the Spanish/Portuguese "reporte" and Italian "conto" are not in the English text.
        Assert.Equal(3.0 / 5, byType["keywords:forbidden_words"]["pass_rate"], 12);
        Assert.Equal(0.0, byType["translation:dates"]["pass_rate"]);
        Assert.Equal(0.0, byType["punctuation:no_comma"]["pass_rate"]);
        // Pairs have equal item counts, so the micro average over items equals the mean over pairs.
        Assert.Equal(result.Breakdowns["by_pair"].Values.Average(p => p["prompt_level_acc"]), result.Metrics["prompt_level_acc"], 12);
    }

    [Fact]
    public async Task Failed_items_count_as_errors_and_as_not_followed()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "two.jsonl");
        File.WriteAllLines(path, File.ReadLines(Sample).Take(2));
        var benchmark = new IfMtBenchmark(path);
        var items = ItemsByPrompt(path, benchmark);
        var second = benchmark.Prompts[1][0].Content;
        await using var server = await ScriptedEndpoint.StartAsync(p => p == second ? null : (string)items[p]["reference"]!);
        using var backend = server.Backend();
        var (records, result) = await BenchmarkRunner.RunAsync(benchmark, backend, new EvalGenerationSettings());
        Assert.Equal(1, result.Errors);
        Assert.Equal(0.5, result.Metrics["prompt_level_acc"]);
        Assert.NotNull(records[1].Error);
        Assert.Equal(0, records[1].Scores["chrF2++"]);
    }

    [Theory]
    [InlineData("""{"id": "x", "lp": "en-de", "source": "a", "reference": "b", "instructions": [{"id": "translation:glosary", "args": {"terms": ["b"]}}]}""",
        "two.jsonl:2: item x: unknown instruction id 'translation:glosary'")]
    [InlineData("""{"id": "x", "lp": "en-de", "source": "a", "reference": "b", "instructions": [{"id": "translation:numbers", "args": {"mode": 3}}]}""",
        "two.jsonl:2: item x: instruction 'translation:numbers': argument 'mode'")]
    [InlineData("""{"id": "x", "lp": "en-xx", "source": "a", "reference": "b", "instructions": []}""", "two.jsonl:2: unknown language code 'xx'")]
    [InlineData("""{"id": "x", "source": "a", "reference": "b", "instructions": []}""", "two.jsonl:2: missing language pair")]
    [InlineData("""{"id": "x", "lp": "en-de", "source": "a", "instructions": []}""", "two.jsonl:2: missing field 'reference'")]
    public void Bad_items_name_the_file_line_and_item(string secondLine, string expected)
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "two.jsonl");
        File.WriteAllLines(path, [File.ReadLines(Sample).First(), secondLine]);
        var e = Assert.Throws<InvalidInputException>(() => new IfMtBenchmark(path));
        Assert.StartsWith(expected.Replace("two.jsonl", path), e.Message);
    }
}
