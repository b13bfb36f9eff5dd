// Builds the steps of a recipe stage by name; every filter gets its thresholds from the language tables unless the recipe overrides them.
using Pharos.Curation.Errors;
using Pharos.Curation.Filters;
using Pharos.Curation.LanguageId;
using YamlDotNet.Serialization;

namespace Pharos.Curation.Pipeline;

public static class StepFactory
{
    public static readonly string[] Names =
    [
        "url_filter", "language_id", "language_filter", "language_score", "gopher_repetition", "fineweb_quality",
        "gopher_quality", "c4_quality", "encoding_fix", "pii", "table_artifacts",
    ];

    public static List<IPipelineStep> Build(StageSection stage, StepContext context)
    {
        var steps = new List<IPipelineStep>();
        foreach (var entry in stage.Steps ?? [])
        {
            if (entry.Count != 1)
                throw new RecipeException($"stage {stage.Name}: each step is a one-key map (name: options)");
            var (name, values) = entry.First();
            var options = new StepOptions(name, values, context.ResolvePath);
            if (!options.Bool("enabled", true))
                continue;
            var languages = options.List("languages");
            var excluded = options.List("exclude_languages");
            var step = Create(name, options, context);
            options.EnsureAllRead();
            if (step is DocumentFilter filter)
                filter.Rejected = context.Rejected;
            if (languages.Count > 0)
                step = new LanguageGate(step, languages);
            else if (excluded.Count > 0)
                step = new LanguageGate(step, excluded, exclude: true);
            steps.Add(step);
        }
        return steps;
    }

    static IPipelineStep Create(string name, StepOptions o, StepContext context) => name switch
    {
        "url_filter" => new UrlFilter(o.ListOrFile("blocked_domains"), o.ListOrFile("blocked_subdomains"), o.ListOrFile("blocked_urls"),
            o.ListOrFile("banned_words"), o.ListOrFile("soft_banned_words"), o.ListOrFile("banned_subwords"), o.Int("soft_word_threshold", 2)),
        "language_id" => new LanguageIdStep(StepContext.Model(o.Path("model") ?? throw new RecipeException("step language_id: option model (a fastText .bin/.ftz) is required")),
            o.Double("keep_above", 0.01)),
        "language_filter" => new LanguageKeepFilter(o.List("keep")),
        "language_score" => new LanguageScoreFilter(context.Table, o.NullableDouble("threshold")),
        "gopher_repetition" => PerLanguage(name, o, context, GopherRepetitionFilter.From),
        "fineweb_quality" => PerLanguage(name, o, context, FineWebQualityFilter.From),
        "gopher_quality" => PerLanguage(name, o, context, GopherQualityFilter.From),
        "c4_quality" => new C4QualityFilter(o.Bool("remove_citations", true), o.Bool("filter_no_terminal_punct", true), o.Int("min_num_sentences", 5),
            o.Int("min_words_per_line", 3), o.Int("max_word_length", 1000), o.Bool("filter_lorem_ipsum", true), o.Bool("filter_javascript", true),
            o.Bool("filter_curly_bracket", true), o.Bool("filter_policy", true)),
        "encoding_fix" => new EncodingFixer(),
        "pii" => new PiiFormatter(o.Bool("remove_emails", true), o.Bool("remove_ips", true), o.Bool("only_public_ips", true)),
        "table_artifacts" => new TableArtifactFormatter(o.String("replacement", "")!),
        _ => throw new RecipeException($"unknown step \"{name}\" (known: {string.Join(", ", Names)})"),
    };

    // Options other than the common ones override table fields for every language (e.g. min_doc_words: 20).
    static PerLanguageFilter PerLanguage(string name, StepOptions o, StepContext context, Func<LanguageThresholds, Text.IWordTokenizer, DocumentFilter> build)
    {
        var overrides = o.Remaining().Where(p => p.Key is not ("enabled" or "languages" or "exclude_languages")).ToDictionary();
        LanguageThresholds? custom = null;
        if (overrides.Count > 0)
        {
            overrides["language"] = "recipe";
            custom = LanguageTable.Parse(new SerializerBuilder().Build().Serialize(overrides), $"step {name}");
            foreach (var key in overrides.Keys)
                o.String(key); // consumed
        }
        return new PerLanguageFilter(name, context.Table, (t, tokenizer) => build(custom is null ? t : custom.WithDefaults(t), tokenizer));
    }
}
