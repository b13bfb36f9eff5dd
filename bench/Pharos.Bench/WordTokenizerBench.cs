// `word-tokenizers`: how long each language's curation word tokenizer takes to build (regex compilation) and to split documents, one thread.
using System.Diagnostics;
using Pharos.Curation.Text;

namespace Pharos.Bench;

internal static class WordTokenizerBench
{
    public static int Run(string[] args)
    {
        var max = BenchArgs.Int(args, "--docs", 1000);
        var texts = CurationCorpus.Build(max);
        var words = new List<(int, int)>();
        foreach (var label in BenchArgs.String(args, "--languages", "en,de,fr,ru,cmn_Hani,xx").Split(','))
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var tokenizer = WordTokenizers.For(label);
            tokenizer.Tokenize("warm up: https://example.com, (a) b.", words);
            var build = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long count = 0;
            foreach (var t in texts)
            {
                words.Clear();
                tokenizer.Tokenize(t, words);
                count += words.Count;
            }
            var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"{label}: {tokenizer.Name} build_cpu_s={build:F2} docs_per_cpu_s={texts.Count / seconds:F0} words_per_doc={count / texts.Count}");
        }
        return 0;
    }
}
