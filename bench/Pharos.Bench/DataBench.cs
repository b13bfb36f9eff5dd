// `data`: the training-data path at size. Loader throughput (tokens/s of CPT rows packed from memory-mapped shards) and
// peak RSS for synthetic corpora of 10 M … 1 B tokens, each read in its own process so the RSS is the corpus's alone; and
// `pharos data tokenize` MB/s per worker on the real multilingual sample text. Writes the RSS-vs-size plot with --plot.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Pharos.Curation.Pipeline;
using Pharos.Eval.Reports;
using Pharos.Training.Datasets;
using Pharos.Training.Datasets.Shards;
using Pharos.Training.Tokenizer;

namespace Pharos.Bench;

internal static class DataBench
{
    public const string Description = "token-shard loader tokens/s and peak RSS at 10M/1B tokens, tokenize MB/s per worker (issue 15)";

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--probe") return Probe(args[1..]);
        var sizes = BenchArgs.String(args, "--sizes", "10000000,100000000,1000000000").Split(',').Select(long.Parse).ToArray();
        int seq = BenchArgs.Int(args, "--seq", 1024);
        var cache = BenchArgs.String(args, "--cache", Path.Combine(Path.GetTempPath(), "pharos-bench-data"));
        Console.WriteLine($"data: synthetic CPT corpora (uint16 ids, documents of 200–2000 tokens), rows of {seq}, one pass per corpus, each in its own process; cache {cache}");
        var rss = new List<double>();
        foreach (var tokens in sizes)
        {
            var folder = Corpus(cache, tokens);
            var r = SelfProbe.Run("data", "--probe", folder, seq.ToString());
            rss.Add((double)r["peak_rss_mb"]!);
            Console.WriteLine($"corpus_tokens={tokens} loader_tokens_per_s={(double)r["tokens_per_s"]!:F0} rows={(long)r["rows"]!} index_build_s={(double)r["build_s"]!:F2} " +
                $"peak_rss_mb={(double)r["peak_rss_mb"]!:F0} rss_before_mb={(double)r["rss_before_mb"]!:F0}");
        }
        if (sizes.Length > 1)
            Console.WriteLine($"rss_growth_mb_{sizes[0]}_to_{sizes[^1]}={rss[^1] - rss[0]:F0}");
        var plot = BenchArgs.String(args, "--plot", "");
        if (plot.Length > 0)
        {
            LineChart.Save(plot, "Peak RSS of the shard loader against corpus size (one full pass of CPT rows)", "corpus (tokens)", "peak RSS (MB)",
                [new LineSeries("peak RSS", Enumerable.Range(0, sizes.Length).Select(i => (double)i).ToList(), rss)], sizes.Select(Label).ToList());
            Console.WriteLine($"plot: {plot}");
        }
        Tokenize(BenchArgs.Int(args, "--tokenize-copies", 4));
        return 0;
    }

    static string Label(long tokens) => tokens >= 1_000_000_000 ? $"{tokens / 1e9:0.#}B" : $"{tokens / 1e6:0.#}M";

    /// <summary>A corpus of about <paramref name="tokens"/> tokens in 8 shards (made once, kept in the cache).</summary>
    static string Corpus(string cache, long tokens)
    {
        var folder = Path.Combine(cache, $"corpus-{tokens}");
        if (File.Exists(Path.Combine(folder, "done"))) return folder;
        Directory.CreateDirectory(folder);
        var rng = new Random(7);
        const int shards = 8;
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < shards; s++)
        {
            using var writer = new TokenShardWriter(Path.Combine(folder, $"{s:D2}.tok"), 32000);
            long line = 0;
            while (writer.Tokens < tokens / shards)
            {
                int n = rng.Next(200, 2001);
                var ids = new int[n];
                for (int i = 0; i < n; i++) ids[i] = rng.Next(3, 32000);
                writer.Add(new TokenizedExample(ids, Ones(n), "synthetic", ++line), isText: true);
            }
            writer.Commit();
        }
        File.WriteAllText(Path.Combine(folder, "done"), "");
        Console.WriteLine($"made corpus of {tokens} tokens in {clock.Elapsed.TotalSeconds:F0} s");
        return folder;
    }

    static readonly Dictionary<int, bool[]> OnesCache = [];
    static bool[] Ones(int n) => OnesCache.TryGetValue(n, out var a) ? a : OnesCache[n] = Enumerable.Repeat(true, n).ToArray();

    /// <summary>In a fresh process: build the stream mix over the shards and read one full pass of rows.</summary>
    static int Probe(string[] args)
    {
        string folder = args[0];
        int seq = int.Parse(args[1]);
        double before = SelfProbe.RssMb();
        var clock = Stopwatch.StartNew();
        var shards = Directory.GetFiles(folder, "*.tok").Order().Select(TokenShard.Open).ToList();
        var (data, rows) = ShardMix.Build([new ShardSource("synthetic", 1, shards.Select(s => (s, s.Path)).ToList())], seq, true, 42, new BadRecords(), evalFraction: 0);
        double build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        long tokens = 0;
        for (int i = 0; i < data.Train.Count; i += 8)
            foreach (var row in data.Train.Next(Math.Min(8, data.Train.Count - i))) tokens += row.Length;
        double seconds = clock.Elapsed.TotalSeconds;
        rows.Dispose();
        Console.WriteLine(new JsonObject
        {
            ["tokens_per_s"] = tokens / seconds, ["rows"] = data.Train.Count, ["build_s"] = build,
            ["peak_rss_mb"] = SelfProbe.PeakRssMb(), ["rss_before_mb"] = before,
        }.ToJsonString());
        return 0;
    }

    /// <summary>`pharos data tokenize` on the sample text (copies of it, one task each): MB/s of input per worker, 1 and 2 workers.</summary>
    static void Tokenize(int copies)
    {
        var root = BenchArgs.RepoRoot();
        var work = Directory.CreateTempSubdirectory("pharos-bench-tokenize-").FullName;
        try
        {
            var samples = new[] { "cpt-monolingual.jsonl", "cpt-parallel.jsonl" }.Select(f => Path.Combine(root, "samples", "data", f)).ToArray();
            var tokenizerFolder = Path.Combine(work, "tokenizer");
            var trainer = new BpeTrainer(8192, TokenizerFiles.DefaultSpecials, 2);
            using (var bad = new BadRecords())
                TokenizerFiles.Write(trainer.Train(samples.SelectMany(f => RecordReader.Read(f, bad)).Select(r => (string?)r.Json["text"]).OfType<string>()), tokenizerFolder);
            var tokenizer = TokenizerLoader.Load(tokenizerFolder);
            var inputs = new List<TokenizeInput>();
            for (int c = 0; c < copies; c++)
                foreach (var s in samples)
                {
                    var copy = Path.Combine(work, "in", $"{c}-{Path.GetFileName(s)}");
                    Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                    File.Copy(s, copy);
                    inputs.Add(new TokenizeInput(copy));
                }
            double mb = inputs.Sum(i => new FileInfo(i.Path).Length) / 1e6;
            foreach (var workers in new[] { 1, 2 })
            {
                var plan = TokenizePlan.Create(Path.Combine(work, $"shards-{workers}"), tokenizer, inputs);
                var clock = Stopwatch.StartNew();
                new LocalExecutor(workers).Run(plan);
                double s = clock.Elapsed.TotalSeconds;
                long tokens = plan.Inputs.Sum(i => plan.Marker(i)!.Tokens);
                Console.WriteLine($"tokenize: workers={workers} input_mb={mb:F1} mb_per_s={mb / s:F2} mb_per_s_per_worker={mb / s / workers:F2} tokens_per_s={tokens / s:F0} (BPE 8192 trained on the samples)");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
