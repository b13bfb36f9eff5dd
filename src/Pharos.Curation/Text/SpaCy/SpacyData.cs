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
        var (tokenMatch, tokenMatchNeeds) = TokenMatch(lang);
        return new SpacyTokenizer(code, Matcher(lang, "prefix"), Matcher(lang, "suffix"), Matcher(lang, "infix"), tokenMatch,
            CompileAnchored(lang, "url_match"), rules, lang.GetProperty("faster_heuristics").GetBoolean(), suffixLast, urlNeedsDot, tokenMatchNeeds);
    }

    // spaCy's URL_PATTERN: its host is an IP address (three dots) or names ending in "." before a top-level domain; with
    // this text in the pattern, a piece without a "." is never a URL.
    const string UrlHostRule = @"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[A-Za-z0-9\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff_-]{0,62})?[A-Za-z0-9\u00a1-\uffff]\.)+";

    // Languages share most affix patterns (57 languages, 16 distinct prefix patterns, one URL pattern): each is translated
    // and compiled once, and its matcher (thread-safe) serves every language that has it.
    static readonly ConcurrentDictionary<(string Kind, string Pattern, int Flags), object> Compiled = new();

    static AlternationMatcher? Matcher(JsonElement lang, string name)
    {
        var p = lang.GetProperty(name);
        return p.ValueKind == JsonValueKind.Null ? null
            : (AlternationMatcher)Compiled.GetOrAdd(("alternation", p.GetProperty("pattern").GetString()!, p.GetProperty("flags").GetInt32()),
                key => AlternationMatcher.Create(LazyTranslator.Value, key.Pattern, key.Flags));
    }

    // url_match is used as Python's pattern.match (at the piece's start only): anchored with \G, a piece that does not
    // match there fails at once instead of being scanned position by position.
    static Regex? CompileAnchored(JsonElement lang, string name)
    {
        var p = lang.GetProperty(name);
        if (p.ValueKind == JsonValueKind.Null)
            return null;
        return (Regex)Compiled.GetOrAdd(("anchored", p.GetProperty("pattern").GetString()!, p.GetProperty("flags").GetInt32()), key =>
        {
            var (pattern, options) = LazyTranslator.Value.Translate(key.Pattern, key.Flags);
            return new Regex(@"\G(?:" + pattern + ")", options | RegexOptions.Compiled);
        });
    }

    // token_match, also used as pattern.match, tried alternative by alternative (French's is 1.4 MB of them), and the code
    // points of which every match holds one (a piece with none of them cannot match), when the pattern's shape tells.
    static (AlternationMatcher? Matcher, CodePointSet? Required) TokenMatch(JsonElement lang)
    {
        var p = lang.GetProperty("token_match");
        if (p.ValueKind == JsonValueKind.Null)
            return (null, null);
        var (pattern, flags) = (p.GetProperty("pattern").GetString()!, p.GetProperty("flags").GetInt32());
        return (AlternationMatcher.Create(LazyTranslator.Value, pattern, flags), LazyTranslator.Value.RequiredCodePoints(pattern, flags));
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
