// Runs the real `pharos` under a real MPI launcher: Open MPI's mpirun.openmpi (--allow-run-as-root for CI's root,
// --oversubscribe for more ranks than cores) or MPICH's mpirun.mpich, each finding its own libmpi; one libtorch/OpenMP
// thread per rank. Debian installs both launchers side by side (tests/run.sh installs them).
using System.Diagnostics;
using Pharos.Training.Tests.Training;

namespace Pharos.Training.Tests.Distributed;

public enum Mpi { OpenMpi, Mpich }

internal sealed record JobResult(int Code, string Out, string Err)
{
    public string All => Out + Err;
}

internal static class MpiJob
{
    public static string Launcher(Mpi mpi) => mpi == Mpi.OpenMpi ? "/usr/bin/mpirun.openmpi" : "/usr/bin/mpirun.mpich";

    public static bool Installed(Mpi mpi) => File.Exists(Launcher(mpi));

    static IEnumerable<string> LauncherOptions(Mpi mpi) => mpi == Mpi.OpenMpi ? ["--allow-run-as-root", "--oversubscribe"] : [];

    /// <summary>mpirun -np <paramref name="ranks"/> pharos ARGS…</summary>
    public static Process Start(Mpi mpi, int ranks, params string[] pharosArgs) => StartWithEnvironment(mpi, ranks, new Dictionary<string, string>(), pharosArgs);

    /// <param name="environment">extra variables every rank inherits from the launcher</param>
    public static Process StartWithEnvironment(Mpi mpi, int ranks, IReadOnlyDictionary<string, string> environment, params string[] pharosArgs) =>
        StartRaw(mpi, [.. LauncherOptions(mpi), "-np", ranks.ToString(), "dotnet", PharosProcess.Dll, .. pharosArgs], environment);

    /// <summary>Several application contexts (MPMD: `A : B`), e.g. ranks with different working folders or arguments.</summary>
    public static Process StartContexts(Mpi mpi, params string[][] contexts) =>
        StartRaw(mpi, [.. LauncherOptions(mpi), .. contexts.SelectMany((c, i) => i == 0 ? c : [":", .. c])], new Dictionary<string, string>());

    /// <summary>One application context of <see cref="StartContexts"/>: one rank in <paramref name="workingFolder"/>.</summary>
    public static string[] Context(string workingFolder, params string[] pharosArgs) =>
        ["-np", "1", "-wdir", workingFolder, "dotnet", PharosProcess.Dll, .. pharosArgs];

    static Process StartRaw(Mpi mpi, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(Launcher(mpi)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        // Local ranks inherit the launcher's environment: one thread per rank, no colour codes.
        info.Environment["OMP_NUM_THREADS"] = "1";
        info.Environment["NO_COLOR"] = "1";
        info.Environment["TERM"] = "dumb";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    public static JobResult Run(Mpi mpi, int ranks, params string[] pharosArgs) => Wait(Start(mpi, ranks, pharosArgs));

    public static JobResult Wait(Process p, int minutes = 5)
    {
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(minutes)))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"the MPI job did not finish in {minutes} minutes (a hang): {stderr.Result}");
            }
            return new JobResult(p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}

/// <summary>Needs the named MPI launchers (tests/run.sh installs openmpi-bin and mpich); skipped, not passed, without them.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute(params Mpi[] needs)
    {
        foreach (var mpi in needs.Length == 0 ? [Mpi.OpenMpi] : needs)
            if (!MpiJob.Installed(mpi)) Skip = $"{MpiJob.Launcher(mpi)} is not installed (tests/run.sh installs openmpi-bin and mpich)";
    }
}
