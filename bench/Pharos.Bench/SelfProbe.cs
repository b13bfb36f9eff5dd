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

    /// <summary>A probe's environment for glibc's malloc instead of the tcmalloc `pharos` preloads, with a fixed mmap threshold
    /// when given: glibc raises its threshold as large blocks are freed and then keeps such blocks in its heap, so a fixed one
    /// makes RSS follow the live tensors (and bounds the peak, as configs/memory/llama3-8b-lora.yaml asks without tcmalloc).</summary>
    public static Dictionary<string, string> GlibcMalloc(long? mmapThreshold)
    {
        var environment = new Dictionary<string, string> { [Pharos.Models.NativeAllocator.ChoiceVariable] = "system" };
        if (mmapThreshold is { } bytes) environment["MALLOC_MMAP_THRESHOLD_"] = bytes.ToString();
        return environment;
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
