// Resuming a multi-process run with the optimizer state sharded: the whole job killed with SIGKILL after its step-10
// checkpoint and resumed on the same 2 ranks gives the same losses and bit-identical weights as the uninterrupted job;
// the same checkpoint (full tensors) resumed on 3 ranks continues within 1e-5 of it.
using Pharos.Tests;
using Pharos.Training.Tests.Training;

namespace Pharos.Training.Tests.Distributed;

public sealed class ResumeTests
{
    [MpiFact]
    [Trait("Category", "Distributed")]
    public void Killed_sharded_job_resumes_exactly_and_on_another_world_size()
    {
        using var dir = new TempDir();
        var recipe = TinyStages.Write(dir, "cpt", ", shard_optimizer: true, bucket_mb: 0.05");
        string[] Train(string output, params string[] extra) => ["train", "--recipe", recipe, "--set", $"output={output}", .. extra];

        var straight = MpiJob.Run(Mpi.OpenMpi, 2, Train(dir.File("straight")));
        Assert.True(straight.Code == 0, straight.All);

        var killed = dir.File("killed");
        // SIGKILL to mpirun and every rank: no cleanup runs anywhere.
        using (var job = MpiJob.Start(Mpi.OpenMpi, 2, Train(killed)))
            PharosProcess.KillWhenWritten(job, Path.Combine(killed, "checkpoints", "checkpoint-10", "trainer_state.json"));
        Assert.False(File.Exists(Path.Combine(killed, "manifest.json")), "the killed job must not have finished");

        var resumed = MpiJob.Run(Mpi.OpenMpi, 2, Train(killed, "--resume"));
        Assert.True(resumed.Code == 0, resumed.All);
        Assert.Contains("resumed from", resumed.Out);
        Assert.Equal(TinyStages.Metric(dir.File("straight")), TinyStages.Metric(killed));
        Assert.Equal(File.ReadAllBytes(TinyStages.Weights(dir.File("straight"))), File.ReadAllBytes(TinyStages.Weights(killed)));

        // Checkpoints hold full tensors: 3 ranks shard the same state their own way and continue the run.
        var wider = dir.File("wider");
        var three = MpiJob.Run(Mpi.OpenMpi, 3, Train(wider, "--resume", Path.Combine(killed, "checkpoints", "checkpoint-10")));
        Assert.True(three.Code == 0, three.All);
        var expected = new SortedDictionary<int, double>(TinyStages.Metric(dir.File("straight")).Where(p => p.Key > 10).ToDictionary());
        TinyStages.AssertSameValues(expected, TinyStages.Metric(wider), 1e-5, "train/loss after resuming on 3 ranks");
        TinyStages.AssertCloseWeights(TinyStages.Weights(dir.File("straight")), TinyStages.Weights(wider), 1e-5);
    }
}
