// Runs a peer script (bench/peers) with Debian's python3 and PyTorch set up fairly: OpenBLAS single-threaded under torch's 2 threads.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pharos.Bench;

internal static class PeerProcess
{
    public const string Python = "/usr/bin/python3";

    public static bool Available(out string why)
    {
        why = "";
        if (!File.Exists(Python)) { why = $"{Python} not found"; return false; }
        var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, numpy"]) { RedirectStandardError = true })!;
        check.WaitForExit();
        if (check.ExitCode != 0) { why = "Debian's python3-torch is not installed (apt-get install -y python3-torch python3-numpy libopenblas0-pthread)"; return false; }
        return true;
    }

    /// <summary>torch's intra-op threads = cores, OpenBLAS single-threaded under them (else ~5x slower).</summary>
    public static void SetFairThreads(ProcessStartInfo psi)
    {
        psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
        psi.Environment["OMP_NUM_THREADS"] = Environment.ProcessorCount.ToString();
        psi.Environment["PEER_THREADS"] = Environment.ProcessorCount.ToString();
    }

    /// <summary>Runs the script and returns the JSON object on its last stdout line.</summary>
    public static JsonObject Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Python, [Path.Combine(BenchPaths.Peers, script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        SetFairThreads(psi);
        return Finish(script, psi);
    }

    /// <summary>
    /// Runs the script with the python3 of a reference chroot (shared/reference-stack.md), from a copy under its work/ folder;
    /// <paramref name="pythonPath"/> is as seen inside the chroot. Arguments that are files must already lie inside it.
    /// </summary>
    public static JsonObject RunInChroot(string root, string script, string pythonPath, params string[] args)
    {
        var inside = Path.Combine(root, "work", "pharos-bench");
        Directory.CreateDirectory(inside);
        File.Copy(Path.Combine(BenchPaths.Peers, script), Path.Combine(inside, script), overwrite: true);
        var psi = new ProcessStartInfo("chroot", [root, "env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", $"PYTHONPATH={pythonPath}",
            "python3", $"/work/pharos-bench/{script}", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        SetFairThreads(psi);
        return Finish(script, psi);
    }

    static JsonObject Finish(string script, ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"peer {script} failed ({p.ExitCode}): {stderr.Result}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return (JsonObject)JsonNode.Parse(last)!;
    }
}

internal static class BenchPaths
{
    public static string Root { get; } = FindRoot();
    public static string Peers => Path.Combine(Root, "bench", "peers");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pharos.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
