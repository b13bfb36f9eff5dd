// The process group on both MPI ABIs with real launchers: `pharos distributed check` runs every collective (float32,
// bfloat16 in float32, mean, float64, int64, non-contiguous, 3M elements, bit-exact broadcast, all-gather, reduce-scatter,
// the Trainer's gradient sum in place and in buckets, barrier) on each rank; the launcher's environment picks the
// library that belongs to it.
using Pharos.Training.Distributed;
using Pharos.Training.Tests.Training;

namespace Pharos.Training.Tests.Distributed;

public sealed class CollectiveTests
{
    static void AssertEveryRankPassed(JobResult job, int ranks, string abi)
    {
        Assert.True(job.Code == 0, job.All);
        Assert.Contains($"process group: MPI ({abi}", job.Out);
        for (int r = 0; r < ranks; r++)
        {
            Assert.Contains($"rank {r} of {ranks} (local rank {r} on {Environment.MachineName}): 15 collectives ok", job.Out);
            // Every rank re-executed itself with tcmalloc under the launcher (same pid, so the MPI library still finds its rank).
            Assert.Contains($"rank {r} of {ranks}: allocator {PharosProcess.ExpectedAllocator}\n", job.Out);
        }
    }

    [MpiFact(Mpi.OpenMpi)]
    [Trait("Category", "Distributed")]
    public void Open_mpi_three_ranks_pass_every_collective() => AssertEveryRankPassed(MpiJob.Run(Mpi.OpenMpi, 3, "distributed", "check"), 3, "Open MPI");

    [MpiFact(Mpi.Mpich)]
    [Trait("Category", "Distributed")]
    public void Mpich_two_ranks_pass_every_collective() => AssertEveryRankPassed(MpiJob.Run(Mpi.Mpich, 2, "distributed", "check"), 2, "MPICH ABI");

    [Fact]
    public void One_process_needs_no_mpi()
    {
        var (code, stdout, stderr) = PharosProcess.Run("distributed", "check");
        Assert.True(code == 0, stderr);
        Assert.Contains("process group: single process", stdout);
        Assert.Contains("rank 0 of 1", stdout);
    }

    [Fact]
    public void The_launcher_environment_names_the_rank_the_size_and_the_libraries_that_fit()
    {
        MpiLaunch? Detect(params (string Key, string Value)[] env) => MpiLaunch.Detect(k => env.FirstOrDefault(e => e.Key == k).Value);

        var ompi = Detect(("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_RANK", "2"))!;
        Assert.Equal((2, 4, "libmpi.so.40"), (ompi.Rank, ompi.Size, ompi.Libraries[0]));
        var hydra = Detect(("PMI_SIZE", "2"), ("PMI_RANK", "1"))!;
        Assert.Equal((1, 2, "libmpich.so.12"), (hydra.Rank, hydra.Size, hydra.Libraries[0]));
        var pmix = Detect(("SLURM_STEP_NUM_TASKS", "8"), ("SLURM_PROCID", "5"), ("PMIX_RANK", "5"))!;
        Assert.Equal((5, 8, "libmpi.so.40", "srun --mpi=pmix"), (pmix.Rank, pmix.Size, pmix.Libraries[0], pmix.Launcher));
        var pmi2 = Detect(("SLURM_STEP_NUM_TASKS", "2"), ("SLURM_PROCID", "0"), ("PMI_SIZE", "2"))!;
        Assert.Equal("libmpich.so.12", pmi2.Libraries[0]);
        Assert.Equal(["/opt/mpi/lib/libmpi.so"], Detect(("OMPI_COMM_WORLD_SIZE", "2"), ("PHAROS_MPI_LIBRARY", "/opt/mpi/lib/libmpi.so"))!.Libraries);
        // One process (plain run, mpirun -np 1, an sbatch script without srun) needs no MPI at all.
        Assert.Null(Detect());
        Assert.Null(Detect(("OMPI_COMM_WORLD_SIZE", "1")));
        Assert.Null(Detect(("SLURM_NTASKS", "2")));
    }

    [Fact]
    public void Cuda_without_an_index_means_one_gpu_per_local_rank()
    {
        Assert.Equal("cuda:1", RankDevice.For(new TorchSharp.torch.Device("cuda"), 1).ToString());
        Assert.Equal("cuda:0", RankDevice.For(new TorchSharp.torch.Device("cuda:0"), 3).ToString());
        Assert.Equal("cpu", RankDevice.For(TorchSharp.torch.CPU, 2).ToString());
    }
}
