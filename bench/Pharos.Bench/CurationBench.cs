// `curation`: docs/s per core of the full FineWeb2 filter chain and MinHash signatures beside datatrove's own code (ratio_vs_datatrove=), the per-step time split, clustering bytes/doc.
using System.Diagnostics;
using Pharos.Curation;
using Pharos.Curation.Dedup;
using Pharos.Curation.Filters;
using Pharos.Curation.LanguageId;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Bench;

internal static class CurationBench
{
    public static int Run(string[] args)
    {
        var max = BenchArgs.Int(args, "--docs", 60_000);
        var datasketch = BenchArgs.String(args, "--datasketch", Environment.GetEnvironmentVariable("DATASKETCH_SRC") ?? "/tmp/datasketch-src");
        var chroot = BenchArgs.String(args, "--datatrove-chroot", "/tmp/hfref");
        var model = BenchArgs.String(args, "--lid-model", Path.Combine(BenchPaths.Root, "tests/Pharos.Curation.Tests/Fixtures/lid/lid.176.ftz"));
        var texts = CurationCorpus.Build(max);
        Console.WriteLine($"curation: {texts.Count} documents from Debian man pages ({texts.Sum(t => (long)t.Length) / 1e6:F1} M chars), one thread");

        // 1) Full filter chain on one core: LID, per-language score cut, repetition, quality, formatters.
        var table = LanguageTable.Load();
        var lid = new LanguageIdStep(FastTextModel.Load(model));
        IPipelineStep[] chain =
        [
            lid, new LanguageScoreFilter(table),
            new PerLanguageFilter("gopher_repetition", table, GopherRepetitionFilter.From),
            new PerLanguageFilter("fineweb_quality", table, FineWebQualityFilter.From),
            new PerLanguageFilter("gopher_quality", table, GopherQualityFilter.From),
            new EncodingFixer(), new PiiFormatter(), new TableArtifactFormatter(),
        ];
        var docs = texts.Select((t, i) => new Document(t, i.ToString())).ToList();
        var stats = chain.Select(s => new StepStats(s.Name)).ToArray();
        // Rates use this process's CPU time, not wall time: the machine is shared and one thread does the work.
        var sw = CpuClock.StartNew();
        IEnumerable<Document> flow = docs;
        for (var i = 0; i < chain.Length; i++)
            flow = chain[i].Run(flow, stats[i]);
        var kept = flow.Count();
        var chainSeconds = sw.Seconds;
        var chainRate = docs.Count / chainSeconds;
        var languages = docs.GroupBy(d => d.Language).OrderByDescending(g => g.Count()).Take(14).Select(g => $"{g.Key}:{g.Count()}");
        Console.WriteLine($"languages {string.Join(' ', languages)}");
        Console.WriteLine($"filter_chain_docs_per_s_per_core={chainRate:F0} kept={kept} lid_share={stats[0].Seconds / sw.WallSeconds:P0}");
        Console.WriteLine("step_seconds " + string.Join(' ', stats.Select(st => $"{st.Name}={st.Seconds:F2}")));

        // 2) MinHash signatures on one core, then datasketch on the same documents (5-grams, 112 permutations).
        var hasher = new MinHasher();
        var signature = new ulong[hasher.Length];
        sw = CpuClock.StartNew();
        // Each document's words come from its language's tokenizer, as datatrove's MinhashDedupSignature(language=...).
        foreach (var d in docs)
            hasher.Signature(d.Text, signature, WordTokenizers.For(d.LanguageLabel ?? "xx"));
        var minhashRate = texts.Count / sw.Seconds;
        Console.WriteLine($"minhash_docs_per_s_per_core={minhashRate:F0}");

        // 3) Clustering memory: signatures → buckets → union-find over the corpus split into 8 shards.
        using (var work = new TempFolder())
        {
            var dedup = new MinHashDedup(hasher, work.Path);
            var shards = docs.Select((d, i) => (d, i)).GroupBy(x => x.i % 8).ToList();
            foreach (var shard in shards)
                dedup.Signatures(shard.Key, shard.Select(x => x.d), new StepStats("sig"));
            for (var b = 0; b < hasher.Bands; b++)
                dedup.Buckets(b, 8);
            var before = Process.GetCurrentProcess().PeakWorkingSet64;
            // Measured too: everything the stage allocates (an upper bound on what it holds at once), per language.
            var allocated = new Dictionary<string, long>();
            var languagesDone = dedup.Languages().Select(l =>
            {
                var start = GC.GetTotalAllocatedBytes(precise: true);
                var r = dedup.Clusters(l, 8, hasher.Bands);
                allocated[l] = GC.GetTotalAllocatedBytes(precise: true) - start;
                return r;
            }).ToList();
            var clustered = languagesDone.Sum(r => r.Documents);
            var largest = languagesDone.MaxBy(r => r.Documents)!;
            // Peak held by the cluster stage: union-find + size table (8 B/doc) plus two 64 KiB stream buffers per language,
            // which small languages do not amortise; the largest language shows the per-document cost.
            Console.WriteLine($"clustering_bytes_per_doc={languagesDone.Sum(r => r.BytesPerDocument * r.Documents) / Math.Max(1, clustered):F1} " +
                              $"largest_language={largest.Language}:{largest.Documents}docs:{largest.BytesPerDocument:F1}B/doc(allocated {(double)allocated[largest.Language] / largest.Documents:F1}) " +
                              $"duplicates_removed={languagesDone.Sum(r => r.Removed)} peak_rss_growth_mb={(Process.GetCurrentProcess().PeakWorkingSet64 - before) / 1e6:F1}");
        }

        var corpus = Path.Combine(Path.GetTempPath(), "pharos-curation-bench.jsonl");
        CurationCorpus.WriteJsonl(corpus, texts);
        DatatrovePeer(chroot, corpus, model, chainRate, minhashRate, stats);
        if (!File.Exists(Path.Combine(datasketch, "datasketch", "minhash.py")))
        {
            Console.WriteLine($"datasketch peer skipped: no source at {datasketch} (export github ekzhu/datasketch there, or pass --datasketch DIR)");
            return 0;
        }
        var peer = PeerProcess.Run("datasketch_minhash.py", datasketch, corpus);
        var peerRate = (double)peer["docs_per_s"]!;
        Console.WriteLine($"datasketch_docs_per_s_per_core={peerRate:F0}");
        Console.WriteLine($"ratio_vs_datasketch={minhashRate / peerRate:F2}");
        return 0;
    }

    // datatrove's own chain and MinHash on the same documents, in the reference chroot (datatrove, spaCy, jieba, fasttext under /src).
    static void DatatrovePeer(string chroot, string corpus, string model, double chainRate, double minhashRate, StepStats[] stats)
    {
        if (!File.Exists(Path.Combine(chroot, "src/datatrove/src/datatrove/__init__.py")) || !Directory.Exists(Path.Combine(chroot, "src/spacy/spacy")))
        {
            Console.WriteLine($"datatrove peer skipped: no reference chroot at {chroot} with /src/datatrove, /src/spacy (docs/CURATION.md, Benchmark)");
            return;
        }
        var work = Path.Combine(chroot, "work", "pharos-bench");
        Directory.CreateDirectory(work);
        File.Copy(corpus, Path.Combine(work, "docs.jsonl"), overwrite: true);
        File.Copy(model, Path.Combine(work, "lid.176.ftz"), overwrite: true);
        File.Copy(Path.Combine(BenchPaths.Root, "src/Pharos.Curation/Languages/FineWeb2/lid176.tsv"), Path.Combine(work, "lid176.tsv"), overwrite: true);
        var peer = PeerProcess.RunInChroot(chroot, "datatrove_chain.py", "/src/datatrove/src:/src/spacy:/src/preshed:/src/stubs",
            "/work/pharos-bench/docs.jsonl", "/work/pharos-bench/lid.176.ftz", "/work/pharos-bench/lid176.tsv", "/src/fineweb-2/configs");
        var peerChain = (double)peer["chain_docs_per_s"]!;
        var peerMinHash = (double)peer["minhash_docs_per_s"]!;
        Console.WriteLine($"datatrove_chain_docs_per_s_per_core={peerChain:F1} kept={peer["kept"]} step_seconds {peer["step_seconds"]!.ToJsonString()}");
        Console.WriteLine($"datatrove_minhash_docs_per_s_per_core={peerMinHash:F1} xx_fallback={peer["xx_fallback_labels"]!.ToJsonString()}");
        Console.WriteLine($"chain ratio_vs_datatrove={chainRate / peerChain:F1}");
        Console.WriteLine($"minhash ratio_vs_datatrove={minhashRate / peerMinHash:F1}");
    }

    sealed class CpuClock
    {
        readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        readonly Stopwatch _wall = Stopwatch.StartNew();
        public static CpuClock StartNew() => new();
        public double Seconds => (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;
        public double WallSeconds => _wall.Elapsed.TotalSeconds;
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pharos-bench-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
