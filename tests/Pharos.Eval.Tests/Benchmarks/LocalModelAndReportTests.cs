// Every suite end to end on a real tiny model (the bundled stories260K with a ChatML template), and the HTML report
// rendered from its results and a second run: tables present, PNGs written and valid.
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Reports;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Benchmarks;

public sealed class LocalModelAndReportTests
{
    [Fact]
    public async Task All_suites_run_on_the_bundled_model_and_render_a_report()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        using var backend = new LocalModelBackend(folder, batchSize: 4);
        var settings = new EvalGenerationSettings(MaxTokens: 8);
        IBenchmark[] suites =
        [
            new TranslationBenchmark(RepoPaths.Samples("eval", "translation.jsonl"), limit: 3),
            new IfEvalBenchmark(RepoPaths.Samples("eval", "ifeval.jsonl"), limit: 3),
            new IfMtBenchmark(RepoPaths.Samples("eval", "ifmt.jsonl"), limit: 3),
            new MathBenchmark(RepoPaths.Samples("eval", "math.jsonl"), limit: 3),
        ];
        var results = new List<SuiteResult>();
        foreach (var suite in suites)
        {
            var (records, result) = await BenchmarkRunner.RunAsync(suite, backend, settings);
            Assert.Equal(3, records.Count);
            Assert.Equal(0, result.Errors);
            Assert.All(records, r => Assert.NotNull(r.Output));
            Assert.All(result.Metrics.Values, v => Assert.InRange(v, 0, 100));
            results.Add(result);
        }
        // A 260K-parameter story model cannot translate or do arithmetic: its math accuracy is exactly 0.
        Assert.Equal(0, results[3].Metrics["accuracy"]);

        var run = new EvalRun("stories260K", backend.Name, DateTimeOffset.UtcNow, new Dictionary<string, string>(), results);
        var resultsPath = Path.Combine(temp.Path, "results.json");
        run.Save(resultsPath);
        var reloaded = EvalRun.Load(resultsPath);
        Assert.Equal(run.Suites.Select(s => s.Metrics.Count), reloaded.Suites.Select(s => s.Metrics.Count));
        Assert.Equal(run.Suites[0].Metrics["chrF2++"], reloaded.Suites[0].Metrics["chrF2++"], 5);

        var other = reloaded with { Name = "other" };
        var html = Path.Combine(temp.Path, "report.html");
        var pngs = HtmlReport.Write(html, [reloaded, other]);
        var text = File.ReadAllText(html);
        Assert.Contains("<table class=\"summary\">", text);
        Assert.Contains("<table class=\"breakdown\">", text);
        Assert.Contains("<th>stories260K</th><th>other</th>", text);
        Assert.Contains("prompt_level_strict_acc", text);
        Assert.Contains("en-de", text);
        Assert.True(pngs.Count >= 5, $"{pngs.Count} plots");
        foreach (var png in pngs)
        {
            Assert.Contains($"report_plots/{Path.GetFileName(png)}", text);
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        }
    }
}
