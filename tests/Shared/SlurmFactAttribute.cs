// A test that needs the real single-node Slurm tests/run.sh starts (it sets PHAROS_SLURM_TEST=1); elsewhere it is
// reported as skipped, not passed.
namespace Pharos.Tests;

public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PHAROS_SLURM_TEST") != "1")
            Skip = "no Slurm started (tests/run.sh starts one and sets PHAROS_SLURM_TEST=1)";
    }
}
