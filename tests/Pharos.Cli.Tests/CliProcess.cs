// Runs the real `pharos` command (the built pharos.dll) as a child process and captures its output and exit code.
using System.Diagnostics;

namespace Pharos.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

internal static class CliProcess
{
    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "pharos.dll");

    public static CliResult Run(params string[] args) => RunWithInput(null, args);

    public static CliResult RunWithInput(string? stdin, params string[] args) => Start(stdin, new Dictionary<string, string>(), args);

    /// <summary>With extra environment variables (e.g. PHAROS_THREADS=1 to match the quickstart's arithmetic).</summary>
    public static CliResult RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) => Start(null, environment, args);

    /// <summary>Starts pharos without waiting (its output is read and dropped), for tests that kill it midway.</summary>
    public static Process StartUnattended(params string[] args)
    {
        var p = Process.Start(Info(false, new Dictionary<string, string>(), args))!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    static ProcessStartInfo Info(bool stdin, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
        };
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        return psi;
    }

    static CliResult Start(string? stdin, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var psi = Info(stdin is not null, environment, args);
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"pharos {string.Join(' ', args)} did not finish");
        }
        return new CliResult(p.ExitCode, stdout, stderr.Result);
    }
}
