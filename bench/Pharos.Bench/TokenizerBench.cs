// Tokenizer encode throughput (MB/s of UTF-8 input) over the multilingual test text, per real tokenizer, beside Hugging Face's JS tokenizers.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pharos.Models.Tokenization;

namespace Pharos.Bench;

internal static class TokenizerBench
{
    public const string Description = "encode MB/s over the multilingual text: gpt2, llama3, qwen3, gemma3 [--dir TOKENIZERS] [--seconds N] [--no-peer]";

    public static int Run(string[] args)
    {
        var dir = Option(args, "--dir") ?? Path.Combine(
            Environment.GetEnvironmentVariable("PHAROS_FIXTURES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pharos-fixtures"),
            "tokenizers");
        var seconds = double.Parse(Option(args, "--seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var root = BenchArgs.RepoRoot();
        var corpus = Path.Combine(root, "tests", "Pharos.Models.Tests", "Fixtures", "tokenization", "multilingual.jsonl");
        var peerScript = Path.Combine(root, "bench", "peers", "tokenizer_encode.mjs");
        var texts = File.ReadAllLines(corpus).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<string>(l)!).ToArray();
        var bytes = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
        Console.WriteLine($"corpus: {texts.Length} strings, {bytes / 1e6:F2} MB ({corpus})");

        foreach (var name in new[] { "gpt2", "llama3", "qwen3", "gemma3" })
        {
            var folder = Path.Combine(dir, name);
            if (!File.Exists(Path.Combine(folder, "tokenizer.json")))
            {
                Console.WriteLine($"{name}: skipped, no tokenizer.json in {folder} (run tests/fixtures/fetch-tokenizers.sh)");
                continue;
            }
            var load = Stopwatch.StartNew();
            var tokenizer = HfTokenizer.Load(folder);
            var loadSeconds = load.Elapsed.TotalSeconds;
            long tokens = 0;
            foreach (var t in texts)
                tokens += tokenizer.Encode(t).Count; // warm-up: JIT and BPE caches, as a long-running server would have them

            var single = Measure(seconds, () => { foreach (var t in texts) tokenizer.Encode(t); });
            var batch = Measure(seconds, () => tokenizer.EncodeBatch(texts));
            Console.WriteLine($"{name}: load {loadSeconds:F2} s, {tokens} tokens, encode {bytes / single / 1e6:F2} MB/s one thread, " +
                              $"{bytes / batch / 1e6:F2} MB/s EncodeBatch ({Environment.ProcessorCount} cores)");
            Console.WriteLine($"tokenizer_{name}_mb_per_s={bytes / single / 1e6:F2}");
            if (!args.Contains("--no-peer") && Peer(peerScript, folder, corpus, seconds, dir) is { } peer)
                Console.WriteLine($"{name}: peer @huggingface/tokenizers (Node) {peer:F2} MB/s one thread; ratio_vs_hf_tokenizers_js={bytes / single / 1e6 / peer:F2}");
        }
        return 0;
    }

    /// <summary>
    /// Runs bench/peers/tokenizer_encode.mjs (Hugging Face's JavaScript tokenizers, installed by
    /// tests/fixtures/fetch-tokenizers.sh next to the tokenizer files) on the same folder and strings; null when absent.
    /// Python's tokenizers would be the better peer but is not installable here; the JS port gives the same ids.
    /// </summary>
    static double? Peer(string script, string folder, string corpus, double seconds, string tokenizersDir)
    {
        var nodeModules = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizersDir))!, "node", "node_modules");
        if (!Directory.Exists(Path.Combine(nodeModules, "@huggingface", "tokenizers")) || !File.Exists(script))
            return null;
        try
        {
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { script, folder, corpus, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            start.Environment["NODE_PATH"] = nodeModules;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("mb_per_s=", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line["mb_per_s=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no node on PATH
        }
    }

    /// <summary>Seconds per pass, from as many passes as fit in the time budget (at least two).</summary>
    static double Measure(double budget, Action pass)
    {
        var sw = Stopwatch.StartNew();
        var passes = 0;
        while (passes < 2 || sw.Elapsed.TotalSeconds < budget)
        {
            pass();
            passes++;
        }
        return sw.Elapsed.TotalSeconds / passes;
    }

    static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
