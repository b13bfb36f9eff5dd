// The process group this process belongs to: MPI when a launcher started several ranks (mpirun, srun), else one process.
namespace Pharos.Training.Distributed;

public static class ProcessGroups
{
    public static IProcessGroup FromEnvironment() =>
        MpiLaunch.Detect(Environment.GetEnvironmentVariable) is { } launch ? MpiProcessGroup.Start(launch) : SingleProcessGroup.Instance;
}
