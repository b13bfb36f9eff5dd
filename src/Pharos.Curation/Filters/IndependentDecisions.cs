// Runs each quality filter alone on every document and reports its decision with datatrove's reason: what `pharos curate decide` writes.
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

/// <summary>Whose thresholds decide: FineWeb2's per-language configs with its pipeline's wiring, or datatrove's constructor defaults.</summary>
public enum FilterSettings { FineWeb2, Defaults }

public readonly record struct FilterDecision(string Id, string? Language, string Filter, bool Kept, string? Reason);

public sealed class IndependentDecisions(LanguageTable table, FilterSettings settings, IReadOnlyList<string> filters)
{
    /// <summary>The filter names `decide` knows, as datatrove's FineWeb2 pipeline orders them.</summary>
    public static readonly string[] Names = ["gopher_rep", "fineweb", "gopher_quality", "c4"];

    readonly Dictionary<(string Language, string Filter), DocumentFilter> _filters = [];

    public IEnumerable<FilterDecision> Decide(Document doc)
    {
        var label = doc.LanguageLabel;
        foreach (var name in filters)
        {
            // Each filter sees the original text: C4 rewrites the text it keeps, so it works on a copy.
            var copy = new Document(doc.Text, doc.Id, new Dictionary<string, object?>(doc.Metadata));
            var decision = For(label, name).Decide(copy);
            yield return new FilterDecision(doc.Id, label, name, decision.Keep, decision.Keep ? null : decision.Reason);
        }
    }

    DocumentFilter For(string? label, string name)
    {
        var key = (label ?? "", name);
        if (_filters.TryGetValue(key, out var filter))
            return filter;
        var tokenizer = WordTokenizers.For(label ?? "en");
        var t = settings == FilterSettings.FineWeb2 ? table.For(label) : LanguageThresholds.DatatroveDefaults();
        filter = name switch
        {
            "gopher_rep" => GopherRepetitionFilter.From(t, tokenizer),
            "fineweb" => FineWebQualityFilter.From(t, tokenizer),
            "gopher_quality" => GopherQualityFilter.From(t, tokenizer),
            "c4" => new C4QualityFilter(),
            _ => throw new ArgumentException($"unknown filter \"{name}\" (known: {string.Join(", ", Names)})"),
        };
        _filters[key] = filter;
        return filter;
    }
}
