// Runs the built `pharos` (dotnet pharos.dll …) as a child process and captures its exit code and output.
using System.Diagnostics;

namespace Pharos.Cli.Tests.Curation;

internal static class PharosProcess
{
    public static string Dll => typeof(Pharos.Cli.Commands.CurateCommand).Assembly.Location;

    public static (int Code, string Output, string Error) Run(string workingDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"pharos {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, output.Result, error.Result);
    }
}
