// The PyTorch peers of the benchmarks, set up fairly: Debian sid's current PyTorch in the chroot that bench/peers/setup-sid.sh
// builds (named pytorch_2_14 after its version), and Debian 12's python3-torch on this host (pytorch_1_13) where installed.
// Each runs with its own kernel choice (OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its environment only; OpenBLAS threads as
// it likes) and torch using as many threads as Pharos does.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pharos.Bench;

internal sealed class TorchPeer
{
    readonly bool inChroot;
    readonly string scripts;

    TorchPeer(bool inChroot, string version, string scripts)
    {
        this.inChroot = inChroot;
        this.scripts = scripts;
        Version = version;
        var parts = version.Split('.', '+');
        Name = $"pytorch_{parts[0]}_{(parts.Length > 1 ? parts[1] : "0")}";
    }

    /// <summary>pytorch_MAJOR_MINOR: the name in the benchmarks' output (pytorch_2_14_tokens_per_s=…, ratio_vs_pytorch_2_14=…).</summary>
    public string Name { get; }
    public string Version { get; }
    public string Where => inChroot ? $"Debian sid chroot {SidChroot.Root}" : "Debian 12 host";

    /// <summary>Every PyTorch peer present, current first; says which are absent and why.</summary>
    public static List<TorchPeer> Find(Action<string> say)
    {
        var peers = new List<TorchPeer>();
        if (SidChroot.Available(out var why))
        {
            var scripts = Directory.CreateDirectory(Path.Combine(SidChroot.SharedTemp, "pharos-peers")).FullName;
            foreach (var file in Directory.GetFiles(BenchPaths.Peers, "*.py")) File.Copy(file, Path.Combine(scripts, Path.GetFileName(file)), overwrite: true);
            if (TorchVersion(SidChroot.Command(["python3", "-c", VersionProbe])) is string v) peers.Add(new TorchPeer(true, v, scripts));
            else say($"current pytorch peer skipped: python3-torch does not import in {SidChroot.Root} (bash bench/peers/setup-sid.sh)");
        }
        else say($"current pytorch peer (Debian sid) skipped: {why}");
        if (PeerProcess.Available(out var hostWhy) && TorchVersion(new ProcessStartInfo(PeerProcess.Python, ["-c", VersionProbe])) is string hv)
            peers.Add(new TorchPeer(false, hv, BenchPaths.Peers));
        else say($"Debian 12 pytorch peer skipped: {(hostWhy.Length > 0 ? hostWhy : "torch does not import")}");
        foreach (var p in peers) say($"peer {p.Name}: torch {p.Version} ({p.Where}), {TorchSharp.torch.get_num_threads()} threads, own OpenBLAS kernels");
        return peers;
    }

    const string VersionProbe = "import torch, numpy; print(torch.__version__)";

    static string? TorchVersion(ProcessStartInfo psi)
    {
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        PeerProcess.SetFairThreads(psi);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? stdout.Trim() : null;
    }

    /// <summary>Where the files this peer reads must be written: under the chroot for the sid peer (the host reads them too).</summary>
    public static string? SharedFolder(IEnumerable<TorchPeer> peers) => peers.Any(p => p.inChroot) ? SidChroot.SharedTemp : null;

    /// <summary>The path the peer sees for a host path.</summary>
    public string Visible(string hostPath) => inChroot ? SidChroot.Inside(hostPath) : hostPath;

    public ProcessStartInfo Start(string script, params string[] args) => Python([Script(script), .. args]);

    /// <summary>The path this peer's python3 sees for one of the peer scripts.</summary>
    public string Script(string name) => Visible(Path.Combine(scripts, name));

    /// <summary>This peer's python3 with <paramref name="args"/> (a script, or -m and a module), in the peers' fair environment.</summary>
    public ProcessStartInfo Python(params string[] args)
    {
        var psi = inChroot ? SidChroot.Command(["python3", .. args]) : new ProcessStartInfo(PeerProcess.Python, args);
        PeerProcess.SetFairThreads(psi);
        return psi;
    }

    /// <summary>A long-lived session of <paramref name="script"/> (one command per line), started with this peer.</summary>
    public PeerSession Session(string script, params string[] args) => new(Start(script, args));
}

/// <summary>Debian 12's PyTorch on this host, and the environment every peer runs with.</summary>
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

    /// <summary>The peer's own kernel choice (the machine's OpenBLAS safety settings unset in its environment only, no cap on
    /// OpenBLAS threads: a single GEMM is threaded by OpenBLAS, not by torch) and torch's threads equal to Pharos's.</summary>
    public static void SetFairThreads(ProcessStartInfo psi)
    {
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        psi.Environment.Remove("OPENBLAS_L2_SIZE");
        psi.Environment.Remove("OPENBLAS_NUM_THREADS");
        string threads = TorchSharp.torch.get_num_threads().ToString();
        psi.Environment["OMP_NUM_THREADS"] = threads;
        psi.Environment["PEER_THREADS"] = threads;
        SetAllocator(psi);
    }

    /// <summary>PHAROS_PEER_MALLOC=tcmalloc: the peer preloads tcmalloc as Pharos does (torch.backends.xeon.run_cpu's option);
    /// by default it keeps glibc's malloc, as its users run it. The sid chroot has it at the same path (setup-sid.sh).</summary>
    public static void SetAllocator(ProcessStartInfo psi)
    {
        if (Environment.GetEnvironmentVariable("PHAROS_PEER_MALLOC") is "tcmalloc")
            psi.Environment["LD_PRELOAD"] = Pharos.Models.NativeAllocator.FindTcmalloc()
                ?? throw new InvalidOperationException("PHAROS_PEER_MALLOC=tcmalloc: no libtcmalloc_minimal.so.4 (apt-get install libtcmalloc-minimal4)");
    }

    /// <summary>Runs a peer script with Debian 12's python3 and returns the JSON object on its last stdout line.</summary>
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
        var psi = SidChroot.Command([$"PYTHONPATH={pythonPath}", "python3", $"/work/pharos-bench/{script}", .. args], root);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
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
