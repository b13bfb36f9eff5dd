// `metrics` benchmark: corpus BLEU + chrF++ over 10,000 segments built from the WMT17 fixture texts, Pharos vs sacrebleu in one run.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pharos.Eval.Metrics;

namespace Pharos.Bench;

internal static class MetricsBench
{
    public static int Run(string[] args)
    {
        var segments = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var (hyps, refs) = BuildCorpus(FindFixtures(), segments);
        Console.WriteLine($"segments={hyps.Length} hyp_chars={hyps.Sum(h => h.Length)} threads={Environment.ProcessorCount}");

        IReadOnlyList<IReadOnlyList<string>> references = [refs];
        var bleu = new Bleu();
        var chrf = new ChrF(wordOrder: 2);
        // One untimed run compiles the hot paths (tiered JIT); then the best of five (the peer reports its best of three:
        // on a shared machine the best run is the one least disturbed by other work, for both sides).
        var (bleuScore, chrfScore) = (bleu.CorpusScore(hyps, references), chrf.CorpusScore(hyps, references));
        double best = double.MaxValue, bestBleu = double.MaxValue, bestChrf = double.MaxValue, bestCpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (var run = 0; run < 5; run++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            bleuScore = bleu.CorpusScore(hyps, references);
            var afterBleu = sw.Elapsed.TotalSeconds;
            chrfScore = chrf.CorpusScore(hyps, references);
            var total = sw.Elapsed.TotalSeconds;
            best = Math.Min(best, total);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuStart).TotalSeconds);
            bestBleu = Math.Min(bestBleu, afterBleu);
            bestChrf = Math.Min(bestChrf, total - afterBleu);
        }
        Console.WriteLine($"pharos_bleu_seconds={bestBleu:F4} pharos_chrf++_seconds={bestChrf:F4}");
        Console.WriteLine($"pharos_seconds={best:F4} pharos_cpu_seconds={bestCpu:F4} bleu={bleuScore.Score:R} chrf++={chrfScore.Score:R}");

        var sacrebleuDir = Environment.GetEnvironmentVariable("SACREBLEU_DIR");
        if (string.IsNullOrEmpty(sacrebleuDir))
        {
            Console.WriteLine("sacrebleu: skipped (set SACREBLEU_DIR to a sacrebleu checkout to compare)");
            return 0;
        }
        var dir = Directory.CreateTempSubdirectory("pharos-bench-metrics-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "hyp.txt"), string.Join('\n', hyps) + "\n", new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(dir, "ref.txt"), string.Join('\n', refs) + "\n", new UTF8Encoding(false));
            var python = Environment.GetEnvironmentVariable("SACREBLEU_PYTHON") ?? "python3";
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true };
            psi.ArgumentList.Add(Path.Combine(BenchArgs.RepoRoot(), "bench", "peers", "sacrebleu_metrics.py"));
            psi.ArgumentList.Add("--repeat");
            psi.ArgumentList.Add("3");
            psi.ArgumentList.Add(Path.Combine(dir, "hyp.txt"));
            psi.ArgumentList.Add(Path.Combine(dir, "ref.txt"));
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.Error.WriteLine($"sacrebleu peer failed with exit code {p.ExitCode}");
                return 1;
            }
            using var json = JsonDocument.Parse(output);
            var peerSeconds = json.RootElement.GetProperty("seconds").GetDouble();
            var peerCpu = json.RootElement.GetProperty("cpu_seconds").GetDouble();
            var peerBleu = json.RootElement.GetProperty("bleu").GetDouble();
            var peerChrf = json.RootElement.GetProperty("chrf").GetDouble();
            Console.WriteLine($"sacrebleu_seconds={peerSeconds:F4} sacrebleu_cpu_seconds={peerCpu:F4} bleu={peerBleu:R} chrf++={peerChrf:R}");
            Console.WriteLine($"scores_equal={Math.Abs(peerBleu - bleuScore.Score) < 1e-9 && Math.Abs(peerChrf - chrfScore.Score) < 1e-9}");
            // Wall time is the headline; CPU time (all threads) is steadier when other work shares the machine.
            Console.WriteLine($"cpu_ratio_vs_sacrebleu={peerCpu / bestCpu:F1}");
            Console.WriteLine($"ratio_vs_sacrebleu={peerSeconds / best:F1}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    /// <summary>
    /// Cycles the 600 WMT17 reference lines against the three system outputs, perturbing every repeat
    /// (rotated words, a dropped word) so the 10,000 pairs are not 600 pairs seen many times.
    /// </summary>
    static (string[] Hyps, string[] Refs) BuildCorpus(string fixtures, int segments)
    {
        string[] Read(string name) => File.ReadAllText(Path.Combine(fixtures, name), Encoding.UTF8).TrimEnd('\n').Split('\n');
        var reference = Read("wmt17.ref.de");
        string[][] systems = [Read("wmt17.A.de"), Read("wmt17.B.de"), Read("wmt17.C.de"), Read("wmt17.ref2.de")];
        var hyps = new string[segments];
        var refs = new string[segments];
        for (var i = 0; i < segments; i++)
        {
            var line = i % reference.Length;
            var round = i / reference.Length;
            var words = systems[round % systems.Length][line].Split(' ');
            if (round >= systems.Length && words.Length > 3)
            {
                var shift = round % words.Length;
                words = [.. words[shift..], .. words[..shift]];
                words = [.. words.Where((_, k) => k != round % words.Length)];
            }
            hyps[i] = string.Join(' ', words);
            refs[i] = reference[line];
        }
        return (hyps, refs);
    }

    static string FindFixtures() => Path.Combine(BenchArgs.RepoRoot(), "tests", "Pharos.Eval.Tests", "Fixtures", "sacrebleu");
}
