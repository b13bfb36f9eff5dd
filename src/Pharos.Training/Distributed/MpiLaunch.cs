// How this process was started, read from the environment the launcher sets: Open MPI's mpirun (OMPI_COMM_WORLD_*),
// srun (SLURM_STEP_NUM_TASKS, SLURM_PROCID; PMIX_RANK under --mpi=pmix) or an MPICH-style PMI launcher (PMI_SIZE,
// PMI_RANK: mpirun.mpich / mpiexec.hydra, srun --mpi=pmi2) — and which MPI libraries fit that launcher, best first.
namespace Pharos.Training.Distributed;

/// <param name="Launcher">in words, for messages</param>
/// <param name="Libraries">file names to try, best first (PHAROS_MPI_LIBRARY, when set, is the only one)</param>
public sealed record MpiLaunch(string Launcher, int Rank, int Size, IReadOnlyList<string> Libraries)
{
    public const string LibraryVariable = "PHAROS_MPI_LIBRARY";

    static readonly string[] OpenMpi = ["libmpi.so.40", "libmpi.so"];
    static readonly string[] Mpich = ["libmpich.so.12", "libmpi.so.12", "libmpi.so"];

    /// <returns>null when no launcher started several processes (a plain `pharos train`, mpirun -np 1, srun -n 1)</returns>
    public static MpiLaunch? Detect(Func<string, string?> environment)
    {
        MpiLaunch? found = null;
        if (Int(environment, "OMPI_COMM_WORLD_SIZE") is int ompiSize)
            found = new("Open MPI's mpirun", Int(environment, "OMPI_COMM_WORLD_RANK") ?? 0, ompiSize, OpenMpi);
        else if (Int(environment, "SLURM_STEP_NUM_TASKS") is int slurmSize && environment("SLURM_PROCID") is not null)
        {
            // srun --mpi=pmix suits Open MPI (and MPICH built with PMIx); --mpi=pmi2 suits MPICH. Without either, no MPI
            // library can find its peers: the size check after MPI_Init says so.
            bool pmix = environment("PMIX_RANK") is not null, pmi2 = environment("PMI_FD") is not null || environment("PMI_SIZE") is not null;
            var how = pmix ? "srun --mpi=pmix" : pmi2 ? "srun --mpi=pmi2" : "srun without --mpi=pmix or --mpi=pmi2";
            found = new(how, Int(environment, "SLURM_PROCID") ?? 0, slurmSize, pmix ? [.. OpenMpi, .. Mpich] : [.. Mpich, .. OpenMpi]);
        }
        else if (Int(environment, "PMI_SIZE") is int pmiSize)
            found = new("an MPICH-style launcher (PMI)", Int(environment, "PMI_RANK") ?? 0, pmiSize, Mpich);
        if (found is null || found.Size <= 1) return null;
        return environment(LibraryVariable) is { Length: > 0 } chosen ? found with { Libraries = [chosen] } : found;
    }

    static int? Int(Func<string, string?> environment, string name) => int.TryParse(environment(name), out var value) ? value : null;
}
