// spaCy's per-language tokenizer data (generated from spaCy's own code, MIT; see Languages/SpaCy/README.md), loaded once and compiled per language on first use.
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text.SpaCy;

public static class SpacyData
{
    const string Resource = "Pharos.Curation.Languages.SpaCy.spacy-tokenizers.json.gz";
    static readonly Lazy<JsonDocument> Data = new(Load);
    static readonly Lazy<PythonRegex> LazyTranslator = new(() =>
    {
        var re = Data.Value.RootElement.GetProperty("python_re");
        return new PythonRegex(Ranges(re.GetProperty("w")), Ranges(re.GetProperty("d")), Ranges(re.GetProperty("s")));
    });
    static readonly ConcurrentDictionary<string, SpacyTokenizer?> Tokenizers = new(StringComparer.Ordinal);
    static readonly Lazy<FrozenSet<string>> Punct = new(() =>
        Data.Value.RootElement.GetProperty("sentencizer_punct_chars").EnumerateArray().Select(e => e.GetString()!).ToFrozenSet(StringComparer.Ordinal));

    /// <summary>The spaCy version the data was generated with.</summary>
    public static string Version => Data.Value.RootElement.GetProperty("spacy_version").GetString()!;

    /// <summary>The language codes with spaCy rule-based tokenizer data.</summary>
    public static IEnumerable<string> Languages => Data.Value.RootElement.GetProperty("languages").EnumerateObject().Select(p => p.Name);

    internal static FrozenSet<string> SentencePunctuation => Punct.Value;

    /// <summary>Python re patterns to .NET with Python 3.14's \w, \d and \s (the ranges exported with the data).</summary>
    internal static PythonRegex Translator => LazyTranslator.Value;

    /// <summary>spacy.blank(code)'s tokenizer, or null when the data has no such language.</summary>
    public static SpacyTokenizer? Tokenizer(string code) => Tokenizers.GetOrAdd(code, Build);

    static SpacyTokenizer? Build(string code)
    {
        if (!Data.Value.RootElement.GetProperty("languages").TryGetProperty(code, out var lang))
            return null;
        var rules = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var rule in lang.GetProperty("rules").EnumerateObject())
            rules[rule.Name] = [.. rule.Value.EnumerateArray().Select(p => p.GetString()!)];
        var suffix = lang.GetProperty("suffix");
        var suffixLast = suffix.ValueKind == JsonValueKind.Null ? null
            : LazyTranslator.Value.LastCodePoints(suffix.GetProperty("pattern").GetString()!, suffix.GetProperty("flags").GetInt32());
        var url = lang.GetProperty("url_match");
        var urlNeedsDot = url.ValueKind != JsonValueKind.Null && url.GetProperty("pattern").GetString()!.Contains(UrlHostRule, StringComparison.Ordinal);
        return new SpacyTokenizer(code, Compile(lang, "prefix"), Compile(lang, "suffix"), Compile(lang, "infix"), Compile(lang, "token_match"),
            Compile(lang, "url_match"), rules, lang.GetProperty("faster_heuristics").GetBoolean(), suffixLast, urlNeedsDot);
    }

    // spaCy's URL_PATTERN: its host is an IP address (three dots) or names ending in "." before a top-level domain; with
    // this text in the pattern, a piece without a "." is never a URL.
    const string UrlHostRule = @"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?[A-Za-z0-9\u00a1-\uffff]\.)+";

    static Regex? Compile(JsonElement lang, string name)
    {
        var p = lang.GetProperty(name);
        if (p.ValueKind == JsonValueKind.Null)
            return null;
        var (pattern, options) = LazyTranslator.Value.Translate(p.GetProperty("pattern").GetString()!, p.GetProperty("flags").GetInt32());
        // Compiling a pattern of megabytes (French token_match lists its elisions) costs more than it saves.
        return new Regex(pattern, pattern.Length < 200_000 ? options | RegexOptions.Compiled : options);
    }

    static CodePointSet Ranges(JsonElement ranges) =>
        CodePointSet.Of(ranges.EnumerateArray().Select(r => (r[0].GetInt32(), r[1].GetInt32())));

    static JsonDocument Load()
    {
        using var stream = typeof(SpacyData).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"missing embedded resource {Resource}");
        using var gz = new GZipStream(stream, CompressionMode.Decompress);
        return JsonDocument.Parse(gz);
    }
}
