// Runs any step only for documents in listed languages; the others pass through untouched (and uncounted by the inner step).
using System.Collections.Frozen;

namespace Pharos.Curation.Pipeline;

public sealed class LanguageGate(IPipelineStep inner, IEnumerable<string> languages, bool exclude = false) : IPipelineStep
{
    readonly FrozenSet<string> _languages = languages.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    readonly Document[] _one = new Document[1];

    public string Name => inner.Name;

    public IEnumerable<Document> Run(IEnumerable<Document> input, StepStats stats)
    {
        foreach (var doc in input)
        {
            var selected = doc.Language is { } l && _languages.Contains(l);
            if (selected == exclude)
            {
                stats.Count("passed_ungated");
                yield return doc;
                continue;
            }
            // Steps are per-document (filters, formatters), so running the inner step on one document at a time keeps order.
            _one[0] = doc;
            foreach (var kept in inner.Run(_one, stats))
                yield return kept;
        }
    }
}
