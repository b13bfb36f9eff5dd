// Runs a filter built from each document's language table (one instance per language, cached): thresholds come from data, not branches.
using System.Collections.Concurrent;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Filters;

public sealed class PerLanguageFilter(string name, LanguageTable table, Func<LanguageThresholds, DocumentFilter> build) : DocumentFilter
{
    readonly ConcurrentDictionary<string, DocumentFilter> _byLanguage = new(StringComparer.OrdinalIgnoreCase);

    public override string Name => name;

    protected internal override Decision Decide(Document doc)
    {
        var language = doc.Language ?? LanguageTable.DefaultKey;
        var filter = _byLanguage.GetOrAdd(language, l => build(table.For(l)));
        return filter.Decide(doc);
    }
}
