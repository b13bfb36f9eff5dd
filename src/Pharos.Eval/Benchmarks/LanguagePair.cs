// A translation direction ("en-de", "en-pt-PT"): parsed once, validated against the Tower+ language list, named in breakdowns.
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

public sealed record LanguagePair(string Source, string Target)
{
    public override string ToString() => $"{Source}-{Target}";

    /// <summary>
    /// "en-de" or "en-pt-PT": the first code is a bare language (Tower+'s sources are), the rest is the target,
    /// which may carry a region or script; both must be languages the Tower+ prompt knows.
    /// </summary>
    public static LanguagePair Parse(JsonlLine line, string text)
    {
        int dash = text.IndexOf('-');
        if (dash <= 0 || dash == text.Length - 1) throw line.Error($"language pair '{text}' must look like 'en-de'");
        return Of(line, text[..dash], text[(dash + 1)..]);
    }

    public static LanguagePair Of(JsonlLine line, string source, string target)
    {
        foreach (var code in new[] { source, target })
            if (TowerLanguage.Find(code) is null)
                throw line.Error($"unknown language code '{code}' (known: {string.Join(", ", TowerLanguage.All.Select(l => l.Code))})");
        return new LanguagePair(source, target);
    }

    /// <summary>From <c>lp</c> ("en-de") or <c>source_lang</c> + <c>target_lang</c>.</summary>
    public static LanguagePair FromFields(JsonlLine line) =>
        line.OptionalString("lp") is { } lp ? Parse(line, lp)
        : line.OptionalString("source_lang") is { } s ? Of(line, s, line.String("target_lang"))
        : throw line.Error("missing language pair: give 'lp' (\"en-de\") or 'source_lang' and 'target_lang'");

    /// <summary>sacrebleu's advice: the zh tokenizer for Chinese and Japanese targets, 13a otherwise.</summary>
    public string BleuTokenizer =>
        Target.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || Target.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? "zh" : "13a";
}
