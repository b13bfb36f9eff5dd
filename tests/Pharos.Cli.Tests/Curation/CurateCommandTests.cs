// `pharos curate` through the real CLI: local run, report (HTML + PNGs), rehydrate, calibrate, and one-line errors.
using Pharos.Tests;

namespace Pharos.Cli.Tests.Curation;

public sealed class CurateCommandTests
{
    [Fact]
    public void LocalRunReportRehydrateCalibrate()
    {
        using var dir = new TempDir();
        var recipe = CurateCorpus.Write(dir.Path, files: 3);
        var run = PharosProcess.Run(dir.Path, "curate", "--recipe", recipe, "--workers", "2");
        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("dedup: in 27, kept 25, dropped 2, quarantined 0", run.Output);

        var report = PharosProcess.Run(dir.Path, "curate", "report", "--recipe", recipe);
        Assert.True(report.Code == 0, report.Error);
        var index = File.ReadAllText(Path.Combine(dir.Path, "out", "report", "index.html"));
        Assert.Contains("Drop reasons", index);
        Assert.Contains("MinHash cluster sizes", index);
        foreach (var png in new[] { "kept_by_language.png", "drop_reasons.png", "clusters_dedup.png", "lid_en.png" })
            Assert.True(new FileInfo(Path.Combine(dir.Path, "out", "report", png)).Length > 1000, png);

        var rehydrate = PharosProcess.Run(dir.Path, "curate", "rehydrate", "--recipe", recipe, "--scheme", "table", "--write-mix", Path.Combine(dir.Path, "mix"));
        Assert.True(rehydrate.Code == 0, rehydrate.Error);
        Assert.Contains("3→3", rehydrate.Output); // the document found in all three files counts three times in the mix

        var sample = Directory.GetFiles(Path.Combine(dir.Path, "out", "filter", "de"))[0];
        var calibrate = PharosProcess.Run(dir.Path, "curate", "calibrate", "--language", "de", "-o", Path.Combine(dir.Path, "de.yaml"), sample);
        Assert.True(calibrate.Code == 0, calibrate.Error);
        Assert.Contains("language: de", File.ReadAllText(Path.Combine(dir.Path, "de.yaml")));
    }

    [Fact]
    public void RecipeErrorsAreOneLine()
    {
        using var dir = new TempDir();
        var recipe = Path.Combine(dir.Path, "bad.yaml");
        File.WriteAllText(recipe, "input: {paths: [x]}\nstages: [{name: a, steps: []}]\nworkerz: 2\n");
        var run = PharosProcess.Run(dir.Path, "curate", "--recipe", recipe);
        Assert.Equal(1, run.Code);
        var line = Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("pharos: error: ", line);
        Assert.Contains("workerz", line);
    }
}
