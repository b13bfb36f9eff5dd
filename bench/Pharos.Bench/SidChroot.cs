// The Debian sid chroot that holds the benchmarks' current peers (PyTorch 2.x, llama.cpp), built by bench/peers/setup-sid.sh:
// where it is, whether it is usable, how host paths look inside it, and how to start a command in it with the peers' fair
// environment (the machine's OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE safety settings unset, so OpenBLAS picks its own kernels).
using System.Diagnostics;

namespace Pharos.Bench;

internal static class SidChroot
{
    /// <summary>$PHAROS_SID_CHROOT, default /tmp/hfref (the path setup-sid.sh uses).</summary>
    public static string Root => Environment.GetEnvironmentVariable("PHAROS_SID_CHROOT") is { Length: > 0 } root ? root : "/tmp/hfref";

    /// <summary>A folder under the chroot's /tmp: files a peer reads (models, ids, scripts) go here; the host reads them too.</summary>
    public static string SharedTemp => Path.Combine(Root, "tmp");

    public static bool Available(out string why)
    {
        why = "";
        if (!File.Exists(Path.Combine(Root, "usr", "bin", "python3")))
            why = $"no Debian sid chroot at {Root} (bash bench/peers/setup-sid.sh builds it)";
        else if (!File.Exists(Path.Combine(Root, "proc", "self", "status")))
            why = $"proc is not mounted in {Root} (bash bench/peers/setup-sid.sh mounts it)";
        else if (Environment.UserName != "root")
            why = "entering the chroot needs root";
        return why.Length == 0;
    }

    /// <summary>The path inside the chroot of a host path under it.</summary>
    public static string Inside(string hostPath) => "/" + Path.GetRelativePath(Root, Path.GetFullPath(hostPath));

    /// <summary>chroot ROOT env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE COMMAND… (ROOT: <paramref name="root"/>, else <see cref="Root"/>;
    /// the command may start with VAR=value settings).</summary>
    public static ProcessStartInfo Command(IEnumerable<string> command, string? root = null) =>
        new("chroot", [root ?? Root, "env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", .. command]);
}
