// Translation test sets (JSONL and TSV) and GSM8K-style math on scripted answers: exact scores and accuracies.
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Errors;
using Pharos.Eval.Metrics;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Benchmarks;

public sealed class TranslationAndMathBenchmarkTests
{
    [Fact]
    public async Task Translation_scores_per_pair_equal_the_metrics_on_the_same_segments()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "set.tsv");
        File.WriteAllLines(path,
        [
            "lp\tsource\treference",
            "en-de\tThe house is small.\tDas Haus ist klein.",
            "en-de\tThe cat sleeps.\tDie Katze schläft.",
            "en-fr\tGood morning.\tBonjour.",
        ]);
        var answers = new Dictionary<string, string> { ["The house is small."] = "Das Haus ist klein.", ["The cat sleeps."] = "Die Katze schlaeft.", ["Good morning."] = "Salut." };
        var benchmark = new TranslationBenchmark(path);
        Assert.StartsWith("Translate the following English source text to German:\nEnglish: The house is small.\nGerman: ", benchmark.Prompts[0][0].Content);
        await using var server = await ScriptedEndpoint.StartAsync(p => answers.First(a => p.Contains("English: " + a.Key + "\n")).Value);
        using var backend = server.Backend();
        var (records, result) = await BenchmarkRunner.RunAsync(benchmark, backend, new EvalGenerationSettings());

        var de = result.Breakdowns["by_pair"]["en-de"];
        IReadOnlyList<IReadOnlyList<string>> refs = [new[] { "Das Haus ist klein.", "Die Katze schläft." }];
        Assert.Equal(new Bleu().CorpusScore(["Das Haus ist klein.", "Die Katze schlaeft."], refs).Score, de["BLEU"], 12);
        Assert.Equal(new ChrF(wordOrder: 2).CorpusScore(["Das Haus ist klein.", "Die Katze schlaeft."], refs).Score, de["chrF2++"], 12);
        Assert.Equal(2, de["n"]);
        Assert.Equal((de["chrF2"] + result.Breakdowns["by_pair"]["en-fr"]["chrF2"]) / 2, result.Metrics["chrF2"], 12);
        Assert.Equal(100.0, records[0].Scores["chrF2++"]);
        Assert.Equal("en-fr", records[2].Group);
    }

    [Fact]
    public void Bundled_translation_sample_loads_five_pairs() =>
        Assert.Equal(51, new TranslationBenchmark(RepoPaths.Samples("eval", "translation.jsonl")).Prompts.Count);

    [Fact]
    public void Translation_tsv_with_a_missing_column_names_the_line()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "set.tsv");
        File.WriteAllLines(path, ["en-de\ta\tb", "en-de\tonly two"]);
        var e = Assert.Throws<InvalidInputException>(() => new TranslationBenchmark(path));
        Assert.Equal($"{path}:2: expected 3 tab-separated columns (lp, source, reference), found 2", e.Message);
    }

    [Fact]
    public async Task Math_accuracy_counts_extracted_final_answers()
    {
        var sample = RepoPaths.Samples("eval", "math.jsonl");
        var benchmark = new MathBenchmark(sample);
        var answers = File.ReadLines(sample).Select(l => (string)System.Text.Json.Nodes.JsonNode.Parse(l)!["answer"]!).ToList();
        int asked = 0;
        // Items 0, 3, 6, 9 get a wrong answer, item 1 a failed request; the other 7 of 12 are right (one in \boxed{}).
        await using var server = await ScriptedEndpoint.StartAsync(p =>
        {
            int i = benchmark.Prompts.Select((c, k) => (c[0].Content, k)).First(x => x.Content == p).k;
            Interlocked.Increment(ref asked);
            return i == 1 ? null : i % 3 == 0 ? "I think it is 1." : i == 2 ? $"So we get \\boxed{{{answers[i]}}}." : i == 9 ? "" : $"Step by step... The answer is {answers[i]}.";
        });
        using var backend = server.Backend();
        var (records, result) = await BenchmarkRunner.RunAsync(benchmark, backend, new EvalGenerationSettings());
        Assert.Equal(12, result.Items);
        Assert.Equal(1, result.Errors);
        Assert.Equal(7.0 / 12, result.Metrics["accuracy"], 12);
        Assert.Equal(1, records[2].Scores["correct"]);
        Assert.Contains("scripted failure", records[1].Error);
        Assert.Contains("expected '200'", records[3].Verdicts[0].Explanation);
    }

    [Fact]
    public void Math_accepts_gsm8k_solutions_and_names_bad_lines()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "gsm.jsonl");
        File.WriteAllLines(path, ["""{"question": "q", "answer": "Work: 3 * 4 = 12.\n#### 12"}""", """{"question": "q"}"""]);
        var e = Assert.Throws<InvalidInputException>(() => new MathBenchmark(path));
        Assert.Equal($"{path}:2: missing field 'answer'", e.Message);
        File.WriteAllLines(path, ["""{"question": "q", "answer": "Work: 3 * 4 = 12.\n#### 12"}"""]);
        Assert.Single(new MathBenchmark(path).Prompts);
    }
}
