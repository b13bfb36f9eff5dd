// Multi-process failures are loud and never hang: a rank that throws aborts the whole job with its own error on stderr
// (MPI_Abort), ranks given different recipes refuse to start, a world size that cannot split the global batch names the
// keys, a one-process command started by a launcher refuses, and a launch without a usable libmpi says in one line what
// to install.
using Pharos.Tests;
using Pharos.Training.Tests.Training;

namespace Pharos.Training.Tests.Distributed;

public sealed class FailureTests
{
    [MpiFact]
    [Trait("Category", "Distributed")]
    public void A_rank_that_throws_aborts_the_job_with_its_error()
    {
        // Rank 1 runs in a folder without the data file (a node that lacks it); rank 0 reads it and waits for rank 1.
        using var dir = new TempDir();
        var recipe = TinyStages.Write(dir, "cpt");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(dir.File("cpt.jsonl"), "cpt.jsonl"));
        Directory.CreateDirectory(dir.File("empty"));
        var args = new[] { "train", "--recipe", recipe, "--set", $"output={dir.File("run")}" };
        var job = MpiJob.Wait(MpiJob.StartContexts(Mpi.OpenMpi, MpiJob.Context(dir.Path, args), MpiJob.Context(dir.File("empty"), args)), minutes: 3);
        Assert.NotEqual(0, job.Code);
        Assert.Contains("pharos (rank 1 of 2): error: cpt.jsonl: data file does not exist", job.Err);
        Assert.False(File.Exists(dir.File("run/manifest.json")));
    }

    [MpiFact]
    [Trait("Category", "Distributed")]
    public void Ranks_given_different_recipes_refuse_to_start()
    {
        using var dir = new TempDir();
        var recipe = TinyStages.Write(dir, "cpt");
        var args = new[] { "train", "--recipe", recipe, "--set", $"output={dir.File("run")}" };
        var job = MpiJob.Wait(MpiJob.StartContexts(Mpi.OpenMpi, MpiJob.Context(dir.Path, args), MpiJob.Context(dir.Path, [.. args, "--set", "train.lr=1e-3"])), minutes: 3);
        Assert.NotEqual(0, job.Code);
        Assert.Contains("rank 1 of 2 was given a different recipe than rank 0", job.Err);
        Assert.False(Directory.Exists(dir.File("run/checkpoints")));
    }

    [MpiFact]
    [Trait("Category", "Distributed")]
    public void A_world_size_that_does_not_split_the_global_batch_names_the_keys()
    {
        using var dir = new TempDir();
        var recipe = TinyStages.Write(dir, "cpt");
        var job = MpiJob.Run(Mpi.OpenMpi, 2, "train", "--recipe", recipe, "--set", $"output={dir.File("run")}", "--set", "train.global_batch_size=5");
        Assert.NotEqual(0, job.Code);
        Assert.Contains("train.global_batch_size: 5 rows do not split into micro-batches of train.micro_batch_size=1 on 2 ranks", job.Err);
    }

    [MpiFact]
    [Trait("Category", "Distributed")]
    public void A_one_process_command_under_mpirun_is_refused()
    {
        // Two copies of `pharos inspect` (or quickstart, serve…) would each do the whole job into the same files.
        var job = MpiJob.Run(Mpi.OpenMpi, 2, "inspect", Pharos.Tests.RepoPaths.Samples("models", "stories260K"));
        Assert.NotEqual(0, job.Code);
        Assert.Contains("pharos inspect runs in one process, but Open MPI's mpirun started 2", job.Err);
    }

    [Fact]
    public void Without_a_usable_libmpi_one_line_says_what_to_install()
    {
        var environment = new Dictionary<string, string>
        {
            ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_RANK"] = "0", ["PHAROS_MPI_LIBRARY"] = "/nonexistent/libmpi.so",
        };
        var (code, _, stderr) = PharosProcess.Run(environment, "distributed", "check");
        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("started as rank 0 of 2 by Open MPI's mpirun, but no MPI library could be loaded (tried /nonexistent/libmpi.so", line);
        Assert.Contains("apt-get install openmpi-bin", line);
    }

    [MpiFact(Mpi.Mpich, Mpi.OpenMpi)]
    [Trait("Category", "Distributed")]
    public void A_library_that_does_not_belong_to_the_launcher_is_refused()
    {
        // Open MPI's library under MPICH's launcher would make every rank a world of its own: N copies training alone.
        var psi = new Dictionary<string, string> { ["PHAROS_MPI_LIBRARY"] = "libmpi.so.40" };
        var job = MpiJob.Wait(MpiJob.StartWithEnvironment(Mpi.Mpich, 2, psi, "distributed", "check"), minutes: 2);
        Assert.NotEqual(0, job.Code);
        Assert.Contains("libmpi.so.40 (Open MPI) sees 1 rank(s) but an MPICH-style launcher (PMI) started 2", job.Err);
    }
}
