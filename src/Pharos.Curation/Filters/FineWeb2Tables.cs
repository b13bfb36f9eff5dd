// FineWeb2's 1,929 published language configs (embedded data), wired into filter thresholds exactly as FineWeb2's pipeline script sets them.
using System.IO.Compression;
using System.Text.Json;

namespace Pharos.Curation.Filters;

public static class FineWeb2Tables
{
    const string ConfigsResource = "Pharos.Curation.Languages.FineWeb2.configs.jsonl.gz";
    const string Lid176Resource = "Pharos.Curation.Languages.FineWeb2.lid176.tsv";

    static readonly Lazy<IReadOnlyDictionary<string, LanguageThresholds>> Configs = new(LoadConfigs);
    static readonly Lazy<IReadOnlyDictionary<string, string>> Lid176 = new(LoadLid176);

    /// <summary>Every config by its label (<c>deu_Latn</c>), thresholds as FineWeb2's filtering step receives them.</summary>
    public static IReadOnlyDictionary<string, LanguageThresholds> All => Configs.Value;

    /// <summary>lid.176's labels (<c>de</c>, <c>zh</c>) mapped to the FineWeb2 config of the same language (<c>deu_Latn</c>, <c>cmn_Hani</c>).</summary>
    public static IReadOnlyDictionary<string, string> Lid176Labels => Lid176.Value;

    /// <summary>
    /// One config with FineWeb2's wiring (fineweb-2-pipeline.py): the config gives language_score, dup_line_frac, the n-gram
    /// fractions, line_punct_thr, new_line_ratio, the average word lengths, max_non_alpha_words_ratio and the stop words;
    /// the paragraph and line-character duplicate checks are off (0), short_line_thr is 999 (off), char_duplicates_ratio 0.1,
    /// min_stop_words 2; everything else keeps datatrove's default.
    /// </summary>
    public static LanguageThresholds FromConfig(string name, JsonElement config)
    {
        var defaults = LanguageThresholds.DatatroveDefaults();
        defaults.Language = name;
        defaults.LanguageScore = config.GetProperty("language_score").GetDouble();
        defaults.DupLineFrac = config.GetProperty("dup_line_frac").GetDouble();
        defaults.DupParaFrac = 0;
        defaults.DupLineCharFrac = 0;
        defaults.DupParaCharFrac = 0;
        defaults.TopNGrams = Pairs(config.GetProperty("top_n_grams"));
        defaults.DupNGrams = Pairs(config.GetProperty("dup_n_grams"));
        defaults.LinePunctThr = config.GetProperty("line_punct_thr").GetDouble();
        defaults.ShortLineThr = 999;
        defaults.CharDuplicatesRatio = 0.1;
        defaults.NewLineRatio = config.GetProperty("new_line_ratio").GetDouble();
        defaults.MinAvgWordLength = config.GetProperty("min_avg_word_length").GetDouble();
        defaults.MaxAvgWordLength = config.GetProperty("max_avg_word_length").GetDouble();
        defaults.MaxNonAlphaWordsRatio = config.GetProperty("max_non_alpha_words_ratio").GetDouble();
        defaults.MinStopWords = 2;
        defaults.Stopwords = [.. config.GetProperty("stopwords").EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString()! : s.GetRawText())];
        return defaults;
    }

    // FineWeb2 writes n-gram thresholds as [[n, fraction], ...].
    static Dictionary<int, double> Pairs(JsonElement pairs) =>
        pairs.EnumerateArray().ToDictionary(p => p[0].GetInt32(), p => p[1].GetDouble());

    static IReadOnlyDictionary<string, LanguageThresholds> LoadConfigs()
    {
        using var stream = typeof(FineWeb2Tables).Assembly.GetManifestResourceStream(ConfigsResource)
            ?? throw new InvalidOperationException($"missing embedded resource {ConfigsResource}");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var configs = new Dictionary<string, LanguageThresholds>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var name = json.RootElement.GetProperty("name").GetString()!;
            configs[name] = FromConfig(name, json.RootElement);
        }
        return configs;
    }

    static IReadOnlyDictionary<string, string> LoadLid176()
    {
        using var stream = typeof(FineWeb2Tables).Assembly.GetManifestResourceStream(Lid176Resource)
            ?? throw new InvalidOperationException($"missing embedded resource {Lid176Resource}");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var tab = line.IndexOf('\t');
            map[line[..tab]] = line[(tab + 1)..];
        }
        return map;
    }
}
