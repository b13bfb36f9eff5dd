// Runs one measurement in a fresh copy of this benchmark process, so its peak RSS is its own (a process's freed heap stays
// resident, which would hide the next measurement's growth); the probe's last stdout line is JSON.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pharos.Bench;

internal static class SelfProbe
{
    public static JsonObject Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    public static JsonObject Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // Under `dotnet run` this process is the apphost (no dll argument); under `dotnet Pharos.Bench.dll` it is dotnet.
        var host = Environment.ProcessPath!;
        string[] hostArgs = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(SelfProbe).Assembly.Location, .. args] : args;
        var psi = new ProcessStartInfo(host, hostArgs) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"probe {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return (JsonObject)JsonNode.Parse(last)!;
    }

    /// <summary>Peak resident memory of this process so far (VmHWM), in MB.</summary>
    public static double PeakRssMb() => Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;

    public static double RssMb()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64 / 1e6;
    }

    /// <summary>This process's minor page faults so far (field 10 of /proc/self/stat): pages touched for the first time.</summary>
    public static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7]);
    }
}
