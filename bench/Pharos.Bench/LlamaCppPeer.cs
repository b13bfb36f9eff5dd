// llama.cpp as a peer, from the Debian sid chroot that bench/peers/setup-sid.sh (or ../shared/reference-stack.md) builds:
// the bench model converted to GGUF by llama.cpp's own converter, llama-batched-bench for decoding and llama-server for
// serving. Peers run with the machine's OpenBLAS safety settings unset and the same thread count as Pharos.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pharos.Bench;

internal static class LlamaCppPeer
{
    public const string Chroot = "/tmp/hfref";

    /// <summary>A folder the chroot sees (as /tmp/…), for the model the converter reads and the GGUF files.</summary>
    public static string SharedTemp => Path.Combine(Chroot, "tmp");

    public static bool Available(out string why)
    {
        why = "";
        foreach (var binary in new[] { "llama-batched-bench", "llama-server" })
            if (!File.Exists(Path.Combine(Chroot, "usr/bin", binary)))
            {
                why = $"{Chroot}/usr/bin/{binary} not found (build the Debian sid chroot: see ../shared/reference-stack.md)";
                return false;
            }
        if (!File.Exists(Path.Combine(Chroot, "proc/self/status")))
        {
            why = $"proc is not mounted in {Chroot} (mount -t proc proc {Chroot}/proc)";
            return false;
        }
        return true;
    }

    /// <summary>The path inside the chroot of a host path under it.</summary>
    public static string Inside(string hostPath) => "/" + Path.GetRelativePath(Chroot, hostPath);

    /// <summary>Writes the SentencePiece tokenizer and converts the model (a folder under <see cref="SharedTemp"/>) to
    /// GGUF of each type; returns host paths by type.</summary>
    public static Dictionary<string, string> Convert(string modelFolder, params string[] types)
    {
        var script = Path.Combine(SharedTemp, "llama_cpp_gguf.py");
        File.Copy(Path.Combine(BenchPaths.Peers, "llama_cpp_gguf.py"), script, overwrite: true);
        File.Copy(Path.Combine(BenchPaths.Root, "samples", "models", "stories260K", "tok512.model"), Path.Combine(modelFolder, "tok512.model"), overwrite: true);
        var inside = Inside(modelFolder);
        var lines = RunToEnd(["python3", Inside(script), inside, inside + "/tok512.model", inside, .. types], TimeSpan.FromMinutes(10));
        return lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!)
            .ToDictionary(j => (string)j["type"]!, j => Path.Combine(Chroot, ((string)j["gguf"]!).TrimStart('/')));
    }

    /// <summary>llama-batched-bench: decoding tokens/s (S_TG, generation measured apart from prompt processing) per batch size.</summary>
    public static Dictionary<int, double> BatchedDecode(string gguf, int promptTokens, int newTokens, int[] batches, int threads)
    {
        int context = batches.Max() * (promptTokens + newTokens) + 64;
        var lines = RunToEnd(["llama-batched-bench", "-m", Inside(gguf), "-c", context.ToString(), "-b", "2048", "-ub", "512",
            "-npp", promptTokens.ToString(), "-ntg", newTokens.ToString(), "-npl", string.Join(",", batches), "-t", threads.ToString(),
            "--output-format", "jsonl"], TimeSpan.FromMinutes(10));
        return lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!)
            .ToDictionary(j => (int)j["pl"]!, j => (double)j["speed_tg"]!);
    }

    /// <summary>Starts llama-server on 127.0.0.1 and waits until /health answers.</summary>
    public static Process StartServer(string gguf, int port, int parallel, int context, int threads)
    {
        var process = Start(["llama-server", "-m", Inside(gguf), "--host", "127.0.0.1", "--port", port.ToString(),
            "--parallel", parallel.ToString(), "-c", context.ToString(), "-t", threads.ToString(), "--no-webui"], quiet: true);
        return process;
    }

    static Process Start(string[] command, bool quiet)
    {
        var psi = new ProcessStartInfo("chroot", [Chroot, "env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE", .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        PeerProcess.SetAllocator(psi);
        var process = Process.Start(psi)!;
        if (quiet)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }

    static string[] RunToEnd(string[] command, TimeSpan limit)
    {
        using var process = Start(command, quiet: false);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(limit)) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{command[0]} ran past {limit}"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command[0]} failed ({process.ExitCode}): {stderr.Result[^Math.Min(2000, stderr.Result.Length)..]}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
