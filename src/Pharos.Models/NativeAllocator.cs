// libtorch takes every CPU tensor from malloc and frees it when the tensor dies, so a training step allocates and frees
// its activations (megabytes each) hundreds of times. glibc's malloc hands large blocks back to the kernel (above its mmap
// threshold, or when the top of the heap is trimmed) and the next step faults the pages in and zeroes them again; with the
// threshold raised it keeps them, but holds GBs more at its peak. tcmalloc keeps freed pages in its own cache and reuses them.
// Measured on the 2-core AMD EPYC (2026-12-07, bench/Pharos.Bench), with glibc's fixed 1 MB threshold against tcmalloc:
// SparseLoRA's 8B-shaped sparse step 39–52 s → 32–34 s at the same ~17.7 GB peak (on 4 layers of those widths, 1.1M →
// ~10k minor faults a step); the ~110M LoRA bf16 step 597–629 → 661–674 tokens/s at 1.79 GB against 1.97 GB. It is what
// PyTorch's own CPU launcher (torch.backends.xeon.run_cpu) and Intel's tuning guide preload for the same reason.
// A preload has to be in the environment when the process starts, so `pharos` re-executes itself once, with the same
// command line and pid (execve), when tcmalloc is installed; PHAROS_MALLOC=system keeps glibc, PHAROS_MALLOC=/path/lib.so
// preloads another allocator, and a user's own LD_PRELOAD is left alone.
using System.Runtime.InteropServices;
using Pharos.Models.Errors;

namespace Pharos.Models;

public static partial class NativeAllocator
{
    public const string ChoiceVariable = "PHAROS_MALLOC";
    /// <summary>Set on the re-executed process (the library it preloaded); removed again at once, so that children decide for themselves.</summary>
    public const string PreloadedVariable = "PHAROS_MALLOC_PRELOADED";

    static readonly string[] TcmallocNames = ["libtcmalloc_minimal.so.4", "libtcmalloc.so.4"];
    static readonly string[] LibraryFolders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];
    static readonly string[] KnownAllocators = ["tcmalloc", "jemalloc", "mimalloc"];

    /// <summary>
    /// Re-executes this process with the chosen allocator preloaded, if one should be and is not yet; returns (having changed
    /// nothing) otherwise, or if the execve fails. Call first thing in Main: the process image is replaced, so nothing done before
    /// it survives. In the re-executed process it removes the preload from the environment its children inherit.
    /// </summary>
    public static void PreloadByReexec()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable(PreloadedVariable) is { Length: > 0 })
        {
            // The preload is in effect for this process; the commands it starts (python peers, llama.cpp, a chroot) get the
            // environment they had before, and a `pharos` among them re-executes itself.
            Unset("LD_PRELOAD");
            Unset(PreloadedVariable);
            return;
        }
        if (Environment.GetEnvironmentVariable("LD_PRELOAD") is { Length: > 0 }) return;
        if (Chosen(Environment.GetEnvironmentVariable(ChoiceVariable)) is not { } library) return;
        string[] argv;
        try { argv = File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.None)[..^1]; }
        catch (IOException) { return; }
        if (argv.Length == 0 || Environment.ProcessPath is not { } exe) return;
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        environment["LD_PRELOAD"] = library;
        environment[PreloadedVariable] = library;
        // gperftools reports every allocation over 1 GB on stderr (an 8B model's embedding is one); a user's setting is kept.
        environment.TryAdd("TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD", "1099511627776");
        Execve(exe, [.. argv, null], [.. environment.Select(e => $"{e.Key}={e.Value}"), null]);
        // Only reached when execve failed: carry on with the allocator this process has.
    }

    /// <summary>The library PHAROS_MALLOC asks for: null for system/glibc/none; a path as given; unset: the installed tcmalloc
    /// (null when there is none); tcmalloc: the installed one, an error when there is none.</summary>
    public static string? Chosen(string? choice) => choice?.Trim().ToLowerInvariant() switch
    {
        "system" or "glibc" or "none" or "off" => null,
        null or "" => FindTcmalloc(),
        "tcmalloc" => FindTcmalloc() ?? throw new PharosException(
            $"{ChoiceVariable}=tcmalloc: no libtcmalloc_minimal.so.4 in {string.Join(", ", LibraryFolders)} (apt-get install libtcmalloc-minimal4)"),
        _ when File.Exists(choice) => Path.GetFullPath(choice),
        _ => throw new PharosException($"{ChoiceVariable}={choice}: not 'tcmalloc', 'system' or the path of an allocator library that exists"),
    };

    public static string? FindTcmalloc() =>
        LibraryFolders.SelectMany(folder => TcmallocNames.Select(name => Path.Combine(folder, name))).FirstOrDefault(File.Exists);

    /// <summary>The allocator of this process, as one phrase for logs and headers: the known allocator library mapped into it
    /// (tcmalloc, jemalloc, mimalloc), e.g. "tcmalloc (/usr/lib/…/libtcmalloc_minimal.so.4.5.10)", or "glibc malloc".</summary>
    public static string Describe() => Mapped() is { } mapped ? $"{mapped.Name} ({mapped.Path})" : "glibc malloc";

    /// <summary>The first known allocator library in /proc/self/maps, with which one it is.</summary>
    static (string Name, string Path)? Mapped()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            var file = Path.GetFileName(path);
            if (KnownAllocators.FirstOrDefault(a => file.StartsWith("lib" + a, StringComparison.Ordinal)) is { } name) return (name, path);
        }
        return null;
    }

    static void Unset(string name)
    {
        Environment.SetEnvironmentVariable(name, null);
        _ = UnsetNative(name);
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetNative(string name);
}
