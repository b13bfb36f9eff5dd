// `pharos curate` through the real CLI: local run, report (HTML + PNGs), rehydrate, calibrate, decide, and one-line errors.
using Pharos.Tests;

namespace Pharos.Cli.Tests.Curation;

public sealed class CurateCommandTests
{
    [Fact]
    public void LocalRunReportRehydrateCalibrate()
    {
        using var dir = new TempDir();
        var recipe = CurateCorpus.Write(dir.Path, files: 3);
        var run = CliProcess.Run("curate", "--recipe", recipe, "--workers", "2");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("dedup: in 27, kept 25, dropped 2, quarantined 0", run.Stdout);

        var report = CliProcess.Run("curate", "report", "--recipe", recipe);
        Assert.True(report.ExitCode == 0, report.Stderr);
        var index = File.ReadAllText(Path.Combine(dir.Path, "out", "report", "index.html"));
        Assert.Contains("Drop reasons", index);
        Assert.Contains("MinHash cluster sizes", index);
        foreach (var png in new[] { "kept_by_language.png", "drop_reasons.png", "clusters_dedup.png", "lid_en.png" })
            Assert.True(new FileInfo(Path.Combine(dir.Path, "out", "report", png)).Length > 1000, png);

        var rehydrate = CliProcess.Run("curate", "rehydrate", "--recipe", recipe, "--scheme", "table", "--write-mix", Path.Combine(dir.Path, "mix"));
        Assert.True(rehydrate.ExitCode == 0, rehydrate.Stderr);
        Assert.Contains("3→3", rehydrate.Stdout); // the document found in all three files counts three times in the mix

        var sample = Directory.GetFiles(Path.Combine(dir.Path, "out", "filter", "de"))[0];
        var calibrate = CliProcess.Run("curate", "calibrate", "--language", "de", "-o", Path.Combine(dir.Path, "de.yaml"), sample);
        Assert.True(calibrate.ExitCode == 0, calibrate.Stderr);
        Assert.Contains("language: de", File.ReadAllText(Path.Combine(dir.Path, "de.yaml")));
    }

    [Fact]
    public void RecipeErrorsAreOneLine()
    {
        using var dir = new TempDir();
        var recipe = Path.Combine(dir.Path, "bad.yaml");
        File.WriteAllText(recipe, "input: {paths: [x]}\nstages: [{name: a, steps: []}]\nworkerz: 2\n");
        var run = CliProcess.Run("curate", "--recipe", recipe);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("pharos: error: ", line);
        Assert.Contains("workerz", line);
    }

    [Fact]
    public void DecideWritesEachFiltersDecisionWithDatatrovesReasons()
    {
        using var dir = new TempDir();
        var input = Path.Combine(dir.Path, "docs.jsonl");
        var german = string.Join(" ", Enumerable.Repeat("Der Hund und die Katze spielen im Garten mit einem Ball.", 12));
        File.WriteAllLines(input,
        [
            System.Text.Json.JsonSerializer.Serialize(new { id = "de1", text = german, language = "deu_Latn" }),
            System.Text.Json.JsonSerializer.Serialize(new { id = "x1", text = "zu kurz" }),
        ]);
        var output = Path.Combine(dir.Path, "decisions.jsonl");
        var run = CliProcess.Run("curate", "decide", "--input", input, "--language", "fra_Latn", "--filters", "gopher_rep,gopher_quality", "-o", output);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = File.ReadAllLines(output).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        // The repeated sentence trips the repetition filter; the quality filter alone keeps it (German stop words found).
        Assert.Equal(("de1", "gopher_rep", false), (lines[0].GetProperty("id").GetString(), lines[0].GetProperty("filter").GetString(), lines[0].GetProperty("kept").GetBoolean()));
        Assert.Equal("top_3_gram", lines[0].GetProperty("reason").GetString());
        Assert.True(lines[1].GetProperty("kept").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lines[1].GetProperty("reason").ValueKind);
        // A document without a language field takes --language.
        Assert.Equal("fra_Latn", lines[3].GetProperty("language").GetString());
        Assert.Equal("gopher_short_doc", lines[3].GetProperty("reason").GetString());

        var bad = CliProcess.Run("curate", "decide", "--input", input, "--filters", "gopher_rep,nope");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("nope", bad.Stderr);
    }
}
