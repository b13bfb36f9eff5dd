// A task's outputs: one shard per language (opened on first use), the rejected documents, the quarantine list; all committed together.
using Pharos.IO;
using Pharos.Curation.Writers;

namespace Pharos.Curation.Pipeline;

internal sealed class ShardOutput(CurationPlan plan, PlanStage stage, int task) : IDisposable
{
    readonly Dictionary<string, IDocumentWriter> _writers = new(StringComparer.Ordinal);
    IDocumentWriter? _rejected;

    public long Written { get; private set; }
    public SortedDictionary<string, long> WrittenByLanguage { get; } = new(StringComparer.Ordinal);
    /// <summary>Written documents per minhash_cluster_size (rehydration's removal rates compare these across stages).</summary>
    public SortedDictionary<long, long> WrittenByClusterSize { get; } = [];

    public void Write(Document doc)
    {
        var language = doc.Language ?? "und";
        if (!_writers.TryGetValue(language, out var writer))
            _writers[language] = writer = WriterFactory.Create(Path.Combine(stage.StageDir, language, $"{task:D5}"), plan.Recipe.Output.Format);
        writer.Write(doc);
        Written++;
        WrittenByLanguage[language] = WrittenByLanguage.GetValueOrDefault(language) + 1;
        if (doc.GetDouble(MetadataKeys.ClusterSize) is { } size)
            WrittenByClusterSize[(long)size] = WrittenByClusterSize.GetValueOrDefault((long)size) + 1;
    }

    public void Reject(Document doc, string step)
    {
        if (!plan.Recipe.Output.SaveRejected)
            return;
        _rejected ??= new JsonlWriter(stage.RejectedFile(task));
        doc.Metadata["filter_step"] = step;
        _rejected.Write(doc);
    }

    public void Commit(Quarantine quarantine)
    {
        foreach (var w in _writers.Values)
            w.Commit();
        _rejected?.Commit();
        if (quarantine.Count > 0)
        {
            var sw = new StringWriter();
            quarantine.WriteJsonl(sw);
            AtomicFile.WriteAllText(stage.QuarantineFile(task), sw.ToString());
        }
    }

    public void Dispose()
    {
        foreach (var w in _writers.Values)
            w.Dispose();
        _rejected?.Dispose();
    }
}
