// Runs the real `pharos` CLI (built next to this test project) as a child process, for tests that need a process to kill.
using System.Diagnostics;
using Pharos.Tests;

namespace Pharos.Training.Tests.Training;

internal static class PharosProcess
{
    public static string Dll
    {
        get
        {
            // Same configuration as the tests (bin/Release/… or bin/Debug/…).
            var config = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(RepoPaths.Root, "src", "Pharos.Cli", "bin", config, "net10.0", "pharos.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build src/Pharos.Cli first", path);
        }
    }

    /// <summary>What `pharos` reports as its allocator here: the installed tcmalloc, which it preloads (named by the versioned file
    /// that libtcmalloc_minimal.so.4 links to, as the process maps it), or glibc's malloc where there is none.</summary>
    public static string ExpectedAllocator => Pharos.Models.NativeAllocator.FindTcmalloc() is { } tcmalloc
        ? $"tcmalloc ({File.ResolveLinkTarget(tcmalloc, returnFinalTarget: true)?.FullName ?? tcmalloc})"
        : "glibc malloc";

    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <param name="environment">extra environment variables for the child</param>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        // One libtorch thread: on a shared, busy machine two spinning OpenMP threads make tiny steps 50x slower.
        info.Environment["OMP_NUM_THREADS"] = "1";
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        return process;
    }

    /// <returns>exit code, stdout, stderr</returns>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <returns>exit code, stdout, stderr</returns>
    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); throw new TimeoutException("pharos did not finish in 3 minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Kills the process and all its children with SIGKILL (no cleanup code runs anywhere) as soon as
    /// <paramref name="marker"/> exists, e.g. a checkpoint's trainer_state.json; fails if the process ended first.</summary>
    public static void KillWhenWritten(Process p, string marker, int minutes = 3)
    {
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        while (!File.Exists(marker) && !p.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.False(p.HasExited, "the run finished before it could be killed");
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
    }
}
