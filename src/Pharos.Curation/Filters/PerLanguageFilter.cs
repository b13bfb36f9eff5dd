// Runs a filter built from each document's language table and word tokenizer (one instance per language, cached): data, not branches.
using System.Collections.Concurrent;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed class PerLanguageFilter(string name, LanguageTable table, Func<LanguageThresholds, IWordTokenizer, DocumentFilter> build) : DocumentFilter
{
    readonly ConcurrentDictionary<string, DocumentFilter> _byLanguage = new(StringComparer.OrdinalIgnoreCase);

    public override string Name => name;

    protected internal override Decision Decide(Document doc)
    {
        // A document without a language gets the default table and datatrove's default tokenizer, English.
        var language = doc.LanguageLabel ?? LanguageTable.DefaultKey;
        var filter = _byLanguage.GetOrAdd(language, l => build(table.For(l), WordTokenizers.For(l == LanguageTable.DefaultKey ? "en" : l)));
        return filter.Decide(doc);
    }
}
