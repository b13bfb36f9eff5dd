// Keeps only documents whose detected language is in a list (datatrove's LanguageFilter "languages" argument).
using System.Collections.Frozen;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Filters;

public sealed class LanguageKeepFilter(IEnumerable<string> languages) : DocumentFilter
{
    readonly FrozenSet<string> _languages = languages.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public override string Name => "language_filter";

    protected internal override Decision Decide(Document doc) =>
        doc.Language is { } l && _languages.Contains(l) ? Decision.Kept : Decision.Drop("language_not_kept");
}
