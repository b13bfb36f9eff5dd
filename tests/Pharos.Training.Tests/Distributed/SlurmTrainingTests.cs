// configs/slurm/pharos.sbatch submitted to the real single-node Slurm that tests/run.sh starts: a 2-task job whose ranks
// srun starts with --mpi=pmix (Open MPI through PMIx) trains a stage equal to one process's run.
using System.Diagnostics;
using Pharos.Tests;
using Pharos.Training.Tests.Training;
using Xunit.Abstractions;

namespace Pharos.Training.Tests.Distributed;

public sealed class SlurmTrainingTests(ITestOutputHelper log)
{
    [SlurmFact]
    [Trait("Category", "Distributed")]
    public void Two_task_sbatch_job_trains_like_one_process()
    {
        Assert.True(MpiJob.Installed(Mpi.OpenMpi), "tests/run.sh installs openmpi-bin with Slurm");
        using var dir = new TempDir();
        var recipe = TinyStages.Write(dir, "cpt");
        var (code, stdout, stderr) = PharosProcess.Run("train", "--recipe", recipe, "--set", $"output={dir.File("single")}");
        Assert.True(code == 0, stdout + stderr);

        var script = Path.Combine(RepoPaths.Root, "configs", "slurm", "pharos.sbatch");
        var info = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        foreach (var a in new[] { "--wait", "--nodes=1", "--ntasks-per-node=2", "--cpus-per-task=1", "--time=15", $"--output={dir.File("job.out")}",
                     script, "train", "--recipe", recipe, "--set", $"output={dir.File("slurm")}" })
            info.ArgumentList.Add(a);
        info.Environment["PHAROS"] = $"dotnet {PharosProcess.Dll}";
        var job = MpiJob.Wait(Process.Start(info)!, minutes: 8);
        var output = File.Exists(dir.File("job.out")) ? File.ReadAllText(dir.File("job.out")) : "";
        log.WriteLine(job.All + output);
        Assert.True(job.Code == 0, job.All + output);
        Assert.Contains("2 ranks (MPI (Open MPI", output);
        Assert.Equal(2, (int)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("slurm/manifest.json")))!["ranks"]!);
        TinyStages.AssertSameValues(TinyStages.Metric(dir.File("single")), TinyStages.Metric(dir.File("slurm")), 1e-5, "train/loss under Slurm");
        TinyStages.AssertCloseWeights(TinyStages.Weights(dir.File("single")), TinyStages.Weights(dir.File("slurm")), 1e-5);
    }
}
