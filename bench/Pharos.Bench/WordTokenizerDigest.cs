// `word-tokenizers --digest`: one hash per tokenizer of its words, simplified-text words and per-line sentence counts on man pages plus fuzzed text, to show a faster tokenizer splits exactly as before.
using System.Security.Cryptography;
using System.Text;
using Pharos.Curation.Text;
using Pharos.Curation.Text.SpaCy;

namespace Pharos.Bench;

internal static class WordTokenizerDigest
{
    public static int Run(string[] args)
    {
        var texts = CurationCorpus.Build(BenchArgs.Int(args, "--docs", 2000));
        texts.AddRange(Fuzz(BenchArgs.Int(args, "--fuzz", 2000), seed: 18));
        // spaCy codes directly (some, such as ar and ms, are no label's tokenizer), then jieba, the WhitespaceTokenizer and the fallback rule.
        var labels = BenchArgs.String(args, "--languages", "") is { Length: > 0 } list
            ? list.Split(',') : [.. SpacyData.Languages.Order(StringComparer.Ordinal).Select(c => "spacy:" + c), "cmn_Hani", "tgl_Latn", "hin_Deva"];
        var words = new List<(int Start, int Length)>();
        foreach (var label in labels)
        {
            var tokenizer = label.StartsWith("spacy:", StringComparison.Ordinal) ? SpacyData.Tokenizer(label[6..])! : WordTokenizers.For(label);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Add(string s) => sha.AppendData(Encoding.UTF8.GetBytes(s + "\u0001"));
            foreach (var text in texts)
            {
                foreach (var t in new[] { text, Simplified(text) })
                {
                    words.Clear();
                    tokenizer.Tokenize(t, words);
                    foreach (var (start, length) in words)
                        Add($"{start}:{length}");
                    Add("|");
                }
                foreach (var line in PyText.SplitLines(text))
                    Add(tokenizer.CountSentences(PyText.Strip(line).ToString()).ToString());
            }
            Console.WriteLine($"digest {label} {tokenizer.Name} {Convert.ToHexString(sha.GetHashAndReset())[..16]}");
        }
        return 0;
    }

    // TextSimplifier's NFD step refuses lone surrogates (the fuzzed text has some); those documents are split as they are.
    static string Simplified(string text)
    {
        try { return TextSimplifier.Simplify(text); }
        catch (ArgumentException) { return text; }
    }

    // Text built to reach the tokenizers' corners: affixes stacked on words, URLs, numbers with units, hyphens and apostrophes,
    // special-case strings, scripts with different rules, astral characters and lone surrogates, every kind of whitespace.
    static IEnumerable<string> Fuzz(int count, int seed)
    {
        string[] pieces =
        [
            "a", "b", "e", "l", "d", "n", "qu", "km", "m", "kg", "US", "C", "A", "ch", "K", "F", "T", "Dr", "Inc", "z", "B", "etc",
            "hello", "Haus", "l'", "d'", "L'", "aujourd'hui", "peut-être", "New-York", "anti", "porte", "Saint", "pré", "j'", "’", "'", "''",
            "-", "–", "—", "--", "‐", "‑", "~", ".", "..", "...", "…", ",", ";", ":", "!", "?", "¿", "¡", "(", ")", "[", "]", "{", "}",
            "<", ">", "=", "/", "\\", "_", "#", "*", "&", "%", "$", "€", "£", "+", "^", "°", "§", "«", "»", "„", "“", "”", "`", "´",
            "0", "1", "42", "3.14", "1,000", "12:30", "1990", "2-3", "10%", "5km", "20°C", "V.", "a.m.", "p.m.", "e.g.", "i.e.",
            "http://", "https://", "www.", "example.com", "user@host.org", "ftp://a.b/c?d=e", "192.168.1.1", "x.gif", "/dev/tty1",
            "я", "Москва", "т.е.", "ä", "ß", "é", "É", "İ", "ı", "ς", "Σ", "Ω", "中文", "。", "，", "、", "日本", "한국", "ﾀ", "ا", "،",
            "؟", "।", "፡", "ก", "😀", "👍🏽", "𝐀", "\uD800", "\uDC00", "\u0301", "\u200B", "\u00AD", "\uFEFF", ":)", ":-(", "<3", "^_^",
            "'s", "n't", "'ll", "can't", "don't", "I'm", "o'clock", "rock'n'roll", "e-mail", "co-op", "U.S.", "St.", "No.", "Mr.",
        ];
        string[] spaces = [" ", " ", " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00A0", "\u2028", "\u3000", "\x1c", "\x0b", " \n "];
        var random = new Random(seed);
        for (var d = 0; d < count; d++)
        {
            var sb = new StringBuilder();
            var tokens = random.Next(5, 80);
            for (var t = 0; t < tokens; t++)
            {
                var parts = random.Next(1, 5);
                for (var p = 0; p < parts; p++)
                    sb.Append(pieces[random.Next(pieces.Length)]);
                sb.Append(spaces[random.Next(spaces.Length)]);
            }
            yield return sb.ToString();
        }
    }
}
