// One language's FineWeb2 filter settings (a YAML table); unset fields fall back to the default table.
using YamlDotNet.Serialization;

namespace Pharos.Curation.Filters;

public sealed class LanguageThresholds
{
    [YamlMember(Alias = "language")] public string? Language { get; set; }
    /// <summary>Other codes that name this language (ISO 639-3, GlotLID labels such as "deu_Latn").</summary>
    [YamlMember(Alias = "aliases")] public List<string>? Aliases { get; set; }
    [YamlMember(Alias = "language_score")] public double? LanguageScore { get; set; }

    // Gopher repetition
    [YamlMember(Alias = "dup_line_frac")] public double? DupLineFrac { get; set; }
    [YamlMember(Alias = "dup_para_frac")] public double? DupParaFrac { get; set; }
    [YamlMember(Alias = "dup_line_char_frac")] public double? DupLineCharFrac { get; set; }
    [YamlMember(Alias = "dup_para_char_frac")] public double? DupParaCharFrac { get; set; }
    [YamlMember(Alias = "top_n_grams")] public Dictionary<int, double>? TopNGrams { get; set; }
    [YamlMember(Alias = "dup_n_grams")] public Dictionary<int, double>? DupNGrams { get; set; }

    // FineWeb quality
    [YamlMember(Alias = "line_punct_thr")] public double? LinePunctThr { get; set; }
    [YamlMember(Alias = "short_line_thr")] public double? ShortLineThr { get; set; }
    [YamlMember(Alias = "short_line_length")] public int? ShortLineLength { get; set; }
    [YamlMember(Alias = "char_duplicates_ratio")] public double? CharDuplicatesRatio { get; set; }
    [YamlMember(Alias = "new_line_ratio")] public double? NewLineRatio { get; set; }

    // Gopher quality
    [YamlMember(Alias = "min_doc_words")] public int? MinDocWords { get; set; }
    [YamlMember(Alias = "max_doc_words")] public int? MaxDocWords { get; set; }
    [YamlMember(Alias = "min_avg_word_length")] public double? MinAvgWordLength { get; set; }
    [YamlMember(Alias = "max_avg_word_length")] public double? MaxAvgWordLength { get; set; }
    [YamlMember(Alias = "max_symbol_word_ratio")] public double? MaxSymbolWordRatio { get; set; }
    [YamlMember(Alias = "max_bullet_lines_ratio")] public double? MaxBulletLinesRatio { get; set; }
    [YamlMember(Alias = "max_ellipsis_lines_ratio")] public double? MaxEllipsisLinesRatio { get; set; }
    [YamlMember(Alias = "max_non_alpha_words_ratio")] public double? MaxNonAlphaWordsRatio { get; set; }
    [YamlMember(Alias = "min_stop_words")] public int? MinStopWords { get; set; }
    [YamlMember(Alias = "stopwords")] public List<string>? Stopwords { get; set; }

    /// <summary>
    /// datatrove's constructor defaults for the three quality filters (GopherRepetitionFilter, FineWebQualityFilter,
    /// GopherQualityFilter, v0.10.0), with its English stop words: what `--settings defaults` decides with.
    /// </summary>
    public static LanguageThresholds DatatroveDefaults() => new()
    {
        Language = "datatrove_defaults",
        DupLineFrac = 0.3, DupParaFrac = 0.3, DupLineCharFrac = 0.2, DupParaCharFrac = 0.2,
        TopNGrams = new() { [2] = 0.2, [3] = 0.18, [4] = 0.16 },
        DupNGrams = new() { [5] = 0.15, [6] = 0.14, [7] = 0.13, [8] = 0.12, [9] = 0.11, [10] = 0.10 },
        LinePunctThr = 0.12, ShortLineThr = 0.67, ShortLineLength = 30, CharDuplicatesRatio = 0.01, NewLineRatio = 0.3,
        MinDocWords = 50, MaxDocWords = 100_000, MinAvgWordLength = 3, MaxAvgWordLength = 10, MaxSymbolWordRatio = 0.1,
        MaxBulletLinesRatio = 0.9, MaxEllipsisLinesRatio = 0.3, MaxNonAlphaWordsRatio = 0.8, MinStopWords = 2,
        Stopwords = ["the", "be", "to", "of", "and", "that", "have", "with"],
    };

    /// <summary>This table with every unset field taken from <paramref name="fallback"/>.</summary>
    public LanguageThresholds WithDefaults(LanguageThresholds fallback)
    {
        var merged = (LanguageThresholds)MemberwiseClone();
        foreach (var p in typeof(LanguageThresholds).GetProperties())
            if (p.GetValue(merged) is null)
                p.SetValue(merged, p.GetValue(fallback));
        return merged;
    }
}
