// Base of every filter: the subclass only decides; this loop counts, times, tags and hands rejects to an optional sink.
using System.Diagnostics;

namespace Pharos.Curation.Pipeline;

public abstract class DocumentFilter : IPipelineStep
{
    public abstract string Name { get; }

    /// <summary>Receives every dropped document with its reason in metadata (the "rejected" output).</summary>
    public Action<Document, string>? Rejected { get; set; }

    protected internal abstract Decision Decide(Document doc);

    public IEnumerable<Document> Run(IEnumerable<Document> input, StepStats stats)
    {
        foreach (var doc in input)
        {
            stats.In++;
            var start = Stopwatch.GetTimestamp();
            var decision = Decide(doc);
            stats.AddTime(start);
            if (decision.Keep)
            {
                stats.Kept++;
                yield return doc;
            }
            else
            {
                var reason = decision.Reason ?? Name;
                stats.Drop(reason);
                doc.Metadata[MetadataKeys.DropReason] = reason;
                Rejected?.Invoke(doc, Name);
            }
        }
    }
}
