// `word-tokenizers`: how long each language's curation word tokenizer takes to build (regex compilation) and to split documents, one thread.
using System.Diagnostics;
using Pharos.Curation.Text;

namespace Pharos.Bench;

internal static class WordTokenizerBench
{
    public static int Run(string[] args)
    {
        if (BenchArgs.Flag(args, "--digest"))
            return WordTokenizerDigest.Run(args);
        var max = BenchArgs.Int(args, "--docs", 1000);
        // Pass 1 meets every span for the first time; later passes show the cost once the span cache holds the corpus.
        var passes = BenchArgs.Int(args, "--passes", 2);
        var texts = CurationCorpus.Build(max);
        var words = new List<(int, int)>();
        foreach (var label in BenchArgs.String(args, "--languages", "en,de,fr,ru,cmn_Hani,xx").Split(','))
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var tokenizer = WordTokenizers.For(label);
            tokenizer.Tokenize("warm up: https://example.com, (a) b.", words);
            var build = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var rates = new List<string>();
            long count = 0;
            for (var pass = 0; pass < passes; pass++)
            {
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                count = 0;
                foreach (var t in texts)
                {
                    words.Clear();
                    tokenizer.Tokenize(t, words);
                    count += words.Count;
                }
                var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                rates.Add($"{texts.Count / seconds:F0}");
            }
            Console.WriteLine($"{label}: {tokenizer.Name} build_cpu_s={build:F2} docs_per_cpu_s={string.Join('/', rates)} (pass 1 cold span cache, then warm) words_per_doc={count / texts.Count}");
        }
        return 0;
    }
}
