// `pharos curate --executor slurm` against a real single-node Slurm (tests/run.sh starts it and sets PHAROS_SLURM_TEST=1).
using Pharos.Tests;
using Xunit.Abstractions;

namespace Pharos.Cli.Tests.Curation;

public sealed class CurateSlurmTests(ITestOutputHelper output)
{
    [SlurmFact]
    public void MultiStageRunOnSlurmEndToEnd()
    {
        // Shared folder: Slurm jobs run as separate processes on this node and must see the files.
        using var dir = new TempDir();
        // 4 inputs with MaxArraySize 3: every 4-task stage is split into two arrays (tasks 0..1 and 2..3).
        var recipe = CurateCorpus.Write(dir.Path, files: 4, maxArraySize: 3);
        var run = CliProcess.Run("curate", "--recipe", recipe, "--executor", "slurm", "--wait", "--wait-timeout", "150");
        output.WriteLine(run.Stdout + run.Stderr);
        var logs = Path.Combine(dir.Path, "out", "_slurm", "logs");
        if (run.ExitCode != 0 && Directory.Exists(logs))
            foreach (var log in Directory.GetFiles(logs).Order())
                output.WriteLine($"== {Path.GetFileName(log)}\n{File.ReadAllText(log)}");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("extract: submitted job", run.Stdout);
        Assert.Contains("(tasks 2..3)", run.Stdout);
        var stats = File.ReadAllText(Path.Combine(dir.Path, "out", "dedup", "stats.json"));
        Assert.Contains("\"dropped\": 3", stats); // the document repeated in 4 files is kept once
        Assert.Contains("\"balanced\": true", File.ReadAllText(Path.Combine(dir.Path, "out", "filter", "stats.json")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "_slurm", "dedup.buckets_0.sbatch")));

        // Resubmitting a finished run submits nothing.
        var again = CliProcess.Run("curate", "--recipe", recipe, "--executor", "slurm");
        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("submitted job", again.Stdout);
    }
}
