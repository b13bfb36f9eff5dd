// Base of text-rewriting steps (encoding fixes, PII, table cleanup): never drops, counts documents it changed.
using System.Diagnostics;

namespace Pharos.Curation.Pipeline;

public abstract class DocumentFormatter : IPipelineStep
{
    public abstract string Name { get; }

    /// <summary>Returns the new text; the same instance when nothing changed.</summary>
    protected internal abstract string Format(string text);

    public IEnumerable<Document> Run(IEnumerable<Document> input, StepStats stats)
    {
        foreach (var doc in input)
        {
            stats.In++;
            var start = Stopwatch.GetTimestamp();
            var text = Format(doc.Text);
            stats.AddTime(start);
            if (!ReferenceEquals(text, doc.Text) && text != doc.Text)
            {
                stats.Modified++;
                doc.Text = text;
            }
            stats.Kept++;
            yield return doc;
        }
    }
}
