// `comet`: segments/s of Pharos's COMET vs Unbabel/COMET's own code (torch 2.14 in the Debian sid chroot) on the same
// randomly initialised COMET-22-shaped checkpoint on an XLM-R-base-shaped encoder (~278M parameters), the same
// real segment triples from samples/ and the same threads; also the largest segment-score difference.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Eval.Comet;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class CometBench
{
    public const string Description = "COMET-22-shaped model on an XLM-R-base-shaped encoder (~278M): segments/s vs Unbabel/COMET's code in the sid chroot";

    public static int Run(string[] args)
    {
        int segments = BenchArgs.Int(args, "--segments", 1000), batchSize = BenchArgs.Int(args, "--batch-size", 16);
        string chroot = BenchArgs.String(args, "--chroot", "/tmp/hfref"), cometSrc = BenchArgs.String(args, "--comet-src", "/src/comet");
        const string inside = "/tmp/pharos-comet-bench";
        var work = chroot + inside;
        Directory.CreateDirectory(work);
        if (!Directory.Exists(chroot + cometSrc + "/comet"))
        {
            Console.Error.WriteLine($"COMET source not found at {chroot}{cometSrc} (see docs/COMET.md: git archive of Unbabel/COMET into the chroot)");
            return 2;
        }
        // The peer's Python: the stubs and the compatibility shim of the fixtures, and the peer script.
        var py = Path.Combine(work, "py");
        if (Directory.Exists(py)) Directory.Delete(py, recursive: true);
        CopyTree(Path.Combine(BenchPaths.Root, "tests", "Pharos.Eval.Tests", "Fixtures", "comet", "tools", "stubs"), py);
        File.Copy(Path.Combine(BenchPaths.Peers, "comet_score.py"), Path.Combine(py, "comet_score.py"), overwrite: true);

        var (src, mt, reference) = Triples(segments);
        File.WriteAllLines(Path.Combine(work, "src.txt"), src);
        File.WriteAllLines(Path.Combine(work, "mt.txt"), mt);
        File.WriteAllLines(Path.Combine(work, "ref.txt"), reference);
        if (!File.Exists(Path.Combine(work, "model", "checkpoints", "model.ckpt")))
        {
            File.WriteAllLines(Path.Combine(work, "corpus.txt"), Triples(int.MaxValue).Src.Concat(Triples(int.MaxValue).Ref));
            Console.WriteLine("making the checkpoint with COMET's code: " + Peer(chroot, cometSrc, inside, "make", "--dir", inside, "--corpus", inside + "/corpus.txt").ToJsonString());
        }

        int threads = get_num_threads();
        Console.WriteLine($"comet: {segments} triples from samples/data/cpt-parallel.jsonl, batch {batchSize}, float32, {threads} threads, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        var peer = Peer(chroot, cometSrc, inside, "score", "--dir", inside, "--src", inside + "/src.txt", "--mt", inside + "/mt.txt",
            "--ref", inside + "/ref.txt", "--batch-size", batchSize.ToString(), "--threads", threads.ToString(), "--scores-out", inside + "/comet-scores.json");
        double peerSeconds = (double)peer["seconds"]!;

        using var model = CometModel.Load(Path.Combine(work, "model"), Path.Combine(work, "encoder"));
        var items = src.Select((s, i) => new CometSegment(s, mt[i], reference[i])).ToList();
        var sw = Stopwatch.StartNew();
        var prediction = model.Score(items, batchSize);
        double seconds = sw.Elapsed.TotalSeconds;

        var peerScores = JsonSerializer.Deserialize<double[]>(File.ReadAllText(Path.Combine(work, "comet-scores.json")))!;
        double maxDiff = prediction.Scores.Zip(peerScores, (a, b) => Math.Abs(a - b)).Max();
        Console.WriteLine($"pharos_segments_per_s={segments / seconds:F1} seconds={seconds:F1} system_score={prediction.SystemScore:F6}");
        Console.WriteLine($"comet_segments_per_s={segments / peerSeconds:F1} seconds={peerSeconds:F1} system_score={(double)peer["system_score"]!:F6}");
        Console.WriteLine($"max_segment_score_diff={maxDiff:E2} load_after={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"ratio_vs_comet={peerSeconds / seconds:F2}");
        return 0;
    }

    /// <summary>Real triples: the English side as source, the other language as reference, and as translation the reference with its first two words swapped.</summary>
    static (string[] Src, string[] Mt, string[] Ref) Triples(int count)
    {
        var src = new List<string>();
        var mt = new List<string>();
        var reference = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(BenchPaths.Root, "samples", "data", "cpt-parallel.jsonl")))
        {
            if (src.Count >= count) break;
            var text = (string)JsonNode.Parse(line)!["text"]!;
            var parts = text.Split('\n');
            if (parts.Length != 2) continue;
            string Side(string p) => p[(p.IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
            string s = Side(parts[0]), r = Side(parts[1]);
            if (s.Length == 0 || r.Length == 0) continue;
            var words = r.Split(' ');
            if (words.Length > 2) (words[0], words[1]) = (words[1], words[0]);
            src.Add(s);
            reference.Add(r);
            mt.Add(string.Join(' ', words));
        }
        return (src.ToArray(), mt.ToArray(), reference.ToArray());
    }

    static JsonObject Peer(string chroot, string cometSrc, string inside, params string[] args)
    {
        var psi = new ProcessStartInfo("chroot", [chroot, "env", "-u", "OPENBLAS_CORETYPE", "-u", "OPENBLAS_L2_SIZE",
            $"PYTHONPATH={cometSrc}:{inside}/py", "python3", inside + "/py/comet_score.py", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"COMET peer failed ({p.ExitCode}): {stderr.Result}");
        return (JsonObject)JsonNode.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last())!;
    }

    static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to), overwrite: true);
    }
}
